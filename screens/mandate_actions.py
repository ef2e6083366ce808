"""The actions on one mandate, shared by the mandates list, a debtor's screen and the mandate
screen: edit, activate, end, confirm B2B registration, print the form, history.

Keys the user's role does not allow are hidden; keys that do not apply to the selected
mandate (activate an active one, confirm a CORE one) are shown dimmed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.binding import Binding

from incasso_tui.core.clock import today
from incasso_tui.core.errors import ValidationError
from incasso_tui.i18n import t
from incasso_tui.services.auth import EDIT
from incasso_tui.services.input_rules import parse_date
from incasso_tui.services.mandates import forms as mandate_forms
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates import lookup as mandate_lookup
from screens.modals.confirm import ConfirmScreen
from screens.modals.form_base import error_text
from screens.modals.prompt import PromptScreen
from screens.widgets.formatting import date_text


@dataclass(frozen=True)
class MandateRef:
    """What the actions need to know of the selected mandate."""

    id: int
    reference: str
    administration_id: int
    status: str
    scheme: str
    b2b_registered: bool
    end: dt.date | None

    @classmethod
    def of(cls, row) -> MandateRef:
        """From a list row (browse.MandateRow) or a mandate's detail (MandateDetail)."""
        if hasattr(row, "written_reference"):
            return cls(
                row.id,
                row.written_reference,
                row.administration_id,
                row.status,
                row.scheme,
                row.b2b_registered,
                row.end_date,
            )
        return cls(
            row.id, row.reference, row.administration_id, row.status, row.scheme, row.b2b_registered, row.end
        )


MANDATE_BINDINGS = [
    Binding("e", "edit_mandate", t("Edit"), id="mandate-edit"),
    Binding("v", "activate_mandate", t("Activate"), id="mandate-activate"),
    Binding("d", "end_mandate", t("End mandate"), id="mandate-end"),
    Binding("r", "confirm_b2b", t("B2B registered"), id="mandate-b2b"),
    Binding("p", "print_form", t("Print form"), id="mandate-print"),
    Binding("h", "history", t("History"), id="mandate-history"),
]
ACTIONS = {b.action for b in MANDATE_BINDINGS}


