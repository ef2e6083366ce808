"""Storneren by hand: kind, reason code, date, and optionally collect again at once.

The kinds the rules allow for this order today come from reversals.reversal_options (the
caller loads them on a worker); a kind that is not allowed is shown with the reason."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select, Static

from incasso_tui.core.clock import today
from incasso_tui.core.errors import ValidationError
from incasso_tui.i18n import t
from incasso_tui.services.feedback.reversals import (
    ReversalOptions,
    ReversalResult,
    reversal_options,
    reverse_order,
)
from screens.modals.form_base import FormScreen
from screens.widgets.app_ref import incasso_app
from screens.widgets.formatting import date_text, money_text

if TYPE_CHECKING:
    from incasso_tui.app import IncassoApp
    from screens.base import AreaScreen


class ReverseFormScreen(FormScreen):
    FORM_TITLE = "Reverse collection"
    FIELD_KEYS = {"kind": "kind", "reason code": "reason", "date": "date", "requested date": "new_date"}

    def __init__(self, options: ReversalOptions) -> None:
        super().__init__()
        self.options = options
        self.allowed = [k for k, v in options["kinds"].items() if v["allowed"]]

    @property
    def incasso(self) -> IncassoApp:
        return incasso_app(self)

    def form_title(self) -> str:
        return t(
            "Reverse order {id} ({amount}, collected {date})",
            id=self.options["order_id"],
            amount=money_text(self.options["amount_cents"]),
            date=date_text(self.options["collection_date"]),
        )

    def compose_fields(self) -> ComposeResult:
        kind = self.allowed[0] if self.allowed else None
        kinds = self.options["kinds"]
        yield from self.row(
            "kind",
            "Kind",
            Select([(t(kinds[k]["label"]), k) for k in self.allowed], value=kind, allow_blank=False),
            note=self._refused_kinds(),
        )
        yield from self.row(
            "reason", "Reason code", Select(self._codes(kind), value=self._default(kind), allow_blank=False)
        )
        yield from self.row("date", "Date", Input(today().isoformat(), placeholder="YYYY-MM-DD"))
        yield from self.row(
            "again", "Collect again", Checkbox(t("create a new order for the same claim (herincasso)"))
        )
        yield from self.row(
            "new_date", "Requested date", Input(placeholder=t("empty: after the pre-notification period"))
        )
        yield from self.row("note", "Note", Input())
        yield Static(t("The full original amount is reversed."), classes="dialog-hint")

    def _refused_kinds(self) -> str:
        lines = [
            f"{t(v['label'])}: {v['reason']}"
            for v in self.options["kinds"].values()
            if not v["allowed"] or v["flag"]
        ]
        return "\n".join(lines)

    def _codes(self, kind: str | None) -> list[tuple[str, str]]:
        """The reason codes the service offers for ``kind``, as (label, code) options."""
        offered = self.options["codes"].get(kind or "", self.options["all_codes"])
        return [(f"{code}  {name}", code) for code, name in offered]

    def _default(self, kind: str | None) -> str:
        return self.options["default_codes"].get(kind or "", self.options["default_code"])

    @on(Select.Changed, "#f-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        kind = str(event.value)
        reason = self.field("reason")
        reason.set_options(self._codes(kind))
        reason.value = self._default(kind)

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        kind = self.field("kind").value
        if kind is Select.BLANK or not self.allowed:
            raise ValidationError("kind", "no kind of reversal is possible for this order")
        call = functools.partial(
            reverse_order,
            self.incasso.actor,
            self.options["order_id"],
            str(kind),
            str(self.field("reason").value),
            on=self.value("date") or None,
            collect_again=bool(self.field("again").value),
            new_date=self.value("new_date") or None,
            note=self.value("note"),
        )
        return call, ()


def open_reverse_form(screen: AreaScreen, order_id: int, then: Callable[[], None] | None = None) -> None:
    """Load what is allowed for the order (worker), then show the form; a refusal (not sent,
    already reversed) is told at once. Shared by the orders, set and debtor screens."""

    def loaded(options: ReversalOptions) -> None:
        if options["refused"]:
            screen.notify(options["refused"], severity="warning", timeout=8)
            return

        def done(result: ReversalResult | None) -> None:
            if result is None:
                return
            text = t(
                "Order {id}: {kind} {code} recorded",
                id=order_id,
                kind=t(result.effect.kind),
                code=result.effect.reason_code,
            )
            if result.new_order_id:
                text += " · " + t("collected again as order {new}", new=result.new_order_id)
            if result.warning:
                text += f" · {result.warning}"
            screen.notify(text, severity="warning" if result.warning else "information", timeout=8)
            if then:
                then()

        screen.app.push_screen(ReverseFormScreen(options), done)

    screen.run_service(
        reversal_options,
        screen.incasso.actor,
        order_id,
        then=loaded,
        group="reverse-options",
        language=screen.incasso.session.config.language,
    )
