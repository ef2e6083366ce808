"""The actions on one mandate, shared by the mandates list, a debtor's screen and the mandate
screen: edit, activate, end, confirm B2B registration, replace the reference, print the form,
history.

Keys the user's role does not allow are hidden; keys that do not apply to the selected
mandate (activate an active one, confirm a CORE one) are shown dimmed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from incasso_tui.core.clock import today
from incasso_tui.core.errors import ValidationError
from incasso_tui.i18n import t
from incasso_tui.services.auth import Actor
from incasso_tui.services.browse import MandateRow
from incasso_tui.services.input_rules import parse_date
from incasso_tui.services.mandates import forms as mandate_forms
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates import lookup as mandate_lookup
from incasso_tui.services.mandates.lifecycle import MandateAction
from screens.modals.confirm import ConfirmScreen
from screens.modals.form_base import error_text
from screens.modals.prompt import PromptScreen
from screens.widgets.formatting import date_text

if TYPE_CHECKING:
    from screens.base import AreaScreen

    _ScreenBase = AreaScreen  # the mixin is only ever mixed into area screens
else:
    _ScreenBase = object


@dataclass(frozen=True)
class MandateRef:
    """What the actions need to know of the selected mandate, and what the user may do
    with it (said by the mandate service)."""

    id: int
    reference: str
    administration_id: int
    status: str
    scheme: str
    b2b_registered: bool
    end: dt.date | None
    actions: frozenset[MandateAction]
    signed: dt.date | None = None

    @classmethod
    def of(cls, row: MandateRow | mandate_lookup.MandateDetail, actor: Actor) -> MandateRef:
        """From a list row (browse.MandateRow) or a mandate's detail (MandateDetail)."""
        actions = mandates.mandate_actions(
            actor, row.administration_id, row.status, row.scheme, row.b2b_registered
        )
        if isinstance(row, mandate_lookup.MandateDetail):
            return cls(
                row.id,
                row.written_reference,
                row.administration_id,
                row.status,
                row.scheme,
                row.b2b_registered,
                row.end_date,
                actions,
                row.signed_date,
            )
        return cls(
            row.id,
            row.reference,
            row.administration_id,
            row.status,
            row.scheme,
            row.b2b_registered,
            row.end,
            actions,
            row.signed,
        )


MANDATE_BINDINGS = [
    Binding("e", "edit_mandate", "Edit", id="mandate-edit"),
    Binding("v", "activate_mandate", "Activate", id="mandate-activate"),
    Binding("d", "end_mandate", "End mandate", id="mandate-end"),
    Binding("r", "confirm_b2b", "B2B registered", id="mandate-b2b"),
    Binding("c", "replace_reference", "New reference", id="mandate-reference"),
    Binding("p", "print_form", "Print form", id="mandate-print"),
    Binding("h", "history", "History", id="mandate-history"),
]
ACTIONS = {b.action for b in MANDATE_BINDINGS}
# The keys that change the mandate -> the action the mandate service allows or not.
_CHANGES = {
    "edit_mandate": MandateAction.EDIT,
    "activate_mandate": MandateAction.ACTIVATE,
    "end_mandate": MandateAction.END,
    "confirm_b2b": MandateAction.CONFIRM_B2B,
    "replace_reference": MandateAction.REPLACE_REFERENCE,
}


