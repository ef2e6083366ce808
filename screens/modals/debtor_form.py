"""The debtor form (new / edit): structured address, language, business or private, and the
IBAN checked as it is typed with the BIC derived from it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select

from incasso_tui.i18n import t
from incasso_tui.services import debtors
from incasso_tui.services.debtors import DebtorInput
from screens.modals.form_base import FormScreen, error_text

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "de": "Deutsch"}


class DebtorFormScreen(FormScreen):
    FIELD_KEYS = {
        "administration": "administration",
        "number": "number",
        "name": "name",
        "street": "street",
        "building number": "building_number",
        "postcode": "postcode",
        "town": "town",
        "country": "country",
        "language": "language",
        "business": "is_business",
        "IBAN": "iban",
        "BIC": "bic",
        "email": "email",
    }

    def __init__(
        self,
        *,
        debtor_id: int | None = None,
        administrations: list[tuple[int, str, str]] | None = None,
        administration_id: int | None = None,
    ):
        super().__init__()
        self.debtor_id = debtor_id
        self.administrations = administrations or []
        self.administration_id = administration_id

    def form_title(self) -> str:
        return t("Edit debtor") if self.debtor_id else t("New debtor")

    def compose_fields(self) -> ComposeResult:
        if self.debtor_id is None:
            options = [(f"{code} – {name}", adm_id) for adm_id, code, name in self.administrations]
            value = (
                self.administration_id
                if any(o[1] == self.administration_id for o in options)
                else (options[0][1] if options else Select.NULL)
            )
            yield from self.row(
                "administration", "Administration", Select(options, value=value, allow_blank=not options)
            )
        yield from self.row("number", "Number", Input(max_length=20))
        yield from self.row("name", "Name", Input(max_length=140))
        yield from self.row("street", "Street", Input(max_length=70))
        yield from self.row("building_number", "Building number", Input(max_length=16))
        yield from self.row("postcode", "Postcode", Input(max_length=16))
        yield from self.row("town", "Town", Input(max_length=35))
        yield from self.row("country", "Country", Input("NL", max_length=2))
        yield from self.row(
            "language",
            "Language",
            Select([(name, code) for code, name in LANGUAGE_NAMES.items()], value="nl", allow_blank=False),
            t("language of the mandate form and letters"),
        )
        yield from self.row("is_business", "Business", Checkbox(t("business debtor (B2B possible)")))
        yield from self.row("iban", "IBAN", Input(max_length=42))
        yield from self.row("bic", "BIC", Input(max_length=11, placeholder=t("derived from the IBAN")))
        yield from self.row("email", "Email", Input(max_length=254))

    def on_mount(self) -> None:
        if self.debtor_id is not None:
            self._load()
        else:
            self._suggest_number()
            self.field("name").focus()

    @work(thread=True, group="form-load", exit_on_error=False)
    def _load(self) -> None:
        app, debtor_id = self.incasso, self.debtor_id
        if debtor_id is None:
            return
        data = app.call_service(lambda: DebtorInput.from_debtor(debtors.get_debtor(app.actor, debtor_id)))
        app.call_from_thread(self._fill, data)

    def _fill(self, data: DebtorInput) -> None:
        if data.bic and data.bic == debtors.check_iban(data.iban).bic:
            data.bic = ""  # derived: leave it empty so a new IBAN gets its own BIC
        for key in (
            "number",
            "name",
            "street",
            "building_number",
            "postcode",
            "town",
            "country",
            "iban",
            "bic",
            "email",
        ):
            self.field(key).value = getattr(data, key) or ""
        self.field("language").value = data.language if data.language in LANGUAGE_NAMES else "nl"
        self.field("is_business").value = data.is_business
        self.field("name").focus()

    @on(Select.Changed, "#f-administration")
    def _administration_changed(self) -> None:
        self._suggest_number()

    @work(thread=True, exclusive=True, group="form-number", exit_on_error=False)
    def _suggest_number(self) -> None:
        app = self.incasso
        adm_id = self.field("administration").value
        if not isinstance(adm_id, int):
            return
        number = app.call_service(debtors.next_number, app.actor, adm_id)
        app.call_from_thread(self._set_number, number)

    def _set_number(self, number: str) -> None:
        field = self.field("number")
        if not field.value or getattr(self, "_suggested", None) == field.value:
            field.value = number
            self._suggested = number
            self.note("number", t("suggested: one above the highest number"))

    @on(Input.Changed, "#f-iban")
    def _iban_changed(self, event: Input.Changed) -> None:
        check = debtors.check_iban(event.value)  # pure: no database, safe on every key
        if check.error:
            self.note("iban", error_text(check.error), error=True)
        elif check.iban:
            self.note(
                "iban",
                t("valid")
                + (f" · BIC {check.bic}" if check.bic else " · " + t("BIC not derived (enter it if known)")),
            )
        else:
            self.note("iban", "")
        self.field("bic").placeholder = check.bic or t("derived from the IBAN")

    def collect(self) -> DebtorInput:
        number = self.value("number")
        if number and getattr(self, "_suggested", None) == number:
            # Still the proposal: if another user takes it first, the next free one is used.
            number = debtors.SuggestedNumber(number)
        return DebtorInput(
            number=number,
            name=self.value("name"),
            street=self.value("street"),
            building_number=self.value("building_number"),
            postcode=self.value("postcode"),
            town=self.value("town"),
            country=self.value("country").upper(),
            language=str(self.field("language").value),
            is_business=self.field("is_business").value,
            iban=self.value("iban"),
            bic=self.value("bic"),
            email=self.value("email"),
        )

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        actor = self.incasso.actor
        if self.debtor_id is not None:
            return debtors.update_debtor, (actor, self.debtor_id, self.collect())
        adm_id = self.field("administration").value
        if not isinstance(adm_id, int):
            from incasso_tui.core.errors import ValidationError

            raise ValidationError("administration", "choose an administration you may change")
        return debtors.create_debtor, (actor, adm_id, self.collect())
