"""The indexed searches (trigram index on SQLite and PostgreSQL, prefix indexes) find exactly
the rows a plain scan with the same rule finds, in the list's order, on both back-ends, by
either route (debtor ids through the index, or the list walked in its own order)."""

from __future__ import annotations

import pytest

from incasso_tui.db import models as m
from incasso_tui.rules.search_keys import debtor_search_key, fold
from incasso_tui.services import browse, search

QUERIES = [
    "pena",
    "Peña",
    "PEÑA",
    "muller",
    "mueller",
    "Müller",
    "gross",
    "groß",
    "amster",
    "köln",
    "koln",
    "café",
    "'t hoek",
    "ee",
    "e",
    "10001",
    "100",
    "NL",
    "nl9",
    "ZON-",
    "zz qq",
    "x%_\\",
    " söhne ",
]


def _expected_mandates(actor, text: str) -> list[int]:
    searched = search.typed(text)
    assert searched is not None
    visible = actor.administration_ids
    found = []
    rows = (
        m.Mandate.select(m.Mandate, m.Debtor).join(m.Debtor).order_by(m.Mandate.reference_key, m.Mandate.id)
    )
    for mandate in rows:
        debtor = mandate.debtor
        if visible is not None and mandate.administration_id not in visible:
            continue
        if (
            searched.folded in debtor_search_key(debtor.name, debtor.town)
            or debtor.number.startswith(searched.text)
            or debtor.iban.startswith(searched.upper)
            or mandate.reference_key.startswith(searched.upper)
            or (mandate.external_key or "").startswith(searched.upper)
        ):
            found.append(mandate.id)
    return found


def _expected_debtors(text: str) -> list[int]:
    searched = search.typed(text)
    assert searched is not None
    return [
        d.id
        for d in m.Debtor.select().order_by(m.Debtor.name_key, m.Debtor.id)
        if searched.folded in debtor_search_key(d.name, d.town)
        or d.number.startswith(searched.text)
        or d.iban.startswith(searched.upper)
    ]


@pytest.fixture(params=["by ids", "walking the list"])
def route(request, monkeypatch):
    # ID_CAP 0 sends every search the walking way; the default sends the rare ones by ids.
    if request.param == "walking the list":
        monkeypatch.setattr(search, "ID_CAP", 0)
    return request.param


def test_mandate_search_finds_what_a_scan_finds(demo, route):
    actor = demo()
    for text in QUERIES:
        page = browse.search_mandates(actor, browse.MandateFilter(search=text), 0, 10_000)
        assert [r.id for r in page.rows] == _expected_mandates(actor, text), text
        assert page.total == len(page.rows), text


def test_limited_user_finds_only_their_part(demo, route):
    bram = demo("bram")
    assert bram.administration_ids is not None
    for text in ("muller", "pena", "e", "NL"):
        rows = browse.search_mandates(bram, browse.MandateFilter(search=text), 0, 10_000).rows
        assert [r.id for r in rows] == _expected_mandates(bram, text), text


def test_debtor_search_finds_what_a_scan_finds(demo, route):
    actor = demo()
    for text in QUERIES:
        rows = browse.search_debtors(actor, text, None, 0, 10_000).rows
        assert [r.id for r in rows] == _expected_debtors(text), text


def test_accents_and_spelled_out_umlauts(demo):
    actor = demo()
    names = {
        text: {
            r.debtor_name
            for r in browse.search_mandates(actor, browse.MandateFilter(search=text), 0, 500).rows
        }
        for text in ("pena", "muller", "mueller", "GROSS")
    }
    assert names["pena"] and all("Peña" in n for n in names["pena"])
    assert names["muller"] == names["mueller"] and all("Müller" in n for n in names["muller"])
    assert names["GROSS"] and all("Groß" in n for n in names["GROSS"])


def test_order_search_folds_accents(demo):
    actor = demo()
    rows = browse.search_orders(actor, browse.OrderFilter(search="muller"), 0, 1000).rows
    assert rows and all("Müller" in r.debtor_name for r in rows)
    assert rows == browse.search_orders(actor, browse.OrderFilter(search="MÜLLER"), 0, 1000).rows


def test_the_key_follows_every_change_of_name_and_town(demo):
    first = m.Debtor.select().first()
    debtor = m.Debtor.create(administration=first.administration, number="X1", name="Jan", town="Utrecht")
    debtor.name, debtor.town = "Ångström Øberg", "Łódź"
    debtor.save()
    actor = demo()
    for text in ("angstrom", "oberg", "lodz"):
        rows = browse.search_debtors(actor, text, None, 0, 50).rows
        assert [r.id for r in rows] == [debtor.id], text
    assert browse.search_debtors(actor, "utrecht jan", None, 0, 50).rows == []
    # The trigram index follows a delete as well (SQLite: the FTS triggers).
    m.Debtor.delete().where(m.Debtor.id == debtor.id).execute()
    assert browse.search_debtors(actor, "angstrom", None, 0, 50).rows == []


def test_fold_and_key():
    assert fold("Peña MÜLLER Groß") == "pena muller gross"
    assert debtor_search_key("Müller", "Köln").split("\x1f") == ["muller", "mueller", "koln"]
    assert search.typed("\x00\x1b  ") is None
