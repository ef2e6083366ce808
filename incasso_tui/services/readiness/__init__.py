"""The readiness report (`incasso check`, the Home tile and its screen): everything that will
stop (blocking) or endanger (warning) the next collection, grouped, counted and listed, within
the administrations the user may see. Every count is one SQL query: fast with 100k+ mandates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from incasso_tui.core.clock import today as clock_today
from incasso_tui.services.auth import VIEW, Actor
from incasso_tui.services.readiness import address_checks, mandate_checks, order_checks, setup_checks
from incasso_tui.services.readiness.model import BLOCKING, WARNING, Group, Item, Report
from incasso_tui.services.readiness.scope import Scope, planner_settings

__all__ = ["BLOCKING", "CHECKS", "DEFAULT_LIMIT", "WARNING", "Group", "Item", "Report", "readiness_report"]

# In the order the report shows them: what blocks first.
CHECKS: tuple[Callable[[Scope], Group], ...] = (
    setup_checks.administrations_without_account,
    setup_checks.bank_groups_without_delivery,
    address_checks.debtors_without_address,
    mandate_checks.b2b_not_registered,
    order_checks.orders_without_usable_mandate,
    order_checks.orders_over_transaction_limit,
    address_checks.debtors_incomplete_address,
    mandate_checks.mandates_expiring,
    mandate_checks.forms_not_printed,
)
DEFAULT_LIMIT = 20


def readiness_report(actor: Actor, today: dt.date | None = None, *, limit: int = DEFAULT_LIMIT) -> Report:
    """Every group, also the ones that found nothing (count 0); at most `limit` objects each
    (0: counts only)."""
    actor.require(VIEW, what="the readiness report")
    scope = Scope(actor, today or clock_today(), max(0, limit))
    with planner_settings():
        return Report(scope.today, tuple(check(scope) for check in CHECKS))
