"""Every string marked for translation (t, tn, the errors' templates; extracted with Babel as
`pybabel extract` does) has a Dutch translation in nl/LC_MESSAGES/messages.po: not empty, not
fuzzy, every plural form, with the placeholders of the English text."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from incasso_tui.i18n import catalogues

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template():
    return catalogues.extract(ROOT)


def ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def forms(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def names(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_extraction_finds_the_marked_strings(template):
    found = {ids(m)[0] for m in template if m.id}
    assert len(found) > 500
    # t() in a screen, tn()'s singular, a Refused, a NotFound, a ValidationError rule
    assert {
        "Interface language",
        "{n} order",
        "user {login} already exists",
        "user {login} does not exist (see: incasso user list)",
        "must be one of {ROLES}",
    } <= found
    assert any(isinstance(m.id, tuple) for m in template)
    in_screens = [
        i for m in template if m.id for i in ids(m) if any(f.startswith("screens") for f, _ in m.locations)
    ]
    assert [i for i in in_screens if "(s)" in i or "(en)" in i] == [], "plurals go through tn()"


def test_the_dutch_catalogue_translates_every_marked_string(template):
    nl = catalogues.read("nl")
    problems = []
    for message in template:
        if not message.id:
            continue
        found = nl.get(ids(message)[0])
        if found is None:
            problems.append(("missing", message.id))
        elif found.fuzzy:
            problems.append(("fuzzy", message.id))
        elif isinstance(message.id, tuple) and not (isinstance(found.id, tuple) and len(forms(found)) == 2):
            problems.append(("not a plural entry", message.id))
        elif not all(forms(found)):
            problems.append(("untranslated", message.id))
    assert problems == []


def test_dutch_translations_keep_their_placeholders():
    wrong = []
    for message in catalogues.read("nl"):
        if not message.id or not all(forms(message)):
            continue
        wanted = set().union(*(names(i) for i in ids(message)))
        for text in forms(message):
            if names(text) - wanted or names(text) < wanted - {"n"}:
                wrong.append((message.id, text))
    assert wrong == []


def test_the_test_fails_on_a_missing_translation(template, tmp_path, monkeypatch):
    """A marked string without Dutch is reported (the check above is not vacuous)."""
    from babel.messages.catalog import Catalog

    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    partial = Catalog(locale="nl")
    partial.add("Mandates", "Machtigingen")
    catalogues.write(partial, catalogues.po_path("nl"))
    nl = catalogues.read("nl")
    missing = [m.id for m in template if m.id and nl.get(ids(m)[0]) is None]
    assert "Debtors" in missing and "Mandates" not in missing
