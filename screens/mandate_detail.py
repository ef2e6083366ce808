"""One mandate: every field, why it can or cannot be collected today, the pending amendment,
the orders under it and its history. The mandate's actions work here as in the list."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from incasso_tui.i18n import status_label, t
from incasso_tui.services.auth import Actor
from incasso_tui.services.browse import CollectionDates, mandate_collection_dates
from incasso_tui.services.mandates import lookup as mandate_lookup
from screens.base import AreaScreen
from screens.mandate_actions import ACTIONS, MANDATE_BINDINGS, MandateActions, MandateRef
from screens.modals.history import history_lines
from screens.widgets.formatting import date_text, escape, money_text, yes_no
from screens.widgets.paged_table import SafeTable


class MandateDetailScreen(MandateActions, AreaScreen):
    AREA = "mandate"
    TITLE = "Mandate"
    CSS_PATH = "../styles/detail.tcss"
    HELP = """
# Mandate

Everything about one mandate: its status and why it can or cannot be collected today, the
dates, the pending amendment (a new debtor IBAN the next collection tells the bank about),
the orders under it and every change (who, when, old → new).

**e** edit, **v** activate (effective today), **d** end (end date), **r** confirm the B2B
registration at the debtor's bank, **c** changes the reference (once collected, the next collection
tells the bank the old one), **p** print the mandate form, **h** the history on its own.
Keys that do not apply to this mandate are dimmed; a support role sees no changing keys.
"""
    BINDINGS = [*MANDATE_BINDINGS]

    def __init__(self, mandate_id: int):
        super().__init__()
        self.mandate_id = mandate_id
        self.detail: mandate_lookup.MandateDetail | None = None
        self.dates: CollectionDates | None = None  # last collection vs next planned

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="detail-scroll"):
            yield Static(t("Loading…"), id="detail-title", classes="detail-title")
            with Horizontal(id="detail-columns"):
                yield Static("", id="detail-facts", classes="detail-column")
                yield Static("", id="detail-debtor", classes="detail-column")
            yield Static("", id="detail-amendment", classes="detail-amendment")
            yield Static("", id="orders-heading", classes="detail-heading")
            yield SafeTable(id="detail-orders", cursor_type="row", zebra_stripes=True)
            yield Static(
                t("Collections and R-transactions"), id="collections-heading", classes="detail-heading"
            )
            yield SafeTable(id="detail-collections", cursor_type="row", zebra_stripes=True)
            yield Static(t("History"), classes="detail-heading")
            yield Static("", id="detail-history")

    def on_mount(self) -> None:
        table = self.query_one("#detail-orders", DataTable)
        for key, label in (
            ("id", "#"),
            ("invoice", t("Invoice")),
            ("amount", t("Amount")),
            ("date", t("Requested date")),
            ("status", t("Status")),
            ("seq", t("Seq.")),
            ("set", t("Set")),
        ):
            table.add_column(label, key=key)
        self.query_one("#detail-collections", DataTable).add_columns(
            t("Date"), t("What"), t("Order"), t("EndToEndId"), t("Seq."), t("Amount"), t("Status")
        )
        self.load()

    def load(self) -> None:
        self.run_service(
            detail_and_dates, self.incasso.actor, self.mandate_id, then=self._loaded, group="detail"
        )

    def _loaded(self, found: tuple[mandate_lookup.MandateDetail, CollectionDates]) -> None:
        self.dates = found[1]
        self.show(found[0])

    def show(self, d: mandate_lookup.MandateDetail) -> None:
        self.detail = d
        self.incasso.mark_first_screen()
        kind = t("recurrent") if d.recurrent else t("one-off")
        self.query_one("#detail-title", Static).update(
            f"[b]{escape(d.written_reference)}[/b]  {d.scheme} {kind}  ·  "
            f"{status_label('mandate', d.status)}"
            + (f"  ({escape(t(d.status_reason))})" if d.status_reason else "")
        )
        collectable = (
            f"[green]{t('yes')}[/green]"
            if d.hold is None
            else f"[yellow]{t('no')}[/yellow]: {escape(mandate_hold_text(d))}"
        )
        facts = [
            (t("Reference"), d.reference),
            (t("External reference"), d.external_reference or "–"),
            (t("Administration"), f"{d.administration}  ({t('Creditor ID')} {d.creditor_id})"),
            (t("Invoice type"), d.invoice_type or t("all invoice types")),
            (t("Collectable today"), None),
            (t("Date signed"), date_text(d.signed_date) or "–"),
            (t("Effective date"), date_text(d.effective_date) or "–"),
            (t("End date"), date_text(d.end_date) or "–"),
            *collection_facts(d, self.dates),
            (t("Expires on"), date_text(d.expires_on) or "–"),
            (t("Reason"), d.reason or "–"),
        ]
        if d.scheme == "B2B":
            facts.append((t("B2B registered"), yes_no(d.b2b_registered)))
        facts.append((t("Form printed"), date_text(d.form_printed_at) or t("no")))
        lines = [f"{label:<22} {collectable if value is None else escape(value)}" for label, value in facts]
        self.query_one("#detail-facts", Static).update("\n".join(lines))
        debtor = [
            (t("Debtor"), f"{d.debtor_number} {d.debtor_name}"),
            ("IBAN", d.debtor_iban or "–"),
            ("BIC", d.debtor_bic or "–"),
            (t("Business"), yes_no(d.debtor_business)),
            (t("Language"), d.debtor_language),
        ]
        self.query_one("#detail-debtor", Static).update(
            "\n".join(f"{label:<12} {escape(value)}" for label, value in debtor)
        )
        self.query_one("#detail-amendment", Static).update(amendment_text(d.amendment))
        self.query_one("#orders-heading", Static).update(
            t("Orders under this mandate: {n}", n=d.orders_total)
        )
        table = self.query_one("#detail-orders", DataTable)
        table.clear()
        for o in d.orders:
            table.add_row(
                str(o["id"]),
                o["invoice_number"],
                money_text(o["amount_cents"]),
                date_text(o["requested_date"]),
                status_label("order", o["status"]),
                o["sequence_type"] or "",
                str(o["set_id"] or ""),
            )
        table.display = bool(d.orders)
        collections = self.query_one("#detail-collections", DataTable)
        collections.clear()
        for c in d.collections:
            collections.add_row(
                date_text(c["date"]),
                t(c["what"]),
                str(c["order_id"]),
                c["end_to_end_id"],
                c["sequence_type"],
                money_text(c["amount_cents"]),
                status_label("order", c["status"]) if c["what"] == "collection" else c["status"],
            )
        collections.display = bool(d.collections)
        self.query_one("#collections-heading", Static).display = bool(d.collections)
        self.query_one("#detail-history", Static).update("\n".join(history_lines(d.history)))
        self.refresh_bindings()

    # --- MandateActions ---------------------------------------------------------------------
    def selected_mandate(self) -> MandateRef | None:
        return MandateRef.of(self.detail, self.incasso.actor) if self.detail is not None else None

    def mandate_changed(self, mandate_id: int) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ACTIONS:
            return self.mandate_action_state(action)
        return super().check_action(action, parameters)


def detail_and_dates(actor: Actor, mandate_id: int) -> tuple[mandate_lookup.MandateDetail, CollectionDates]:
    return mandate_lookup.mandate_detail(actor, mandate_id), mandate_collection_dates(actor, mandate_id)


def collection_facts(d: mandate_lookup.MandateDetail, dates: CollectionDates | None) -> list[tuple[str, str]]:
    """Last collection (its day has come) and the next one planned in a file, apart: a file's
    collection date may lie ahead and is no collection yet."""
    if dates is None:
        return [(t("Last collection"), date_text(d.last_collection_date) or "–")]
    facts = [(t("Last collection"), date_text(dates.last) or "–")]
    if dates.next is not None:
        facts.append((t("Next collection"), t("{date} (in a file)", date=date_text(dates.next))))
    if dates.active_from is not None:
        facts.append(
            (
                t("Why in a file"),
                t(
                    "active from {date}, before the collection date {collection}",
                    date=date_text(dates.active_from),
                    collection=date_text(dates.next),
                ),
            )
        )
    return facts


def mandate_hold_text(d: mandate_lookup.MandateDetail) -> str:
    """Why it cannot be collected, in the UI language (the template translated, then filled)."""
    return t(d.hold_template, **(d.hold_values or {})) if d.hold_template else ""


def amendment_text(amendment: dict | None) -> str:
    """Each change the next collection tells the debtor's bank about, in one line."""
    if not amendment:
        return ""
    parts = []
    if amendment.get("original_reference"):
        parts.append(
            t(
                "the mandate reference changed: the next collection carries the previous reference "
                "{reference}",
                reference=amendment["original_reference"],
            )
        )
    if amendment.get("new_bank_smnda"):
        parts.append(
            t(
                "the debtor's new account is at another bank: the next collection carries "
                "SMNDA (previous IBAN {iban})",
                iban=amendment["previous_iban"],
            )
        )
    elif amendment.get("original_iban"):
        parts.append(
            t(
                "the debtor's IBAN changed at the same bank: the next collection carries the "
                "previous IBAN {iban}",
                iban=amendment["original_iban"],
            )
        )
    if amendment.get("original_creditor_id") or amendment.get("original_creditor_name") or not parts:
        parts.append(t("creditor or reference changed: the next collection carries the original values"))
    return f"[b]{t('Pending amendment')}[/b]: {escape('; '.join(parts))}"
