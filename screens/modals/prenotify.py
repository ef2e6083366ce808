"""Pre-notify a set's debtors (vooraankondiging): how many debtors, how many by e-mail and how
many to print; write the print PDF and the mail-merge CSV, and/or queue the e-mails (only
offered when [smtp] is configured). The work runs in the set service on a worker thread; the
e-mails in a queued job."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Static

from incasso_tui.core.errors import ValidationError
from incasso_tui.i18n import t
from incasso_tui.services.prenotification import (
    PrenotifyResult,
    Preview,
    default_pdf_path,
    prenotify_set,
    preview_set,
)
from screens.modals.form_base import FormScreen
from screens.widgets.formatting import escape

if TYPE_CHECKING:
    from screens.base import AreaScreen


class PrenotifyScreen(FormScreen):
    FORM_TITLE = "Pre-notify"
    FIELD_KEYS = {"--out": "path", "--csv": "path", "output": "files"}

    def __init__(self, preview: Preview, email_configured: bool) -> None:
        super().__init__()
        self.preview = preview
        self.email_configured = email_configured

    def form_title(self) -> str:
        return t("Pre-notify the debtors of set {id}", id=self.preview.set_id)

    def compose_fields(self) -> ComposeResult:
        p = self.preview
        yield Static(
            escape(
                t(
                    "{debtors} debtors ({orders} orders): {email} by e-mail, {print} to print",
                    debtors=p.debtors,
                    orders=p.orders,
                    email=p.by_email,
                    print=p.to_print,
                )
                + (" · " + t("{n} held back: not announced", n=p.held_back) if p.held_back else "")
            ),
            id="prenotify-summary",
            classes="dialog-message",
        )
        yield from self.row("files", "Letters", Checkbox(t("write the print PDF and the CSV"), value=True))
        yield from self.row(
            "path",
            "PDF file",
            Input(str(default_pdf_path(p.set_id))),
            note=t("the CSV for a mail merge goes beside it (.csv)"),
        )
        email = Checkbox(t("send the e-mails (a queued job)"), value=False)
        email.disabled = not self.email_configured
        yield from self.row(
            "email",
            "E-mail",
            email,
            note=""
            if self.email_configured
            else escape(t("e-mail is not configured ([smtp] in the configuration)")),
        )

    def on_mount(self) -> None:
        self.field("files").focus()  # the first choice, not the path

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        files = bool(self.field("files").value)
        email = bool(self.field("email").value) and self.email_configured
        path = Path(self.value("path")).expanduser() if files else None
        if files and not self.value("path"):
            raise ValidationError("--out", "give the PDF file to write")
        if not (files or email):
            raise ValidationError("output", "choose the letters, the e-mails or both")
        call = functools.partial(
            prenotify_set,
            self.incasso.actor,
            self.preview.set_id,
            pdf=path,
            csv=path.with_suffix(".csv") if path is not None else None,
            email=email,
            smtp=self.incasso.session.config.smtp if email else None,
        )
        return call, ()


def result_text(result: PrenotifyResult) -> str:
    parts = [t("{n} debtors pre-notified", n=result.debtors)]
    if result.pdf:
        parts.append(t("PDF: {path}", path=str(result.pdf)))
    if result.job_id:
        parts.append(t("{n} e-mails queued as job {job}", n=result.emails, job=result.job_id))
    if result.to_print and result.job_id is not None:
        parts.append(t("{n} without an e-mail address: print their letters", n=len(result.to_print)))
    return " · ".join(parts)


def open_prenotify(screen: AreaScreen, set_id: int, then: Callable[[], None] | None = None) -> None:
    """Count the debtors (worker), then show the dialog; the result is notified."""
    config = screen.incasso.session.config

    def loaded(preview: Preview) -> None:
        def done(result: PrenotifyResult | None) -> None:
            if result is None:
                return
            screen.notify(result_text(result), timeout=10)
            if then:
                then()

        screen.app.push_screen(PrenotifyScreen(preview, config.smtp.configured), done)

    screen.run_service(preview_set, screen.incasso.actor, set_id, then=loaded, group="prenotify-preview")
