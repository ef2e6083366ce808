"""What a typed search matches, and the index that finds it on each back-end.

A search finds debtors whose name or town contains the text, case and accents folded
(rules/search_keys.py: "pena" finds Peña, "mueller" Müller), or whose number or IBAN starts
with it; a list adds its own prefixes (mandate references, invoice numbers).

Two ways to answer, chosen per search:
* few debtors match (at most ID_CAP, found through the trigram index and the number and IBAN
  indexes): their ids, and the list reads its rows by debtor;
* many match (or the text is too short for trigrams): the list walks its own sort order and
  tests each row's debtor, which fills a page after a few hundred rows because matches are
  everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import peewee as pw

from incasso_tui.core.terminal_text import UNSAFE
from incasso_tui.db import models as m
from incasso_tui.db import search_index
from incasso_tui.rules.search_keys import fold
from incasso_tui.services.auth import Actor

ID_CAP = 2000  # debtors collected by id; above this a list walks its own order


@dataclass(frozen=True)
class Typed:
    text: str  # as typed, without control characters, trimmed
    folded: str  # for names and towns
    upper: str  # for IBANs and references: upper case, no spaces


def typed(search: str) -> Typed | None:
    """The search as each column compares it; None for an empty search. Control characters
    a paste may bring (NUL, ESC, bidi) are dropped rather than refused, so a search never
    fails (PostgreSQL refuses NUL)."""
    text = UNSAFE.sub("", search).strip()
    if not text:
        return None
    return Typed(text, fold(text), text.replace(" ", "").upper())


def prefix(field: pw.Field, text: str) -> pw.Expression:
    """`field` starts with `text`, served by the column's B-tree index.

    On SQLite a range instead of LIKE: LIKE is case-insensitive there and cannot use the
    column's index. PostgreSQL keeps LIKE: under a linguistic collation a range is not a
    prefix test (its text_pattern_ops indexes serve LIKE 'abc%')."""
    if search_index.is_sqlite(m.Debtor._meta.database.obj):
        return (field >= text) & (field < text + "\U0010ffff")
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return pw.Expression(field, pw.OP.LIKE, escaped + "%")  # PostgreSQL keeps LIKE


def debtor_condition(search: Typed) -> pw.Expression:
    """The search tested on a (joined) debtor row."""
    return (
        search_index.contains(m.Debtor.search_key, search.folded)
        | prefix(m.Debtor.number, search.text)
        | prefix(m.Debtor.iban, search.upper)
    )


def debtor_ids(actor: Actor, search: Typed, cap: int = ID_CAP) -> list[int] | None:
    """The visible debtors the search finds, when there are at most `cap`; else None."""
    visible = actor.visible(m.Debtor.administration)
    found = search_index.debtor_ids(search.folded, actor.administration_ids, cap)
    if found is None:
        return None
    ids = set(found)
    for condition in (prefix(m.Debtor.number, search.text), prefix(m.Debtor.iban, search.upper)):
        query = m.Debtor.select(m.Debtor.id).where(visible & condition).limit(cap + 1)
        ids.update(row[0] for row in cast("list[tuple[int]]", list(query.tuples())))
        if len(ids) > cap:
            return None
    return sorted(ids)


def debtor_match(actor: Actor, search: Typed, debtor: pw.Field) -> pw.Expression:
    """`debtor` (a debtor id column, or Debtor.id itself) is one the search finds: by id when
    few match, else tested on the joined debtor row (the query must join Debtor)."""
    ids = debtor_ids(actor, search)
    if ids is None:
        return debtor_condition(search)
    return debtor.in_(ids)  # an empty list is a condition nothing meets