class MandateActions(_ScreenBase):
    """Mixin for AreaScreens. Subclasses give `selected_mandate()` and `mandate_changed()`."""

    def selected_mandate(self) -> MandateRef | None:
        raise NotImplementedError

    def mandate_changed(self, mandate_id: int) -> None:
        """Show the change (reload the list or the detail)."""

    def mandate_action_state(self, action: str) -> bool | None:
        """True: allowed; None: shown dimmed (not for this mandate); False: hidden (role)."""
        ref = self.selected_mandate()
        if action in ("print_form", "history"):
            return True if ref is not None else None
        if not mandates.may_change_mandates(self.incasso.actor):
            return False
        if ref is None:
            return None
        return True if _CHANGES[action] in ref.actions else None

    def mandate_bindings_key(self) -> tuple[bool | None, ...]:
        return tuple(self.mandate_action_state(a) for a in sorted(ACTIONS))

    # --- actions --------------------------------------------------------------------------
    def action_edit_mandate(self) -> None:
        from screens.modals.mandate_form import MandateFormScreen

        ref = self.selected_mandate()
        if ref is not None:
            self.app.push_screen(MandateFormScreen(mandate_id=ref.id), self._saved)

    def _saved(self, mandate: Any) -> None:
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
        from screens.modals.activate import ActivateScreen

        ref = self.selected_mandate()
        if ref is None:
            return

        def chosen(effective: dt.date | None) -> None:
            if effective is not None:
                self.run_service(
                    mandates.activate_mandate, self.incasso.actor, ref.id, effective, then=self._activated
                )

        self.app.push_screen(ActivateScreen(ref.reference, ref.signed, ref.end, today()), chosen)

    def _activated(self, mandate: Any) -> None:
        self.notify(
            t(
                "Mandate {reference} is active from {date}; keep the signed form.",
                reference=mandate.reference,
                date=date_text(mandate.effective_date),
            )
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

    def _ended(self, mandate: Any) -> None:
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
                    mandates.confirm_b2b_registration, self.incasso.actor, ref.id, then=self._confirmed
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

    def _confirmed(self, mandate: Any) -> None:
        self.notify(t("Registration confirmed for {reference}", reference=mandate.reference))
        self.mandate_changed(mandate.id)

    def action_replace_reference(self) -> None:
        ref = self.selected_mandate()
        if ref is None:
            return

        def check(text: str) -> str | None:
            if not text.strip():
                return t("enter the new reference")
            problem = mandates.check_field("reference", text)  # syntax only: no database per key
            if problem is not None:
                return error_text(problem)
            if text.strip() == ref.reference:
                return t("this is the mandate's reference already")
            return None

        def entered(text: str | None) -> None:
            if text:
                self.run_service(
                    mandates.replace_mandate_reference,
                    self.incasso.actor,
                    ref.id,
                    text.strip(),
                    then=lambda mandate: self._replaced(mandate, ref.reference),
                )

        self.app.push_screen(
            PromptScreen(
                t("New reference for mandate {reference}", reference=ref.reference),
                t(
                    "The reference the bank knows the mandate by. Once collected, the next "
                    "collection tells the bank the old one (amendment)."
                ),
                ref.reference,
                check=check,
            ),
            entered,
        )

    def _replaced(self, mandate: Any, old: str) -> None:
        new = mandate.external_reference or mandate.reference
        if mandate.amend_reference:
            message = t(
                "Mandate {old} is now {new}; the next collection tells the bank the old reference "
                "{original}.",
                old=old,
                new=new,
                original=mandate.amend_reference,
            )
        else:
            message = t("Mandate {old} is now {new}.", old=old, new=new)
        self.notify(message)
        self.mandate_changed(mandate.id)

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

    def _printed(self, result: mandate_forms.PrintResult, mandate_id: int) -> None:
        self.notify(t("Mandate form written to {path}", path=str(result.path)), timeout=8)
        warning = mandate_forms.font_warning()
        if warning:
            self.notify(warning, severity="warning", timeout=8)
        self.mandate_changed(mandate_id)

    def action_history(self) -> None:
        from incasso_tui.services.exports.sources import HistoryFilter
        from screens.modals.history import HistoryScreen

        ref = self.selected_mandate()
        if ref is not None:
            self.run_service(
                mandate_lookup.mandate_detail,
                self.incasso.actor,
                ref.id,
                then=lambda d: self.app.push_screen(
                    HistoryScreen(
                        t("History of mandate {reference}", reference=d.written_reference),
                        d.history,
                        export=("history", HistoryFilter("mandate", d.id)),
                    )
                ),
            )


def _pdf_path_rule(text: str) -> str | None:
    if not text.strip():
        return t("enter a file name")
    if not text.strip().lower().endswith(".pdf"):
        return t("the file name must end in .pdf")
    return None