class MandateActions:
    """Mixin for AreaScreens. Subclasses give `selected_mandate()` and `mandate_changed()`."""

    def selected_mandate(self) -> MandateRef | None:
        raise NotImplementedError

    def mandate_changed(self, mandate_id: int) -> None:
        """Show the change (reload the list or the detail)."""

    def mandate_action_state(self, action: str) -> bool | None:
        """True: allowed; None: shown dimmed (not for this mandate); False: hidden (role)."""
        ref = self.selected_mandate()
        actor = self.incasso.actor
        if action in ("print_form", "history"):
            return True if ref is not None else None
        if not actor.may(EDIT):
            return False
        if ref is None or not actor.may(EDIT, ref.administration_id):
            return None
        if action == "activate_mandate":
            return True if ref.status == "inactive" else None
        if action == "end_mandate":
            return True if ref.status in ("active", "inactive", "expired", "blocked") else None
        if action == "confirm_b2b":
            return (
                True
                if ref.scheme == "B2B" and not ref.b2b_registered and ref.status not in ("ended", "revoked")
                else None
            )
        return True

    def mandate_bindings_key(self) -> tuple:
        return tuple(self.mandate_action_state(a) for a in sorted(ACTIONS))

    # --- actions --------------------------------------------------------------------------
    def action_edit_mandate(self) -> None:
        from screens.modals.mandate_form import MandateFormScreen

        ref = self.selected_mandate()
        if ref is not None:
            self.app.push_screen(MandateFormScreen(mandate_id=ref.id), self._saved)

    def _saved(self, mandate) -> None:
        if mandate is not None:
            self.notify(
                t(
                    "Mandate {reference} saved: {status}",
                    reference=mandate.reference,
                    status=t(mandate.status),
                )
            )
            self.mandate_changed(mandate.id)

    def action_activate_mandate(self) -> None:
        ref = self.selected_mandate()
        if ref is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_service(mandates.activate_mandate, self.incasso.actor, ref.id, then=self._activated)

        self.app.push_screen(
            ConfirmScreen(
                t("Activate mandate {reference}", reference=ref.reference),
                t(
                    "The mandate becomes effective today ({date}). A mandate form signed by the debtor "
                    "must exist: European law requires that you can show it.",
                    date=date_text(today()),
                ),
                yes=t("Activate"),
            ),
            answered,
        )

    def _activated(self, mandate) -> None:
        self.notify(
            t("Mandate {reference} is active from today; keep the signed form.", reference=mandate.reference)
        )
        self.mandate_changed(mandate.id)

    def action_end_mandate(self) -> None:
        ref = self.selected_mandate()
        if ref is None:
            return
        yesterday = today() - dt.timedelta(days=1)

        def check(text: str) -> str | None:
            if not text.strip():
                return t("enter the last day the mandate may be collected")
            try:
                parse_date(text, "end date")
            except ValidationError as exc:
                return error_text(exc)
            return None

        def entered(text: str | None) -> None:
            if text:
                self.run_service(mandates.end_mandate, self.incasso.actor, ref.id, text, then=self._ended)

        self.app.push_screen(
            PromptScreen(
                t("End mandate {reference}", reference=ref.reference),
                t(
                    "End date: the mandate is inactive after this day. Yesterday ({date}) ends it now.",
                    date=date_text(yesterday),
                ),
                date_text(ref.end) if ref.end else date_text(yesterday),
                check=check,
            ),
            entered,
        )

    def _ended(self, mandate) -> None:
        self.notify(
            t(
                "Mandate {reference} ends on {date}: {status}",
                reference=mandate.reference,
                date=date_text(mandate.end_date),
                status=t(mandate.status),
            )
        )
        self.mandate_changed(mandate.id)

    def action_confirm_b2b(self) -> None:
        ref = self.selected_mandate()
        if ref is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_service(
                    mandates.confirm_b2b_registration,
                    self.incasso.actor,
                    ref.id,
                    then=lambda m: (
                        self.notify(t("Registration confirmed for {reference}", reference=m.reference)),
                        self.mandate_changed(m.id),
                    ),
                )

        self.app.push_screen(
            ConfirmScreen(
                t("B2B registration of {reference}", reference=ref.reference),
                t(
                    "Has the debtor registered this business mandate at their bank? Only then may it "
                    "be collected."
                ),
                yes=t("Confirm"),
            ),
            answered,
        )

    def action_print_form(self) -> None:
        ref = self.selected_mandate()
        if ref is None:
            return
        path = mandate_forms.default_path(self.incasso.session.config.data_dir, f"mandate-{ref.reference}")

        def entered(text: str | None) -> None:
            if text:
                self.run_service(
                    mandate_forms.print_form,
                    self.incasso.actor,
                    ref.id,
                    text,
                    then=lambda result: self._printed(result, ref.id),
                    group="print",
                )

        self.app.push_screen(
            PromptScreen(
                t("Print the mandate form of {reference}", reference=ref.reference),
                t("PDF file"),
                str(path),
                check=_pdf_path_rule,
            ),
            entered,
        )

    def _printed(self, result, mandate_id: int) -> None:
        from incasso_tui.documents import font_warning

        self.notify(t("Mandate form written to {path}", path=str(result.path)), timeout=8)
        warning = font_warning()
        if warning:
            self.notify(warning, severity="warning", timeout=8)
        self.mandate_changed(mandate_id)

    def action_history(self) -> None:
        from screens.modals.history import HistoryScreen

        ref = self.selected_mandate()
        if ref is not None:
            self.run_service(
                mandate_lookup.mandate_detail,
                self.incasso.actor,
                ref.id,
                then=lambda d: self.app.push_screen(
                    HistoryScreen(
                        t("History of mandate {reference}", reference=d.written_reference), d.history
                    )
                ),
            )


def _pdf_path_rule(text: str) -> str | None:
    if not text.strip():
        return t("enter a file name")
    if not text.strip().lower().endswith(".pdf"):
        return t("the file name must end in .pdf")
    return None
