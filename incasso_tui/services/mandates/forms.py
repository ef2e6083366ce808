"""Mandate forms (machtigingsformulieren) as PDF: one from the mandate, or every form not yet
printed in one PDF (batch, from the CLI or as a job in the queue); printed mandates are marked.

The language follows the debtor (nl/en/de, Dutch for anything else); an administration may
override the texts per language (Administration.form_overrides).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from incasso_tui.core.clock import now
from incasso_tui.core.errors import NotFound, Refused, ValidationError
from incasso_tui.core.files import make_private_dir
from incasso_tui.db import models as m
from incasso_tui.db.statuses import MandateStatus
from incasso_tui.documents import MandateFormData, Party, TemplateError, render_mandate_forms, write_pdf
from incasso_tui.documents import font_warning as _font_warning
from incasso_tui.documents.model import MANDATE_LANGUAGES
from incasso_tui.services import audit
from incasso_tui.services.auth import EDIT, VIEW, Actor, actor_for
from incasso_tui.services.mandates.lifecycle import get_mandate

# Forms are for mandates that can still be signed and used.
PRINTABLE = (MandateStatus.INACTIVE, MandateStatus.ACTIVE)


def form_data(mandate: m.Mandate) -> MandateFormData:
    debtor, adm, itype = mandate.debtor, mandate.administration, mandate.invoice_type
    reason = mandate.reason or (itype.collection_reason if itype is not None else "") or adm.collection_reason
    return MandateFormData(
        language=debtor.language if debtor.language in MANDATE_LANGUAGES else "nl",
        scheme=mandate.scheme,
        recurrent=mandate.recurrent,
        creditor=Party(adm.name, adm.street, adm.building_number, adm.postcode, adm.town, adm.country),
        creditor_id=mandate.creditor_id,
        reference=mandate.external_reference or mandate.reference,
        reason=reason,
        debtor=Party(
            debtor.name, debtor.street, debtor.building_number, debtor.postcode, debtor.town, debtor.country
        ),
        debtor_iban=debtor.iban,
        debtor_bic=debtor.bic,
    )


def _render(mandates: list[m.Mandate]) -> bytes:
    overrides = {_texts_key(x.administration.form_overrides) for x in mandates}
    if len(overrides) > 1:
        codes = sorted({x.administration.code for x in mandates})
        raise Refused(
            "administrations {codes} have different mandate form texts; print their forms "
            "separately (--administration CODE)",
            codes=", ".join(codes),
        )
    texts = mandates[0].administration.form_overrides
    try:
        return render_mandate_forms([form_data(x) for x in mandates], texts or None)
    except TemplateError as exc:
        raise ValidationError(
            "form texts", "administration {code}: {reason}", code=mandates[0].administration.code, reason=exc
        ) from None
    except ValueError as exc:  # a form that does not fit its page (overridden texts too long)
        raise Refused("{reason}", reason=exc) from None


def _texts_key(value) -> str:
    return json.dumps(value or {}, sort_keys=True)


def _write(path: str | Path, data: bytes) -> Path:
    target = Path(path).expanduser()
    try:
        make_private_dir(target.parent)
        return write_pdf(target, data)
    except OSError as exc:
        raise Refused(
            "{target}: cannot write the PDF: {given}", target=target, given=exc.strerror or exc
        ) from None


def _mark_printed(actor: Actor, mandates: list[m.Mandate]) -> None:
    stamp = now()
    with m.Mandate._meta.database.atomic():
        for mandate in mandates:
            m.Mandate.update(form_printed_at=stamp).where(m.Mandate.id == mandate.id).execute()
            audit.record(
                actor,
                "mandate.form_printed",
                mandate,
                changes={"form_printed_at": (mandate.form_printed_at, stamp)},
                summary=f"mandate form of {mandate.reference} printed",
            )


@dataclass(frozen=True)
class PrintResult:
    path: Path
    count: int
    marked: bool
    references: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "count": self.count,
            "marked_printed": self.marked,
            "references": list(self.references),
        }


def print_form(actor: Actor, mandate_id: int, path: str | Path) -> PrintResult:
    """One mandate's form. Support staff may print it (to send it to a debtor who asks);
    it is marked printed only when the user may change the mandate."""
    mandate = get_mandate(actor, mandate_id)
    data = _render([mandate])
    target = _write(path, data)
    marked = actor.may(EDIT, mandate.administration_id)
    if marked:
        _mark_printed(actor, [mandate])
    return PrintResult(target, 1, marked, (mandate.external_reference or mandate.reference,))


def unprinted(actor: Actor, administration_id: int | None = None) -> list[m.Mandate]:
    """Mandates (inactive or active) whose form was never printed, that the user may change."""
    query = (
        m.Mandate.select(m.Mandate, m.Debtor, m.Administration)
        .join(m.Debtor)
        .switch(m.Mandate)
        .join(m.Administration)
        .where(
            m.Mandate.form_printed_at.is_null()
            & m.Mandate.status.in_(PRINTABLE)
            & actor.visible(m.Mandate.administration)
        )
        .order_by(m.Administration.code, m.Debtor.number, m.Mandate.sequence_number)
    )
    if administration_id:
        query = query.where(m.Mandate.administration == administration_id)
    return [x for x in query if actor.may(EDIT, x.administration_id)]


def print_unprinted(
    actor: Actor, path: str | Path, administration_id: int | None = None, progress=None
) -> PrintResult:
    """Every unprinted form in one PDF, then marks them printed (only after the file exists)."""
    if administration_id is not None and not actor.may(VIEW, administration_id):
        raise NotFound(
            "administration {administration_id} is not visible to you", administration_id=administration_id
        )
    mandates = unprinted(actor, administration_id)
    if not mandates:
        raise Refused("there are no mandates whose form has not been printed yet")
    if progress:
        progress(0, len(mandates), f"{len(mandates)} forms")
    data = _render(mandates)
    target = _write(path, data)
    _mark_printed(actor, mandates)
    if progress:
        progress(len(mandates), len(mandates), f"{len(mandates)} forms in {target.name}")
    return PrintResult(
        target, len(mandates), True, tuple(x.external_reference or x.reference for x in mandates)
    )


def font_warning() -> str | None:
    """What to tell the user after printing when the Unicode font is missing (None when it is there)."""
    return _font_warning()


def default_path(directory: Path, what: str) -> Path:
    """Where the TUI offers to write a PDF: DATA_DIR/forms/<what>-<timestamp>.pdf."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in what)
    return directory / "forms" / f"{safe}-{stamp}.pdf"


def run_forms_job(ctx, payload: dict) -> dict:
    """Job kind "mandate_forms": payload {"path": ..., "administration_id": optional}."""
    user = m.User.get_or_none(m.User.id == ctx.user_id)
    if user is None:
        raise Refused("the job has no user; mandate forms are printed with someone's rights")
    result = print_unprinted(
        actor_for(user), payload["path"], payload.get("administration_id"), progress=ctx.progress
    )
    return {**result.as_dict(), "message": f"{result.count} mandate forms in {result.path}"}


def queue_unprinted(actor: Actor, path: str | Path, administration_id: int | None = None) -> int:
    """Put the batch of unprinted forms in the job queue (the TUI keeps working meanwhile);
    returns the job id. The job writes `path` and marks the mandates printed."""
    from incasso_tui.jobs import queue

    count = len(unprinted(actor, administration_id))
    if not count:
        raise Refused("there are no mandates whose form has not been printed yet")
    job = queue.enqueue(
        "mandate_forms",
        {"path": str(Path(path).expanduser()), "administration_id": administration_id},
        actor.user_id,
        message=f"{count} mandate forms",
    )
    return job.id
