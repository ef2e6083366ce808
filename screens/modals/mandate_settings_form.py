"""An administration's mandate settings: scope, automatic creation and activation, the
reference format, the collection reason, pre-notification and notice margin, and the
mandate form's texts (a TOML file of overrides, or the built-in texts). Stored with
set_mandate_settings, the function `incasso mandates settings` uses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select

from incasso_tui.i18n import t
from incasso_tui.services.mandates.settings import MandateSettings, set_mandate_settings
from screens.modals.form_base import FormScreen

SCOPE_LABELS = {
    "debtor": "one mandate per debtor",
    "invoice_type": "one mandate per debtor and invoice type",
}


def days(text: str) -> Any:
    """A whole number of days as the service wants it; anything else is passed on for the
    service to name the rule."""
    return int(text) if text.isdigit() else text


class MandateSettingsFormScreen(FormScreen):
    FIELD_KEYS = {
        "scope": "scope",
        "reference format": "reference_format",
        "collection reason": "collection_reason",
        "pre-notification days": "pre_notification_days",
        "notice margin days": "notice_margin_days",
        "form texts": "form_texts",
    }

    def __init__(self, current: MandateSettings):
        super().__init__()
        self.current = current

    def form_title(self) -> str:
        return t("Mandate settings of {code}", code=self.current.code)

    def compose_fields(self) -> ComposeResult:
        c = self.current
        yield from self.row(
            "scope",
            "Mandate scope",
            Select(
                [(t(label), code) for code, label in SCOPE_LABELS.items()], value=c.scope, allow_blank=False
            ),
        )
        yield from self.row(
            "auto_create",
            "Auto-create mandates",
            Checkbox(t("an order without a mandate gets one"), c.auto_create),
        )
        yield from self.row(
            "activate_immediately",
            "Activate immediately",
            Checkbox(t("a mandate created automatically is active at once"), c.activate_immediately),
        )
        yield from self.row(
            "reference_format",
            "Reference format",
            Input(c.reference_format, max_length=60),
            t("fields {debtor} {seq} {admin} {type}; {seq} is required"),
        )
        yield from self.row(
            "collection_reason", "Collection reason", Input(c.collection_reason, max_length=140)
        )
        yield from self.row(
            "pre_notification_days",
            "Pre-notification days",
            Input(str(c.pre_notification_days), max_length=2),
            t("days between telling the debtor and collecting"),
        )
        yield from self.row(
            "notice_margin_days",
            "Notice margin days",
            Input(str(c.notice_margin_days), max_length=2),
            t("days a collection may fall after the date the debtor was told"),
        )
        yield from self.row(
            "form_texts",
            "Form texts",
            Input(max_length=400, placeholder=t("path of a TOML file; empty: keep")),
            t("the mandate form's texts are overridden") if c.form_texts_overridden else t("built-in texts"),
        )
        if c.form_texts_overridden:
            yield from self.row("builtin_texts", "", Checkbox(t("back to the built-in texts")))

    def on_mount(self) -> None:
        self.field("scope").focus()

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        kwargs: dict[str, Any] = {
            "scope": str(self.field("scope").value),
            "auto_create": bool(self.field("auto_create").value),
            "activate_immediately": bool(self.field("activate_immediately").value),
            "reference_format": self.value("reference_format"),
            "collection_reason": self.value("collection_reason"),
            "pre_notification_days": days(self.value("pre_notification_days")),
            "notice_margin_days": days(self.value("notice_margin_days")),
        }
        path = self.value("form_texts")
        if path:
            kwargs["form_texts"] = Path(path).expanduser()
        elif self.current.form_texts_overridden and self.field("builtin_texts").value:
            kwargs["form_texts"] = None
        actor, code = self.incasso.actor, self.current.code
        return (lambda: set_mandate_settings(actor, code, **kwargs)), ()
