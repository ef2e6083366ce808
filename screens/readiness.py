"""The readiness report: everything that will stop (blocking) or endanger (warning) the next
collection, grouped with counts, what to do, and the objects; Enter opens an object."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from incasso_tui.i18n import t
from incasso_tui.services.readiness import BLOCKING, Group, Item, Report, readiness_report
from screens.base import AreaScreen
from screens.widgets.formatting import date_text, escape

if TYPE_CHECKING:
    from incasso_tui.services.debtors import DebtorDetail

LIMIT = 50  # objects listed per group
KINDS = {
    "administration": "Administration",
    "bank_group": "Bank group",
    "debtor": "Debtor",
    "mandate": "Mandate",
    "order": "Order",
}


def summary_text(report: Report) -> str:
    """'Ready' or 'N blocking, M warnings': the Home tile's words and this screen's heading."""
    if report.ready and not report.warnings:
        return t("Ready for the next collection")
    blocking = t("{n} blocking", n=report.blocking)
    warnings = t("{n} warnings", n=report.warnings) if report.warnings != 1 else t("1 warning")
    if report.ready:
        return t("Ready") + f" · {warnings}"
    return f"{blocking}, {warnings}"


class ReadinessScreen(AreaScreen):
    AREA = "readiness"
    TITLE = "Readiness"
    CSS_PATH = "../styles/readiness.tcss"
    HELP = """
# Readiness

Everything that will stop (**blocking**) or endanger (**warning**) the next collection in the
administrations you may see: administrations without a bank account, bank groups without a
delivery directory or send command, debtors whose files need an address they do not have, B2B
mandates not confirmed as registered, open orders without a usable mandate or over the
account's maximum per transaction, addresses a pain.008.001.08 file cannot carry, mandates
expiring within 60 days and mandate forms not printed yet.

Each group says what to do. **Enter** (or a click) opens the selected object: a mandate its
mandate screen, a debtor or an order the debtor with its mandates, an administration or bank
group the admin list. **r** checks again. The same report is `incasso check` on the command
line (exit 1 when something blocks).
"""
    BINDINGS = [
        Binding("enter", "open_item", "Open", id="readiness-open"),
        Binding("r", "refresh", "Refresh", id="readiness-refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: Report | None = None
        self.items: dict[str, Item] = {}
        self._returning = False

    def compose_body(self) -> ComposeResult:
        yield Static(t("Loading…"), id="readiness-summary")
        yield OptionList(id="readiness-list")

    def on_mount(self) -> None:
        self.query_one("#readiness-list", OptionList).focus()
        self.action_refresh()

    def on_screen_resume(self) -> None:
        if self._returning:  # back from an object that may have been put right
            self._returning = False
            self.action_refresh()

    def action_refresh(self) -> None:
        self.run_service(readiness_report, self.incasso.actor, then=self.show, group="readiness", limit=LIMIT)

    # --- showing ------------------------------------------------------------------------
    def show(self, report: Report) -> None:
        self.report = report
        style = "error" if not report.ready else "warning" if report.warnings else "success"
        self.query_one("#readiness-summary", Static).update(
            f"[b]{escape(summary_text(report))}[/b]   {t('on {date}', date=date_text(report.date))}"
            f"   [dim]{t('Enter: open')}[/dim]"
        )
        self.set_class(style == "error", "-blocking")
        self.set_class(style == "warning", "-warning")
        self.set_class(style == "success", "-ready")
        self.items = {}
        options: list[Option | None] = []
        for group in report.problems:
            options.extend(self._group_options(group))
            options.append(None)
        clean = [g for g in report.groups if not g.count]
        if clean:
            options.append(Option(f"[b]{t('Nothing found')}[/b]", disabled=True))
            options.extend(Option(f"  ✓ {t(g.title)}", disabled=True) for g in clean)
        option_list = self.query_one("#readiness-list", OptionList)
        highlighted = option_list.highlighted
        option_list.set_options(options)
        if self.items:
            first = next(iter(self.items))
            keep = highlighted if highlighted is not None and highlighted < option_list.option_count else None
            option = option_list.get_option_at_index(keep) if keep is not None else None
            option_list.highlighted = (
                keep if option is not None and not option.disabled else option_list.get_option_index(first)
            )
        self.incasso.mark_first_screen()
        self.refresh_bindings()

    def _group_options(self, group: Group) -> list[Option]:
        if group.severity == BLOCKING:
            label = f"[b reverse $error] {t('Blocking')} [/]"
        else:
            label = f"[b reverse $warning] {t('Warning')} [/]"
        options = [
            Option(f"{label} [b]{escape(t(group.title))}[/b]: {group.count}", disabled=True),
            Option(f"[i]{t('To do')}: {escape(t(group.fix))}[/i]", disabled=True),
        ]
        for index, item in enumerate(group.items):
            key = f"{group.key}:{index}"
            self.items[key] = item
            where = f" ({escape(item.administration)})" if item.administration else ""
            why = t(item.why, **item.values) if item.values else t(item.why)
            options.append(
                Option(
                    f"  {t(KINDS.get(item.kind, item.kind))} [b]{escape(item.code)}[/b]  "
                    f"{escape(item.name)}{where} — {escape(why)}",
                    id=key,
                )
            )
        more = group.count - len(group.items)
        if more > 0:
            options.append(
                Option(
                    f"  [i]{t('… and {n} more (incasso check --limit N lists them)', n=more)}[/i]",
                    disabled=True,
                )
            )
        return options

    # --- opening an object --------------------------------------------------------------
    def selected_item(self) -> Item | None:
        option_list = self.query_one_optional("#readiness-list", OptionList)
        option = option_list.highlighted_option if option_list is not None else None
        return self.items.get(option.id or "") if option is not None else None

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "open_item":
            return True if self.selected_item() is not None else None
        return super().check_action(action, parameters)

    @on(OptionList.OptionHighlighted, "#readiness-list")
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#readiness-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_item()

    def action_open_item(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        if item.kind == "mandate":
            from screens.mandate_detail import MandateDetailScreen

            self._open(MandateDetailScreen(item.id))
        elif item.debtor_id is not None:  # a debtor, or an order: its debtor with the mandates
            # Imported here: the Home screen imports this module and starts without the debtor
            # services (they load the SEPA engine).
            from incasso_tui.services.debtors import debtor_detail

            self.run_service(debtor_detail, self.incasso.actor, item.debtor_id, then=self._open_debtor)
        elif item.kind in ("administration", "bank_group"):
            area = "administrations" if item.kind == "administration" else "bank_groups"
            if not self.incasso.actor.is_admin:
                self.notify(t("Only an admin can change this"), severity="warning")
                return
            self._open(self.incasso.make_screen(area))

    def _open_debtor(self, d: DebtorDetail) -> None:
        from incasso_tui.services.browse import DebtorRow
        from screens.debtor_views import DebtorScreen

        row = DebtorRow(
            d.id,
            d.number,
            d.name,
            d.administration,
            d.town,
            d.iban,
            d.is_business,
            d.language,
            len(d.mandates),
        )
        self._open(DebtorScreen(row))

    def _open(self, screen) -> None:
        # Pushed, not switched: Escape comes back to the report, which is then checked again.
        self._returning = True
        self.app.push_screen(screen)
