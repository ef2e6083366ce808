"""Known data for the report tests: collected orders in two administrations, R-transactions
(matched and unmatched) and mandates whose every date is chosen, so each figure is known.
TODAY is 2026-11-24: the default period runs from 2025-12-01 to 2026-11-30."""

from __future__ import annotations

import datetime as dt

from sets.helpers import world

from incasso_tui.db import models as m

D = dt.date


def _set(order: m.CollectionOrder, status: str, day: dt.date | None, cents: int) -> None:
    m.CollectionOrder.update(status=status, collection_date=day, amount_cents=cents).where(
        m.CollectionOrder.id == order.id
    ).execute()


def _feedback(order, kind, code, day, cents, administration=None) -> None:
    m.BankFeedback.create(
        order=order,
        kind=kind,
        reason_code=code,
        date=day,
        amount_cents=cents,
        administration=administration,
        matched=order is not None,
    )


def collections() -> dict[str, object]:
    """ZON (account A) and KLIM (account K): orders in every status, R-transactions."""
    _g, zon, account_a, o = world(7)
    _g, klim, account_k, k = world(2, adm_code="KLIM", account_no="0123456789")
    _set(o[0], "processed", D(2026, 10, 15), 1000)
    _set(o[1], "rejected", D(2026, 10, 15), 2000)
    _set(o[2], "reversed", D(2026, 10, 20), 3000)
    _set(o[3], "underway", D(2026, 11, 20), 4000)
    _set(o[4], "open", None, 5000)  # not collected
    _set(o[5], "cancelled", None, 5500)  # not collected
    _set(o[6], "processed", D(2025, 6, 10), 6000)  # before the default period
    _set(k[0], "processed", D(2026, 10, 5), 7000)
    _set(k[1], "rejected", D(2026, 11, 2), 8000)
    _feedback(o[1], "reject", "AC04", D(2026, 10, 16), 2000)
    _feedback(o[2], "refund", "MD06", D(2026, 10, 25), 3000)
    _feedback(k[1], "reject", "AM04", D(2026, 11, 3), 8000)
    _feedback(None, "return", "AC04", D(2026, 11, 10), 500, administration=klim)  # unmatched: KLIM's
    _feedback(None, "return", "MS02", D(2026, 11, 11), 100)  # unmatched, nobody's: admins only
    return {"zon": zon, "klim": klim, "iban_a": account_a.iban, "iban_k": account_k.iban}


def mandates() -> None:
    """The mandates of the mandates report test (see test_reports_service)."""
    _group, adm, _account, _orders = world(0, adm_code="MAN")
    specs = [  # effective, status, end, last collection, updated_at
        (D(2026, 1, 10), "active", None, D(2023, 12, 15), None),  # expires 2026-12-14
        (D(2026, 2, 5), "ended", D(2026, 5, 31), None, None),  # ended 2026-06-01
        (D(2026, 3, 1), "revoked", None, None, dt.datetime(2026, 7, 10, 9, 0)),
        (D(2022, 6, 1), "expired", None, None, None),  # expired 2025-05-31
        (None, "inactive", None, None, None),  # never live
        (D(2026, 11, 1), "active", D(2027, 1, 15), None, None),  # reaches its end date in 2027-01
        (D(2026, 4, 1), "ended", None, D(2026, 9, 30), None),  # final collection: ended 2026-10-01
        (D(2025, 6, 1), "active", None, None, None),  # expires 2028: not in the coming months
    ]
    for i, (effective, status, end, last, updated) in enumerate(specs):
        debtor = m.Debtor.create(
            administration=adm, number=f"M{i}", name=f"Mandaat {i}", name_key=f"mandaat {i}"
        )
        mandate = m.Mandate.create(
            administration=adm,
            debtor=debtor,
            sequence_number=1,
            reference=f"MAN-{i}",
            reference_key=f"MAN-{i}",
            creditor_id=adm.creditor_id,
            signed_date=effective,
            effective_date=effective,
            end_date=end,
            last_collection_date=last,
            status=status,
        )
        if updated:
            m.Mandate.update(updated_at=updated).where(m.Mandate.id == mandate.id).execute()
