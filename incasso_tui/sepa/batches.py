"""Group in-memory transactions into PmtInf batches (for tests and simple callers).

The set processing streams from the database instead: one aggregate query for
the totals per key, then a cursor per batch, in ``BatchKey.sort_key()`` order.
"""

from __future__ import annotations

from collections.abc import Iterable

from incasso_tui.sepa.model import BatchInfo, BatchKey, Transaction


def group_transactions(
    items: Iterable[tuple[BatchKey, Transaction]],
) -> list[tuple[BatchInfo, list[Transaction]]]:
    """(BatchInfo with totals, transactions) per key, in the deterministic PmtInf order.

    Transactions keep their input order within a batch; totals are summed in cents.
    """
    groups: dict[BatchKey, list[Transaction]] = {}
    for key, tx in items:
        groups.setdefault(key, []).append(tx)
    return [
        (BatchInfo(key, len(txs), sum(tx.amount_cents for tx in txs)), txs)
        for key, txs in sorted(groups.items(), key=lambda kv: kv[0].sort_key())
    ]
