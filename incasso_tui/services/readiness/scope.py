"""What every check shares: whose report it is (only the administrations the user may see, and
only active ones), the day, how many objects to list, and counting and listing in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import peewee as pw

from incasso_tui.db import models as m
from incasso_tui.db.database import database
from incasso_tui.services.auth import Actor
from incasso_tui.services.readiness.model import Group, Item


@dataclass(frozen=True)
class Scope:
    actor: Actor
    today: dt.date
    limit: int  # objects listed per group; 0: counts only (the Home tile)

    def administrations(self) -> pw.Select:
        """Ids of the active administrations this user may see (admins: all of them)."""
        return m.Administration.select(m.Administration.id).where(
            m.Administration.active & self.actor.visible(m.Administration.id)
        )

    def within(self, field: pw.Field) -> pw.Node:
        """`field` (an administration id column) within the report's administrations."""
        return field.in_(self.administrations())

    def group(
        self,
        key: str,
        title: str,
        severity: str,
        fix: str,
        query: pw.Select,
        item: Callable[[tuple[Any, ...]], Item],
    ) -> Group:
        """Counted in SQL; the first `limit` rows (in the query's order) made into items. With
        a limit, one query does both: COUNT(*) OVER () counts every row before LIMIT applies."""
        if not self.limit:
            return Group(key, title, severity, query.order_by().count(), (), fix)
        rows: list[tuple[Any, ...]] = list(
            query.select_extend(pw.fn.COUNT(pw.SQL("*")).over()).limit(self.limit).tuples()
        )
        count = rows[0][-1] if rows else 0
        return Group(key, title, severity, count, tuple(item(row[:-1]) for row in rows), fix)


def days_before(field: pw.Field, days: int) -> pw.Node:
    """The date `days` before a date column, in SQL: SQLite keeps dates as ISO text, which
    date() shifts; PostgreSQL subtracts whole days from a date."""
    if isinstance(database.obj, pw.PostgresqlDatabase):
        return pw.NodeList((pw.SQL("("), field, pw.SQL(f"- {int(days)})")))
    return pw.fn.date(field, f"-{int(days)} days")


@contextmanager
def planner_settings() -> Iterator[None]:
    """PostgreSQL cannot estimate conditions on functions of columns (the address rule), guesses
    that most rows match, and then JIT-compiles queries that run in milliseconds: with 100k
    debtors that compiling took longer than the report. Off for the report's transaction only.
    SQLite runs the reads without a transaction (BEGIN IMMEDIATE would take the write lock)."""
    if isinstance(database.obj, pw.PostgresqlDatabase):
        with database.atomic():
            database.execute_sql("SET LOCAL jit = off")
            yield
    else:
        yield
