"""The columns of every exportable list, declared once: key, English header (translated when
written) and kind, and how the cell is read from the list's row.

The headers and cells are those the list screen shows (tests/exports compare them with the
screens' columns), but typed: a date stays a date, an amount stays cents, a yes/no a bool,
so the writers can give a spreadsheet real dates and numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from incasso_tui.db.statuses import MandateStatus
from incasso_tui.i18n import language, status_label, t


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    MONEY = "money_cents"  # integer cents; written as euros with two decimals
    INT = "int"
    BOOL = "bool"  # written as yes/no in the language
    MONTH = "month"  # "YYYY-MM" (a report's month; another text, e.g. a total's label, stays text)
    RATE = "rate"  # a fraction (0.0123); written as a percentage


@dataclass(frozen=True)
class ExportColumn:
    key: str
    header: str  # English; t() gives the language's
    kind: Kind
    value: Callable[[Any], Any]
    translated: bool = True  # False: a field name that stays as it is (a mail merge refers to it)

    @property
    def label(self) -> str:
        return t(self.header) if self.translated else self.header


def _c(
    key: str, header: str, kind: Kind = Kind.TEXT, value: Callable[[Any], Any] | None = None
) -> ExportColumn:
    return ExportColumn(key, header, kind, value or (lambda row: getattr(row, key)))


def _status(kind: str, attribute: str = "status") -> Callable[[Any], str]:
    return lambda row: status_label(kind, getattr(row, attribute))


def _action_label(action: str) -> str:
    from incasso_tui.services.feedback.codes import action_label

    return action_label(action, language())


def _delivery(row: Any) -> str:
    parts = [row.delivery_dir or "", " ".join(row.send_command) if row.send_command else ""]
    return " · ".join(p for p in parts if p)


_SCOPES = {"debtor": "per debtor", "invoice_type": "per invoice type"}

MANDATES = (
    _c("reference", "Reference"),
    _c("status", "Status", value=_status("mandate")),
    _c("debtor_name", "Debtor"),
    _c("debtor_number", "Number"),
    _c("administration", "Adm."),
    _c("type", "Type", value=lambda r: t("recurrent") if r.recurrent else t("one-off")),
    _c("scheme", "Scheme"),
    _c("signed", "Signed", Kind.DATE),
    _c("effective", "Effective", Kind.DATE),
    _c("end", "End", Kind.DATE),
    _c("last_collection", "Last collection", Kind.DATE),
    _c("expires", "Expires", Kind.DATE),
)

DEBTORS = (
    _c("number", "Number"),
    _c("name", "Name"),
    _c("administration", "Adm."),
    _c("town", "Town"),
    _c("iban", "IBAN"),
    _c("business", "Business", Kind.BOOL),
    _c("language", "Language"),
    _c("mandates", "Mandates", Kind.INT),
)

ORDERS = (
    _c("id", "#", Kind.INT),
    _c("administration", "Adm."),
    _c("debtor_number", "Number"),
    _c("debtor_name", "Debtor"),
    _c("invoice_number", "Invoice"),
    _c("amount_cents", "Amount", Kind.MONEY),
    _c("requested_date", "Requested date", Kind.DATE),
    _c("status", "Status", value=_status("order")),
    _c("set_id", "Set", Kind.INT),
    _c("sequence_type", "Seq."),
)

SETS = (
    _c("id", "#", Kind.INT),
    _c("bank_group", "Bank group"),
    _c("status", "Status", value=_status("set")),
    _c("requested_date", "Requested date", Kind.DATE),
    _c("collection_date", "Collection date", Kind.DATE),
    _c("created_by", "Created by"),
    _c("created_at", "Created", Kind.DATETIME),
    _c("orders", "Orders", Kind.INT),
    _c("total_cents", "Total", Kind.MONEY),
)


def _held_reason(row: dict) -> str:
    """The held-back reason in the language (the template translated, then filled), as the
    set screen shows it."""
    try:
        return t(row["template"], **row.get("values", {})) if row.get("values") else t(row["template"])
    except (KeyError, IndexError, ValueError):
        return str(row["reason"])


SET_HELD = (
    _c("order_id", "#", Kind.INT, lambda r: r["order_id"]),
    _c("administration", "Adm.", value=lambda r: r.get("administration", "")),
    _c("debtor_number", "Number", value=lambda r: r.get("debtor_number", "")),
    _c("debtor_name", "Debtor", value=lambda r: r.get("debtor_name", "")),
    _c("amount_cents", "Amount", Kind.MONEY, lambda r: r["amount_cents"]),
    _c("reason", "Reason", value=_held_reason),
)

FEEDBACK = (
    _c("date", "Date", Kind.DATE),
    _c("kind", "Kind", value=lambda r: t(r.kind)),
    _c("reason_code", "Code"),
    _c("action", "Action", value=lambda r: _action_label(r.action)),
    _c("amount_cents", "Amount", Kind.MONEY),
    _c("order_id", "Order", Kind.INT),
    _c("administration", "Adm."),
    _c("debtor", "Debtor", value=lambda r: f"{r.debtor_number} {r.debtor_name}".strip()),
    _c("mandate_reference", "Mandate"),
    _c("source", "Source"),
    _c("source_ref", "Reference"),
    _c("needs_decision", "To decide", Kind.BOOL),
)

JOBS = (
    _c("id", "#", Kind.INT),
    _c("kind", "Kind"),
    _c("status", "Status", value=_status("job")),
    _c("progress", "Progress", Kind.INT, lambda r: round(r.progress / 10)),  # per cent
    _c("user", "User"),
    _c("created_at", "Created", Kind.DATETIME),
    _c("started_at", "Started", Kind.DATETIME),
    _c("finished_at", "Finished", Kind.DATETIME),
    _c("attempts", "Attempts", Kind.INT),
    _c("message", "Message"),
    _c("error", "Error"),
)

# Field names in the audit trail -> what the user calls them (the history modal shows these too).
HISTORY_FIELD_LABELS = {
    "signed_date": "Date signed",
    "effective_date": "Effective date",
    "end_date": "End date",
    "last_collection_date": "Last collection",
    "external_reference": "External reference",
    "invoice_type": "Invoice type",
    "b2b_registered": "B2B registered",
    "recurrent": "Kind",
    "amend_iban": "Amendment: previous IBAN",
    "amend_smnda": "Amendment: other bank (SMNDA)",
    "form_printed_at": "Form printed",
    "status_reason": "Status reason",
    "reference": "Reference",
    "scheme": "Scheme",
    "status": "Status",
    "reason": "Reason",
    "debtor IBAN": "Debtor IBAN",
}
# Values shown in the UI language (the statuses a mandate moves through by its dates).
_TRANSLATED_VALUES = {
    MandateStatus.ACTIVE,
    MandateStatus.INACTIVE,
    MandateStatus.ENDED,
    MandateStatus.EXPIRED,
}


def history_value(value: Any) -> str:
    """An old or new value of the audit trail as text ("" for none, yes/no, statuses translated)."""
    if value is None:
        return ""
    if value is True:
        return t("yes")
    if value is False:
        return t("no")
    return t(str(value)) if str(value) in _TRANSLATED_VALUES else str(value)


# The audit trail of one object (the history modal): one line per changed field, so a
# spreadsheet can filter on a field; an entry without changes is one line of its own.
HISTORY = (
    _c("at", "When", Kind.DATETIME, lambda r: r["at"]),
    _c("user", "User", value=lambda r: r["user"]),
    _c("what", "What", value=lambda r: r["summary"] or r["action"]),
    _c("field", "Field", value=lambda r: r["field"]),
    _c("old", "Old value", value=lambda r: r["old"]),
    _c("new", "New value", value=lambda r: r["new"]),
)

# The audit trail (`incasso audit`, the Audit screen): the history's lines with the object.
AUDIT = (
    _c("at", "When", Kind.DATETIME, lambda r: r["at"]),
    _c("user", "User", value=lambda r: r["user"]),
    _c("object", "Object", value=lambda r: r["object"]),
    _c("what", "What", value=lambda r: r["summary"] or r["action"]),
    _c("field", "Field", value=lambda r: r["field"]),
    _c("old", "Old value", value=lambda r: r["old"]),
    _c("new", "New value", value=lambda r: r["new"]),
)

# Collections of a mandate or debtor and what came back on them (`feedback history`).
COLLECTION_HISTORY = (
    _c("date", "Date", Kind.DATE),
    _c("what", "What", value=lambda r: t(r.what)),
    _c("order_id", "Order", Kind.INT),
    _c("end_to_end_id", "EndToEndId"),
    _c("sequence_type", "Seq."),
    _c("amount_cents", "Amount", Kind.MONEY),
    _c("status", "Status"),
    _c("mandate_reference", "Mandate"),
)

ADMINISTRATIONS = (
    _c("code", "Code"),
    _c("name", "Name"),
    _c("creditor_id", "Creditor ID"),
    _c("kvk", "KvK number"),
    _c("town", "Town"),
    _c("active", "Active", Kind.BOOL),
    _c("mandate_scope", "Mandate scope", value=lambda r: t(_SCOPES.get(r.mandate_scope, r.mandate_scope))),
    _c("debtors", "Debtors", Kind.INT),
    _c("bank_accounts", "Accounts", Kind.INT),
)

BANK_GROUPS = (
    _c("code", "Code"),
    _c("name", "Name"),
    _c("profile", "Profile"),
    _c("pain_version", "Format"),
    _c("max_per_file", "Per file", Kind.INT),
    _c("lead_days", "Lead days", Kind.INT),
    _c("delivery", "Delivery", value=_delivery),
    _c("accounts", "Accounts", value=lambda r: " ".join(r.accounts)),
)

BANK_ACCOUNTS = (
    _c("iban", "IBAN"),
    _c("bic", "BIC"),
    _c("bank_name", "Bank"),
    _c("administration", "Adm."),
    _c("bank_group", "Bank group"),
    _c("max_per_transaction_cents", "Max. per transaction", Kind.MONEY),
    _c("max_per_month_cents", "Max. per month", Kind.MONEY),
    _c("letter_template", "Letter"),
)

INVOICE_TYPES = (
    _c("administration", "Adm."),
    _c("code", "Code"),
    _c("name", "Name"),
    _c("collection_reason", "Collection reason"),
)

USERS = (
    _c("login", "Login"),
    _c("name", "Name"),
    _c("role", "Role", value=_status("role", "role")),
    _c("active", "Active", Kind.BOOL),
    _c("administrations", "Administrations", value=lambda r: " ".join(r.administrations)),
)
