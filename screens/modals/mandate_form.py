"""The mandate form (new / edit): rules checked as you type, the rest when saving.

New from the mandates list: choose the administration and the debtor with the debtor picker
(part of a name, number, IBAN or town; the debtor's name appears when found). New from a debtor: the debtor is fixed. Edit: the
reference, scheme and kind are locked once the mandate has been collected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from incasso_tui.i18n import t
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates import lookup as mandate_lookup
from incasso_tui.services.mandates.lifecycle import MandateInput
from screens.modals.form_base import FormScreen, date_placeholder, error_text, form_date
from screens.widgets.debtor_picker import DebtorPicker
from screens.widgets.formatting import escape

DATE_FIELDS = ("signed_date", "effective_date", "end_date")


class MandateFormScreen(FormScreen):
    FIELD_KEYS = {
        "debtor": "debtor",
        "scheme": "scheme",
        "kind": "recurrent",
        "invoice type": "invoice_type",
        "date signed": "signed_date",
        "effective date": "effective_date",
        "end date": "end_date",
        "reason": "reason",
        "reference": "reference",
        "external reference": "external_reference",
    }

    def __init__(
        self,
        *,
        debtor_id: int | None = None,
        mandate_id: int | None = None,
        administrations: list[tuple[int, str, str]] | None = None,
    ):
        super().__init__()
        self.debtor_id = debtor_id
        self.mandate_id = mandate_id
        self.administrations = administrations or []
        self.context: mandate_lookup.FormContext | None = None
        self.collected = False

    def form_title(self) -> str:
        return t("Edit mandate") if self.mandate_id else t("New mandate")

    def compose_fields(self) -> ComposeResult:
        if self.mandate_id is None and self.debtor_id is None:
            options = [(f"{code} – {name}", adm_id) for adm_id, code, name in self.administrations]
            yield from self.row(
                "administration",
                "Administration",
                Select(options, allow_blank=False)
                if options
                else Select([], prompt=t("none you may change")),
            )
            yield from self.row(
                "debtor",
                "Debtor",
                DebtorPicker(
                    input_id="f-debtor-input",
                    placeholder=t("name, number, IBAN or town"),
                    administration=self._administration,
                ),
            )
        else:
            yield from self.row("debtor", "Debtor", Static(t("Loading…"), classes="form-value"))
        yield from self.row(
            "scheme",
            "Scheme",
            Select(
                [(t("CORE – standard"), "CORE"), (t("B2B – business"), "B2B")],
                value="CORE",
                allow_blank=False,
            ),
        )
        yield from self.row(
            "recurrent",
            "Kind",
            Select([(t("recurrent"), True), (t("one-off"), False)], value=True, allow_blank=False),
        )
        yield from self.row(
            "invoice_type",
            "Invoice type",
            Select([(t("all invoice types"), "")], value="", allow_blank=False),
        )
        yield from self.row("signed_date", "Date signed", Input(placeholder=date_placeholder()))
        yield from self.row(
            "effective_date",
            "Effective date",
            Input(placeholder=date_placeholder()),
            t("active from this date; empty = inactive until the signed form is in"),
        )
        yield from self.row(
            "end_date",
            "End date",
            Input(placeholder=date_placeholder()),
            t("inactive after this date; yesterday = ends now"),
        )
        yield from self.row(
            "reason", "Reason", Input(placeholder=t("from the invoice type or administration"))
        )
        yield from self.row(
            "reference",
            "Reference",
            Input(placeholder=t("assigned automatically") if self.mandate_id is None else ""),
        )
        yield from self.row(
            "external_reference",
            "External reference",
            Input(placeholder=t("optional; written into files instead")),
        )

    def on_mount(self) -> None:
        if self.mandate_id is not None:
            self._load_edit()
        elif self.debtor_id is not None:
            self._load_debtor()
            self.field("scheme").focus()
        else:
            self.field("debtor").focus()

    # --- loading --------------------------------------------------------------------------
    @work(thread=True, group="form-load", exit_on_error=False)
    def _load_debtor(self) -> None:
        app = self.incasso
        if self.debtor_id is None:
            return
        context = app.call_service(mandate_lookup.form_context, app.actor, self.debtor_id)
        app.call_from_thread(self._set_context, context)

    @work(thread=True, group="form-load", exit_on_error=False)
    def _load_edit(self) -> None:
        app = self.incasso
        if self.mandate_id is None:
            return
        context, data, collected = app.call_service(mandate_lookup.edit_context, app.actor, self.mandate_id)
        app.call_from_thread(self._fill, context, data, collected)

    def _set_context(self, context: mandate_lookup.FormContext | None) -> None:
        self.context = context
        if self.query("#f-debtor.form-value"):
            self.field("debtor").update(
                escape(f"{context.debtor_number} {context.debtor_name} ({context.administration})")
                if context
                else ""
            )
        elif context is None:
            # Part of a name or town is no error: the matches are listed under the field.
            self.note(
                "debtor",
                t(
                    "no debtor with this number in this administration: pick one from the list (Up/Down, Enter)"
                )
                if self.value("debtor")
                else "",
            )
        else:
            self.note(
                "debtor",
                f"{context.debtor_name}" + (f" · {t('business')}" if context.debtor_business else ""),
            )
        types = self.field("invoice_type")
        options = [(t("all invoice types"), "")]
        if context and context.scope == "invoice_type":
            options += [(f"{code} – {name}", code) for code, name in context.invoice_types]
        types.set_options(options)
        types.disabled = not (context and context.scope == "invoice_type")
        self.note(
            "invoice_type",
            ""
            if types.disabled or context is None
            else t("empty = one mandate for every invoice type of the debtor"),
        )
        self._check_scheme()

    def _fill(self, context: mandate_lookup.FormContext, data: MandateInput, collected: bool) -> None:
        self._set_context(context)
        self.collected = collected
        self.field("scheme").value = data.scheme
        self.field("recurrent").value = data.recurrent
        if data.invoice_type:
            self.field("invoice_type").value = data.invoice_type
        for key in DATE_FIELDS:
            self.field(key).value = form_date(getattr(data, key))
        for key in ("reason", "reference", "external_reference"):
            self.field(key).value = getattr(data, key) or ""
        if collected:
            for key in ("reference", "external_reference", "scheme", "recurrent"):
                self.field(key).disabled = True
            self.note("reference", t("collected under: the reference can no longer change"))
        self.field("signed_date").focus()

    # --- checking as you type -------------------------------------------------------------
    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("f-")
        if key in DATE_FIELDS or key in ("reference", "external_reference"):
            error = mandates.check_field(key, event.value)
            default = {
                "effective_date": t("active from this date; empty = inactive until the signed form is in"),
                "end_date": t("inactive after this date; yesterday = ends now"),
            }.get(key, "")
            self.note(key, error_text(error) if error else default, error=error is not None)
            if key in ("effective_date", "end_date") and error is None:
                self._check_date_order()
        elif key == "debtor-input":
            self._lookup_debtor(event.value)

    def _check_date_order(self) -> None:
        """An end date before the effective date: warned at once, refused on saving."""
        order = mandates.check_date_order(self.value("effective_date"), self.value("end_date"))
        if order is not None:
            self.note("end_date", error_text(order), error=True)
        elif mandates.check_field("end_date", self.value("end_date")) is None:
            self.note("end_date", t("inactive after this date; yesterday = ends now"))

    def _administration(self) -> int | None:
        adm_id = self.field("administration").value if self.query("#f-administration") else None
        return adm_id if isinstance(adm_id, int) else None

    @on(Select.Changed, "#f-scheme")
    def _scheme_changed(self) -> None:
        self._check_scheme()

    @on(Select.Changed, "#f-administration")
    def _administration_changed(self) -> None:
        if self.value("debtor"):
            self._lookup_debtor(self.value("debtor"))
            self.field("debtor").refresh_matches()

    def _check_scheme(self) -> None:
        b2b_private = (
            self.field("scheme").value == "B2B"
            and self.context is not None
            and not self.context.debtor_business
        )
        self.note(
            "scheme",
            t("B2B is only for business debtors; this debtor is private") if b2b_private else "",
            error=b2b_private,
        )

    @work(thread=True, exclusive=True, group="form-debtor", exit_on_error=False)
    def _lookup_debtor(self, number: str) -> None:
        app = self.incasso
        adm_id = self.field("administration").value if self.query("#f-administration") else None
        if not number.strip() or not isinstance(adm_id, int):
            app.call_from_thread(self._set_context, None)
            return
        context = app.call_service(mandate_lookup.form_context_by_number, app.actor, adm_id, number)
        app.call_from_thread(self._set_context, context)

    # --- saving ---------------------------------------------------------------------------
    def collect(self) -> MandateInput:
        invoice_type = self.field("invoice_type").value
        return MandateInput(
            scheme=str(self.field("scheme").value),
            recurrent=bool(self.field("recurrent").value),
            invoice_type="" if invoice_type in (None, Select.NULL) else str(invoice_type),
            signed_date=self.value("signed_date"),
            effective_date=self.value("effective_date"),
            end_date=self.value("end_date"),
            reason=self.value("reason"),
            reference=self.value("reference"),
            external_reference=self.value("external_reference"),
        )

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        actor = self.incasso.actor
        if self.mandate_id is not None:
            return mandates.update_mandate, (actor, self.mandate_id, self.collect())
        if self.context is None:
            from incasso_tui.core.errors import ValidationError

            raise ValidationError("debtor", "choose an existing debtor")
        return mandates.create_mandate, (actor, self.context.debtor_id, self.collect())
