"""Where each exportable list reads its rows: the same service query, filter and rights as the
list's page, iterated to the end (streamed) instead of one page.

A list is named (`mandates`, `orders`, …); its filter is the list service's own filter
object (MandateFilter, OrderFilter, FeedbackFilter) or one of the small ones below for the
lists whose page function takes plain arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from incasso_tui.core.errors import ValidationError
from incasso_tui.i18n import t
from incasso_tui.services import browse
from incasso_tui.services.audit_trail import AuditFilter
from incasso_tui.services.auth import Actor
from incasso_tui.services.exports import columns as c


@dataclass(frozen=True)
class DebtorFilter:
    search: str = ""
    administration_id: int | None = None


@dataclass(frozen=True)
class StatusFilter:
    """Sets and jobs: the status shown, or all."""

    status: str | None = None


@dataclass(frozen=True)
class HeldFilter:
    """A set's held-back orders."""

    set_id: int


@dataclass(frozen=True)
class HistoryFilter:
    """The audit trail of one object (a mandate: object_type "mandate", its id)."""

    object_type: str
    object_id: int


@dataclass(frozen=True)
class CollectionHistoryFilter:
    mandate_id: int | None = None
    debtor_id: int | None = None


@dataclass(frozen=True)
class AdministrationCode:
    """The admin lists that can be narrowed to one administration (bank accounts, invoice types)."""

    administration: str | None = None


Rows = Callable[[Actor, Any, int | None], Iterable[Any]]


@dataclass(frozen=True)
class ListSource:
    name: str
    title: str  # English, for the modal and the default file name
    columns: tuple[c.ExportColumn, ...]
    rows: Rows
    filter_type: type


def _first(rows: Iterable[Any], limit: int | None) -> Iterator[Any]:
    for number, row in enumerate(rows):
        if limit is not None and number >= limit:
            return
        yield row


def _mandates(actor: Actor, flt: browse.MandateFilter, limit: int | None) -> Iterable[Any]:
    return browse.mandate_listing(actor, flt).iterate(limit)


def _debtors(actor: Actor, flt: DebtorFilter, limit: int | None) -> Iterable[Any]:
    return browse.debtor_listing(actor, flt.search, flt.administration_id).iterate(limit)


def _orders(actor: Actor, flt: browse.OrderFilter, limit: int | None) -> Iterable[Any]:
    return browse.order_listing(actor, flt).iterate(limit)


def _sets(actor: Actor, flt: StatusFilter, limit: int | None) -> Iterable[Any]:
    return browse.set_listing(actor, flt.status).iterate(limit)


def _jobs(actor: Actor, flt: StatusFilter, limit: int | None) -> Iterable[Any]:
    return browse.job_listing(actor, flt.status).iterate(limit)


def _feedback(actor: Actor, flt: Any, limit: int | None) -> Iterable[Any]:
    from incasso_tui.services.exports.streaming import stream_tuples
    from incasso_tui.services.feedback.rtransactions import feedback_query, feedback_row

    query = feedback_query(actor, flt)
    return (feedback_row(r) for r in stream_tuples(query if limit is None else query.limit(limit)))


def _held(actor: Actor, flt: HeldFilter, limit: int | None) -> Iterable[Any]:
    # Computed live by the set service (a simulation of the set), never more than the open
    # orders of one bank group.
    from incasso_tui.services.collection.sets import held_back

    return held_back(actor, flt.set_id, limit=limit if limit is not None else 2**62).rows


def _history(actor: Actor, flt: HistoryFilter, limit: int | None) -> Iterable[Any]:
    from incasso_tui.services import audit

    if flt.object_type == "mandate":
        from incasso_tui.services.mandates.lifecycle import get_mandate

        get_mandate(actor, flt.object_id)  # NotFound unless the user may see it
    entries = audit.history(actor, flt.object_type, flt.object_id, limit=None)
    return _first(history_lines(entries), limit)


def history_lines(entries: Iterable[Any]) -> Iterator[dict]:
    """Audit entries as lines: one per changed field (an entry without changes: one line)."""
    for e in entries:
        base = {"at": e.at, "user": e.user, "action": e.action, "summary": e.summary}
        changes = e.changes or {}
        if not changes:
            yield {**base, "field": "", "old": "", "new": ""}
        for field, (old, new) in changes.items():
            yield {
                **base,
                "field": t(c.HISTORY_FIELD_LABELS.get(field, field)),
                "old": c.history_value(old),
                "new": c.history_value(new),
            }


