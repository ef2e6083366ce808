"""An administration's mandate settings: scope, automatic creation and activation,
reference format, collection reason, pre-notification and notice margin, and the mandate
form's texts. Everyone who may see the administration reads them; admins change them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path

from incasso_tui.core.errors import ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.documents import TemplateError, load_overrides
from incasso_tui.services import audit
from incasso_tui.services.auth import ADMIN, Actor
from incasso_tui.services.input_rules import Collector, check_text, text
from incasso_tui.services.mandates.references import check_reference_format
from incasso_tui.services.organisation import get_administration

SCOPES = ("debtor", "invoice_type")


@dataclass(frozen=True)
class MandateSettings:
    """The mandate settings of one administration as they are stored now."""

    code: str  # the administration's
    scope: str  # one of SCOPES
    auto_create: bool
    activate_immediately: bool
    reference_format: str
    collection_reason: str
    pre_notification_days: int
    notice_margin_days: int
    form_texts_overridden: bool  # the mandate form's texts come from a TOML file

    def as_dict(self) -> dict:
        return asdict(self)


def _settings(adm: m.Administration) -> MandateSettings:
    return MandateSettings(
        adm.code,
        adm.mandate_scope,
        adm.auto_create_mandates,
        adm.activate_immediately,
        adm.reference_format,
        adm.collection_reason,
        adm.pre_notification_days,
        adm.notice_margin_days,
        bool(adm.form_overrides),
    )


def mandate_settings(actor: Actor, code: str) -> MandateSettings:
    """The mandate settings of an administration the user may see (codes ignore case)."""
    return _settings(get_administration(actor, code))


class _Unset(Enum):
    UNSET = "unset"  # form_texts not given: keep them


_UNSET = _Unset.UNSET


def set_mandate_settings(
    actor: Actor,
    code: str,
    *,
    scope: str | None = None,
    auto_create: bool | None = None,
    activate_immediately: bool | None = None,
    reference_format: str | None = None,
    collection_reason: str | None = None,
    form_texts: str | Path | _Unset | None = _UNSET,
    pre_notification_days: int | None = None,
    notice_margin_days: int | None = None,
) -> m.Administration:
    """Change what is given; `form_texts` is a TOML file of overrides ([nl] key = "text"),
    or None to go back to the built-in texts."""
    adm = get_administration(actor, code)
    actor.require(ADMIN, adm.id, what=f"the settings of {adm.code}")
    c = Collector()
    values: dict = {}
    if scope is not None:
        if scope not in SCOPES:
            c.add(
                "scope",
                "must be debtor (one mandate per debtor) or invoice_type (one per debtor and invoice type)",
                scope,
            )
        values["mandate_scope"] = scope
    if auto_create is not None:
        values["auto_create_mandates"] = auto_create
    if activate_immediately is not None:
        values["activate_immediately"] = activate_immediately
    if reference_format is not None:
        values["reference_format"] = c.run(check_reference_format, reference_format, adm.code)
    if collection_reason is not None:
        values["collection_reason"] = c.run(text, collection_reason, "collection reason", 140)
    for field, value, low, high in (
        ("pre-notification days", pre_notification_days, 1, 60),
        ("notice margin days", notice_margin_days, 0, 60),
    ):
        if value is None:
            continue
        if not isinstance(value, int) or not low <= value <= high:
            c.add(field, f"must be a whole number of days from {low} to {high}", value)
        values[field.replace("-", "_").replace(" ", "_")] = value
    if not isinstance(form_texts, _Unset):
        if form_texts is None:
            values["form_overrides"] = None
        else:
            try:
                values["form_overrides"] = overrides = load_overrides(form_texts)
            except (TemplateError, OSError) as exc:
                c.add("form texts", str(exc))
            else:
                for lang, texts in overrides.items():
                    for key, form_text in texts.items():
                        c.run(check_text, str(form_text), f"form texts [{lang}] {key}", multiline=True)
    if c.errors:
        raise ValidationErrors(c.errors)
    changes = audit.diff(adm, values)
    if changes:
        for key, value in values.items():
            setattr(adm, key, value)
        with m.Administration._meta.database.atomic():
            adm.save()
            audit.record(
                actor,
                "administration.mandate_settings",
                adm,
                administration_id=adm.id,
                changes=changes,
                summary=f"{adm.code}: " + ", ".join(changes),
            )
    return adm
