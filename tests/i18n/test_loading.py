"""The catalogues at run time: gettext's GNUTranslations over the compiled .mo, or over the .po
compiled in memory when the .mo is missing or older (a checkout never runs untranslated)."""

from __future__ import annotations

import os
import shutil

import pytest

from incasso_tui import i18n
from incasso_tui.core import config as config_mod
from incasso_tui.i18n import catalogues


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(i18n, "_loaded", {})
    yield
    i18n.set_language("nl")


@pytest.fixture
def locale_copy(tmp_path, monkeypatch):
    """The catalogues copied without their .mo files."""
    shutil.copytree(catalogues.LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path / "locale")
    return tmp_path / "locale"


def test_without_a_mo_the_po_is_compiled_in_memory(fresh, locale_copy):
    assert not catalogues.mo_path("nl").exists()
    i18n.set_language("nl")
    assert i18n.t("Mandates") == "Machtigingen"
    assert not catalogues.mo_path("nl").exists()  # nothing written into an installed package


def test_a_mo_older_than_its_po_is_not_used(fresh, locale_copy):
    po, mo = catalogues.po_path("nl"), catalogues.mo_path("nl")
    stale = po.read_text(encoding="utf-8").replace('msgstr "Machtigingen"', 'msgstr "Oud"', 1)
    po.write_text(stale, encoding="utf-8")
    mo.write_bytes(catalogues.compiled(po))
    assert catalogues.load("nl").gettext("Mandates") == "Oud"
    po.write_text(stale.replace('msgstr "Oud"', 'msgstr "Nieuw"', 1), encoding="utf-8")
    os.utime(mo, (po.stat().st_mtime - 10, po.stat().st_mtime - 10))
    assert catalogues.load("nl").gettext("Mandates") == "Nieuw"


def test_compile_writes_mo_files_gettext_reads(locale_copy):
    written = catalogues.compile_all()
    assert {p.parent.parent.name for p in written} == {"nl", "de"}
    import gettext

    nl = gettext.translation("messages", localedir=str(locale_copy), languages=["nl"])
    assert nl.gettext("Debtors") == "Debiteuren"
    assert nl.ngettext("{n} order", "{n} orders", 2) == "{n} opdrachten"


def test_german_is_a_ui_language(fresh):
    assert i18n.LANGUAGES["de"] == "Deutsch"
    i18n.set_language("de")
    assert i18n.language() == "de"
    assert i18n.t("Mandates") == "Mandate"
    assert i18n.t("Settings") == "Einstellungen"
    assert i18n.status_label("mandate", "active") == "aktiv"
    assert i18n.t("a text no catalogue has") == "a text no catalogue has"  # English, no error


def test_config_accepts_german():
    cfg = config_mod.from_dict({"ui": {"language": "de"}})
    assert cfg.language == "de"
    with pytest.raises(Exception, match="language"):
        config_mod.from_dict({"ui": {"language": "fr"}})


def test_an_empty_text_is_not_the_catalogue_header(fresh):
    i18n.set_language("nl")
    assert i18n.t("") == ""
