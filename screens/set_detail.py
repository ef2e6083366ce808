"""One collection set: raadplegen (orders with sequence type and adjusted date, totals, held-back
orders with reasons, transliteration preview, files) and its actions: process, letter, send,
change date, remove/add orders, delete, handle."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from incasso_tui.i18n import status_label, t, tn
from incasso_tui.services import prenotification
from incasso_tui.services.collection import letters, orders, processing, second_look, sending, sets
from incasso_tui.services.hold_reasons import hold_label
from incasso_tui.services.statuses import SetAction, SetStatus
from screens.base import AreaScreen
from screens.order_links import ORDER_LINK_BINDINGS, OrderLinksMixin
from screens.second_look import second_look_text
from screens.widgets.formatting import date_text, escape, money_text
from screens.widgets.paged_table import SafeTable

# The keys that act on the set, and the action the set service allows or not.
_KEY_ACTIONS = {
    "process": SetAction.PROCESS,
    "letter": SetAction.LETTER,
    "send": SetAction.SEND,
    "change_date": SetAction.CHANGE_DATE,
    "remove_order": SetAction.REMOVE_ORDER,
    "add_orders": SetAction.ADD_ORDERS,
    "delete_set": SetAction.DELETE,
    "handle": SetAction.HANDLE,
    "reverse_order": SetAction.REVERSE_ORDER,
    "prenotify": SetAction.PRENOTIFY,
}


def _reason(held: dict) -> str:
    """The held-back reason in the user's language (the template is translated, then filled)."""
    try:
        return t(held["template"], **held.get("values", {})) if held.get("values") else t(held["template"])
    except (KeyError, IndexError, ValueError):
        return held["reason"]


