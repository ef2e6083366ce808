"""An administration (creditor), new or edited: code, name, creditor identifier checked as
it is typed (with the KvK number it holds), KvK number and address. Stored with
add_administration / edit_administration, the functions `incasso administration` uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input

from incasso_tui.i18n import t
from incasso_tui.services import organisation as org
from incasso_tui.services.organisation import FieldCheck
from screens.modals.setup_form import SetupFormScreen

ADDRESS = (
    ("street", "Street", 70),
    ("building_number", "Building number", 16),
    ("postcode", "Postcode", 16),
    ("town", "Town", 35),
    ("country", "Country", 2),
)


class AdministrationFormScreen(SetupFormScreen):
    CHECK_KIND = "administration"
    CHECKED = {
        "code": "code",
        "name": "name",
        "creditor_id": "creditor_id",
        "kvk": "kvk",
        "country": "country",
    }
    FIELD_KEYS = {
        "code": "code",
        "name": "name",
        "creditor identifier": "creditor_id",
        "KvK number": "kvk",
        "street": "street",
        "building number": "building_number",
        "postcode": "postcode",
        "town": "town",
        "country": "country",
    }

    def __init__(self, code: str | None = None):
        super().__init__()
        self.code = code

    def form_title(self) -> str:
        return t("Edit administration {code}", code=self.code) if self.code else t("New administration")

    def compose_fields(self) -> ComposeResult:
        yield from self.row(
            "code",
            "Code",
            Input(self.code or "", max_length=20, disabled=self.code is not None),
            "" if self.code else t("short and unique, e.g. MAIN; it cannot be changed later"),
        )
        yield from self.row("name", "Name", Input(max_length=70), t("the creditor name the files carry"))
        yield from self.row(
            "creditor_id",
            "Creditor ID",
            Input(max_length=35, placeholder="NL00ZZZ000000000000"),
            t("the creditor identifier (Incassant ID) your bank issued"),
        )
        yield from self.row("kvk", "KvK number", Input(max_length=12))
        for key, label, length in ADDRESS:
            yield from self.row(key, label, Input("NL" if key == "country" else "", max_length=length))

    def on_mount(self) -> None:
        if self.code is not None:
            self.load_existing(org.show_administration, self.code, self._fill)
        else:
            self.field("code").focus()

    def _fill(self, detail: org.AdministrationDetail) -> None:
        for key in ("name", "creditor_id", "kvk", "street", "building_number", "postcode", "town", "country"):
            self.field(key).value = getattr(detail, key) or ""
        self.field("name").focus()

    def check_context(self, key: str) -> dict[str, str]:
        return {"creditor_id": self.value("creditor_id")} if key == "kvk" else {}

    def idle_note(self, key: str) -> str:
        if key == "kvk":
            return t("empty: the KvK number inside a Dutch creditor identifier")
        if key == "code" and self.code is None:
            return t("short and unique, e.g. MAIN; it cannot be changed later")
        if key == "creditor_id":
            return t("the creditor identifier (Incassant ID) your bank issued")
        return ""

    def after_typed(self, key: str, check: FieldCheck | None) -> None:
        if key == "creditor_id":
            self.field("kvk").placeholder = (check.derived.get("kvk", "") if check and check.ok else "") or ""
            if self.value("kvk"):
                self.check_typed("kvk")

    def values(self) -> dict[str, str]:
        data = {
            key: self.value(key)
            for key in ("name", "creditor_id", "kvk", "street", "building_number", "postcode", "town")
        }
        data["country"] = self.value("country").upper() or "NL"
        return data

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        actor = self.incasso.actor
        values = self.values()
        if self.code is not None:
            return (lambda: org.edit_administration(actor, self.code or "", **values)), ()
        code = self.value("code")
        return (lambda: org.add_administration(actor, code, **values)), ()