def _audit(actor: Actor, flt: AuditFilter, limit: int | None) -> Iterable[Any]:
    from incasso_tui.services.audit_trail import iterate_trail

    entries = iterate_trail(actor, flt)  # an entry gives a line per changed field: limit the lines
    lines = ({**line, "object": e.object_text} for e in entries for line in history_lines([e]))
    return _first(lines, limit)


def _collection_history(actor: Actor, flt: CollectionHistoryFilter, limit: int | None) -> Iterable[Any]:
    from incasso_tui.services.feedback.rtransactions import collection_history

    if flt.mandate_id is None and flt.debtor_id is None:
        raise ValidationError("history", "name a mandate or a debtor")
    lines = collection_history(
        actor, mandate_id=flt.mandate_id, debtor_id=flt.debtor_id, limit=limit if limit is not None else 2**62
    )
    return _first(lines, limit)


def _administrations(actor: Actor, flt: Any, limit: int | None) -> Iterable[Any]:
    from incasso_tui.services.organisation import list_administrations

    return _first(list_administrations(actor), limit)


def _bank_groups(actor: Actor, flt: Any, limit: int | None) -> Iterable[Any]:
    from incasso_tui.services.organisation import list_bank_groups

    return _first(list_bank_groups(actor), limit)


def _bank_accounts(actor: Actor, flt: AdministrationCode, limit: int | None) -> Iterable[Any]:
    from incasso_tui.services.organisation import list_bank_accounts

    return _first(list_bank_accounts(actor, flt.administration), limit)


def _invoice_types(actor: Actor, flt: AdministrationCode, limit: int | None) -> Iterable[Any]:
    from incasso_tui.services.organisation import list_invoice_types

    return _first(list_invoice_types(actor, flt.administration), limit)


def _users(actor: Actor, flt: Any, limit: int | None) -> Iterable[Any]:
    from incasso_tui.services.users import list_users

    return _first(list_users(actor), limit)


SOURCES: dict[str, ListSource] = {
    s.name: s
    for s in (
        ListSource("mandates", "Mandates", c.MANDATES, _mandates, browse.MandateFilter),
        ListSource("debtors", "Debtors", c.DEBTORS, _debtors, DebtorFilter),
        ListSource("orders", "Orders", c.ORDERS, _orders, browse.OrderFilter),
        ListSource("sets", "Collection sets", c.SETS, _sets, StatusFilter),
        ListSource("set_held", "Held back", c.SET_HELD, _held, HeldFilter),
        ListSource("feedback", "Bank feedback", c.FEEDBACK, _feedback, object),
        ListSource("jobs", "Jobs", c.JOBS, _jobs, StatusFilter),
        ListSource("history", "History", c.HISTORY, _history, HistoryFilter),
        ListSource(
            "collection_history",
            "Collections",
            c.COLLECTION_HISTORY,
            _collection_history,
            CollectionHistoryFilter,
        ),
        ListSource("audit", "Audit trail", c.AUDIT, _audit, AuditFilter),
        ListSource("administrations", "Administrations", c.ADMINISTRATIONS, _administrations, object),
        ListSource("bank_groups", "Bank groups", c.BANK_GROUPS, _bank_groups, object),
        ListSource("bank_accounts", "Bank accounts", c.BANK_ACCOUNTS, _bank_accounts, AdministrationCode),
        ListSource("invoice_types", "Invoice types", c.INVOICE_TYPES, _invoice_types, AdministrationCode),
        ListSource("users", "Users", c.USERS, _users, object),
    )
}


def source(name: str) -> ListSource:
    try:
        return SOURCES[name]
    except KeyError:
        raise ValidationError("list", "must be one of {SOURCES}", name, SOURCES=", ".join(SOURCES)) from None


def default_filter(name: str) -> Any:
    """The filter of `name` with nothing narrowed (lists that take none: None)."""
    kind = source(name).filter_type
    return None if kind is object else kind()