class SetDetailScreen(OrderLinksMixin, AreaScreen):
    AREA = "set"
    TITLE = "Collection set"
    CSS_PATH = "../styles/detail.tcss"
    HELP = """
# Collection set

The set's orders with sequence type and collection date (adjusted to a TARGET2 day), totals
per administration, account, scheme and sequence type, the orders **held back** with the
reason, how names and texts will look in the file, and the generated files.

**p** process (queued: you can keep working), **l** instruction letter, **v** send to the bank,
**d** change the collection date, **r** remove the order under the cursor, **a** add every
eligible order, **x** delete the set, **h** handle (mark underway orders processed),
**n** pre-notify the debtors (letters, CSV, e-mail) before processing.
On the order under the cursor (held back or in the set): **m** opens its mandate, **D** its
debtor, to see what blocks it; Escape comes back to the set.
"""
    BINDINGS = [
        Binding("p", "process", "Process", id="set-process"),
        Binding("l", "letter", "Letter", id="set-letter"),
        Binding("v", "send", "Send", id="set-send"),
        Binding("d", "change_date", "Date", id="set-date"),
        Binding("r", "remove_order", "Remove order", id="set-remove"),
        Binding("a", "add_orders", "Add eligible", id="set-add"),
        Binding("x", "delete_set", "Delete", id="set-delete"),
        Binding("h", "handle", "Handle", id="set-handle"),
        Binding("s", "reverse_order", "Reverse order", id="set-reverse"),
        Binding("n", "prenotify", "Pre-notify", id="set-prenotify"),
        Binding("ctrl+r", "reload", "Refresh", id="set-refresh"),
        Binding("ctrl+e", "export", "Export", show=False, id="set-export"),
        Binding("H", "history", "History", id="set-history"),  # h: Handle
        *ORDER_LINK_BINDINGS,
    ]

    def selected_order_id(self) -> int | None:
        """The order under the cursor of the focused table (held back, or the set's orders)."""
        table = self.focused
        if not isinstance(table, DataTable) or table.id not in ("set-held", "set-orders"):
            table = self.query_one("#set-held", DataTable)
        if not table.row_count:
            return None
        return int(str(table.get_row_at(table.cursor_row)[0]))  # the "#" column (a Text)

    def __init__(self, set_id: int):
        super().__init__()
        self.set_id = set_id
        self.detail: sets.SetDetail | None = None
        # What the user may do with the set as loaded (set by `show`, asked of the service).
        self.actions: frozenset[SetAction] = frozenset()

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="detail-scroll"):
            yield Static(t("Loading…"), id="set-title", classes="detail-title")
            yield Static("", id="set-facts")
            yield Static(t("Totals"), classes="detail-heading")
            yield SafeTable(id="set-totals", cursor_type="none", zebra_stripes=True)
            yield Static(t("Orders"), id="set-orders-heading", classes="detail-heading")
            yield SafeTable(id="set-orders", cursor_type="row", zebra_stripes=True)
            yield Static(t("Held back"), id="set-held-heading", classes="detail-heading")
            yield SafeTable(id="set-held", cursor_type="row", zebra_stripes=True)
            yield Static(t("In the file (transliterated)"), classes="detail-heading")
            yield Static("", id="set-preview")

    def on_mount(self) -> None:
        for table_id, columns in (
            ("#set-totals", (t("Administration"), "IBAN", t("Scheme"), t("Seq."), t("Count"), t("Total"))),
            (
                "#set-orders",
                (
                    "#",
                    t("Administration"),
                    t("Number"),
                    t("Debtor"),
                    t("Amount"),
                    t("Requested date"),
                    t("Collection date"),
                    t("Seq."),
                    t("Status"),
                    t("Pre-notified"),
                ),
            ),
            ("#set-held", ("#", t("Administration"), t("Number"), t("Debtor"), t("Amount"), t("Reason"))),
        ):
            table = self.query_one(table_id, DataTable)
            for label in columns:
                table.add_column(label)
        self.action_reload()
        self.set_interval(3.0, self._poll)

    def _poll(self) -> None:
        if self.detail is not None and self.detail.status == SetStatus.QUEUED:
            self.action_reload()

    def action_reload(self) -> None:
        self.run_service(sets.set_detail, self.incasso.actor, self.set_id, then=self.show, group="set-detail")

    def show(self, d: sets.SetDetail) -> None:
        self.detail = d
        self.actions = sets.set_actions(self.incasso.actor, d)
        self.query_one("#set-title", Static).update(
            f"[b]{t('Set')} {d.id}[/b]  {escape(d.bank_group)} {escape(d.bank_group_name)} "
            f"({d.pain_version})  ·  {status_label('set', d.status)}"
        )
        lines = [
            (
                f"{t('Collection date')}: {date_text(d.collection_date)}  "
                f"({t('requested')} {date_text(d.requested_date)})  ·  "
                f"{d.orders} {t('orders')}  ·  {money_text(d.total_cents)}  ·  "
                f"{d.moved} {t('with a moved date')}"
            )
        ]
        if d.selection:
            lines.append(
                t("Selection") + ": " + escape(", ".join(f"{k}={v}" for k, v in d.selection.items()))
            )
        for w in d.notice_warnings:
            lines.append(
                "[yellow]"
                + escape(
                    tn(
                        "{adm}: {n} order collected up to {days} days after the date the debtor was "
                        "told (margin {margin} days): send a new pre-notification",
                        "{adm}: {n} orders collected up to {days} days after the date the debtor was "
                        "told (margin {margin} days): send a new pre-notification",
                        w["orders"],
                        adm=w["administration"],
                        days=w["most_days"],
                        margin=w["margin_days"],
                    )
                )
                + "[/yellow]"
            )
        pn = d.prenotification
        if pn and (pn["orders_notified"] or pn["email_pending"] or pn["email_unknown"]):
            lines.append(
                t("Pre-notified: {n} of {total} orders", n=pn["orders_notified"], total=d.orders)
                + "".join(
                    f"  ·  {t(label)} {value}"
                    for label, value in (
                        ("e-mails pending", pn["email_pending"]),
                        ("maybe sent (crash)", pn["email_unknown"]),
                        ("refused", pn["email_failed"]),
                    )
                    if value
                )
            )
        if d.hidden_orders:
            lines.append(
                "[yellow]"
                + escape(
                    t(
                        "{n} orders of other administrations hidden ({amount}): only a user with "
                        "rights on every administration in the set can act on it",
                        n=d.hidden_orders,
                        amount=money_text(d.hidden_cents),
                    )
                )
                + "[/yellow]"
            )
        if d.skipped_administrations:
            lines.append(
                "[yellow]"
                + tn(
                    "{n} administration skipped: you have no rights there",
                    "{n} administrations skipped: you have no rights there",
                    d.skipped_administrations,
                )
                + "[/yellow]"
            )
        if d.error:
            lines.append(f"[red]{escape(d.error)}[/red]")
        if d.processed_at:
            lines.append(f"{t('Processed')} {date_text(d.processed_at)} {t('by')} {d.processed_by}")
        if d.sent_at:
            lines.append(f"{t('Sent')} {date_text(d.sent_at)} {t('by')} {d.sent_by}")
        for f in d.files:
            gone = f"  ({t('superseded')})" if f.get("superseded") else ""
            lines.append(
                f"{t('File')} {escape(f['path'])}{gone}\n   {f['msg_id']}  {f['scheme']}  "
                f"{f['count']}  {money_text(f['total_cents'])}  SHA-256 {f['sha256']}"
            )
        self.query_one("#set-facts", Static).update("\n".join(lines))
        totals = self.query_one("#set-totals", DataTable)
        totals.clear()
        for row in d.totals:
            totals.add_row(
                row["administration"],
                row["iban"],
                row["scheme"],
                row["sequence_type"],
                str(row["count"]),
                money_text(row["total_cents"]),
            )
        table = self.query_one("#set-orders", DataTable)
        table.clear()
        for o in d.order_rows:
            table.add_row(
                str(o["id"]),
                o["administration"],
                o["debtor_number"],
                o["debtor_name"],
                money_text(o["amount_cents"]),
                date_text(o["requested_date"]),
                date_text(o["collection_date"]),
                o["sequence_type"] or "",
                status_label("order", o["status"]),
                o.get("notified", ""),
                key=str(o["id"]),
            )
        self.query_one("#set-orders-heading", Static).update(
            f"{t('Orders')} ({len(d.order_rows)} / {d.orders})"
        )
        held = self.query_one("#set-held", DataTable)
        held.clear()
        for h in d.held_back:
            held.add_row(
                str(h["order_id"]),
                h.get("administration", ""),
                h.get("debtor_number", ""),
                h.get("debtor_name", ""),
                money_text(h["amount_cents"]),
                _reason(h),
            )
        self.query_one("#set-held-heading", Static).update(
            f"{t('Held back')} ({d.held_back_total})"
            + (
                "  " + ", ".join(f"{t(hold_label(k))}: {v}" for k, v in sorted(d.held_back_by_reason.items()))
                if d.held_back_by_reason
                else ""
            )
        )
        self.query_one("#set-preview", Static).update(
            "\n".join(
                f"{p['order_id']} {t(p['field'])}: {escape(p['original'])} → {escape(p['in_file'])}"
                for p in d.preview[:20]
            )
            or t("nothing changes")
        )
        self.refresh_bindings()

    def action_export(self) -> None:
        """ctrl+e: the set's orders, or its held-back orders when that table has the focus."""
        from incasso_tui.services.browse import OrderFilter
        from incasso_tui.services.exports.sources import HeldFilter
        from screens.modals.export import ExportScreen

        if self.focused is self.query_one("#set-held", DataTable):
            export = ExportScreen(
                "set_held", HeldFilter(self.set_id), f"{t('Set')} {self.set_id} {t('Held back')}"
            )
        else:
            export = ExportScreen(
                "orders", OrderFilter(set_id=self.set_id), f"{t('Set')} {self.set_id} {t('Orders')}"
            )
        self.app.push_screen(export)

    # --- which keys apply ------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in _KEY_ACTIONS:
            if not self.incasso.actor.may("process"):
                return False  # never for this role: hidden, not dimmed
            if self.detail is None:
                return None
            if not self.detail.whole:
                return False  # part of the set is another's: nothing to act on here
            return True if _KEY_ACTIONS[action] in self.actions else None
        return super().check_action(action, parameters)

    def action_history(self) -> None:
        from screens.modals.history import open_history

        open_history(self, "set", self.set_id, f"{t('History')}: {t('Set')} {self.set_id}")

    def _done(self, message: str) -> Callable[[object], None]:
        def then(_result: object = None) -> None:
            self.notify(message)
            self.action_reload()

        return then

    def action_process(self) -> None:
        from screens.modals.confirm import ConfirmScreen

        d = self.detail
        if d is None:
            return
        outbox = self.incasso.session.config.outbox_dir
        language = getattr(self.incasso.session.config, "language", "nl")

        def queued(job: int) -> None:
            self.notify(t("Set {id} queued as job {job}", id=self.set_id, job=job))
            self.action_reload()
            self.run_service(
                prenotification.processing_warnings,
                self.incasso.actor,
                self.set_id,
                limit=5,
                then=self._notice_warnings,
                group="set-prenotice",
            )

        def queue(confirm_sent: bool) -> None:
            self.run_service(
                processing.process_set,
                self.incasso.actor,
                self.set_id,
                outbox_dir=outbox,
                confirm_sent=confirm_sent,
                language=language,
                then=queued,
            )

        def ask(look: second_look.SecondLook) -> None:
            # A sent set: re-processing makes a new file for the bank, so the answer is no
            # unless the user says yes (the CLI's --confirm-sent).
            text = second_look_text(look)
            if look.already_sent:
                text += "\n\n" + t(
                    "This set was already sent. Re-processing makes a new file with a new message id "
                    "for the bank. Continue?"
                )
            title = t("Re-process a sent set") if look.already_sent else t("Process set {id}", id=d.id)
            self.app.push_screen(
                ConfirmScreen(title, text, yes=t("Process"), default_yes=not look.already_sent),
                lambda yes: queue(look.already_sent) if yes else None,
            )

        self.run_service(second_look.process_preview, self.incasso.actor, self.set_id, then=ask)

    def action_letter(self) -> None:
        def written(paths: list[Path]) -> None:  # one letter per file, beside the files
            if len(paths) == 1:
                self.notify(t("Letter written: {path}", path=str(paths[0])))
            else:
                self.notify(t("{n} letters written in {path}", n=len(paths), path=str(paths[0].parent)))

        self.run_service(letters.set_letters, self.incasso.actor, self.set_id, then=written)

    def action_send(self) -> None:
        from screens.modals.confirm import ConfirmScreen

        def send() -> None:
            self.run_service(
                sending.send_set,
                self.incasso.actor,
                self.set_id,
                outbox_dir=self.incasso.session.config.outbox_dir,
                then=self._done(t("Set sent")),
            )

        def ask(look: second_look.SecondLook) -> None:
            self.app.push_screen(
                ConfirmScreen(
                    t("Send set {id} to the bank", id=self.set_id),
                    second_look_text(look),
                    yes=t("Send"),
                    default_yes=False,
                ),
                lambda yes: send() if yes else None,
            )

        self.run_service(second_look.send_preview, self.incasso.actor, self.set_id, then=ask)

    def action_change_date(self) -> None:
        from screens.modals.prompt import PromptScreen
        from screens.modals.set_wizard import _date_error

        if self.detail is None:
            return

        def entered(text: str | None) -> None:
            if text:
                self.run_service(
                    sets.change_date,
                    self.incasso.actor,
                    self.set_id,
                    text.strip(),
                    then=self._done(t("Collection date changed")),
                )

        self.app.push_screen(
            PromptScreen(
                t("Collection date"),
                t("New requested collection date (YYYY-MM-DD)"),
                str(self.detail.requested_date),
                check=lambda text: _date_error(text, t("Collection date"), required=True),
            ),
            entered,
        )

    def _order_under_cursor(self) -> int | None:
        table = self.query_one("#set-orders", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return int(key) if key else None

    def action_remove_order(self) -> None:
        oid = self._order_under_cursor()
        if oid is not None:
            self.run_service(
                sets.remove_orders,
                self.incasso.actor,
                self.set_id,
                [oid],
                then=self._done(t("Order {id} removed from the set", id=oid)),
            )

    def action_reverse_order(self) -> None:
        from screens.modals.reverse_form import open_reverse_form

        oid = self._order_under_cursor()
        if oid is not None:
            open_reverse_form(self, oid, then=self.action_reload)

    def action_add_orders(self) -> None:
        def added(result: tuple[int, list[dict]]) -> None:
            self.notify(t("{n} orders added", n=result[0]))
            self.action_reload()

        self.run_service(sets.add_orders, self.incasso.actor, self.set_id, None, then=added)

    def action_delete_set(self) -> None:
        from screens.modals.confirm import ConfirmScreen

        def deleted(_result: object) -> None:
            self.notify(t("Set {id} deleted", id=self.set_id))
            self.app.pop_screen()

        def answer(yes: bool | None) -> None:
            if yes:
                self.run_service(sets.delete_set, self.incasso.actor, self.set_id, then=deleted)

        self.app.push_screen(
            ConfirmScreen(
                t("Delete set"),
                t("Delete set {id}? Its orders become free again.", id=self.set_id),
                default_yes=False,
            ),
            answer,
        )

    def _notice_warnings(self, check: prenotification.NoticeCheck) -> None:
        """Processing warns (never refuses) about orders without a pre-notification in time."""
        if check.problems:
            who = ", ".join(f"{r['debtor_number']} {r['debtor_name']}" for r in check.rows)
            more = check.problems - len(check.rows)
            self.notify(
                t(
                    "{n} of {total} orders collected without a pre-notification in time, or on "
                    "another date or amount than it said: {who}",
                    n=check.problems,
                    total=check.orders,
                    who=who + (f" (+{more})" if more > 0 else ""),
                ),
                severity="warning",
                timeout=15,
            )

    def action_prenotify(self) -> None:
        from screens.modals.prenotify import open_prenotify

        open_prenotify(self, self.set_id, then=self.action_reload)

    def action_handle(self) -> None:
        def handled(n: int) -> None:
            self.notify(t("{n} orders handled", n=n))
            self.action_reload()

        self.run_service(orders.handle_orders, self.incasso.actor, set_id=self.set_id, then=handled)
