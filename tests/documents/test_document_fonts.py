"""The Unicode font is found at run time; without it documents still print, with a warning."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from incasso_tui.documents import FontFallbackWarning, font_warning, render_letter, render_mandate_forms
from incasso_tui.documents.fonts import FONT_DIR_ENV, REGULAR_FILE, find_fonts, to_core_charset

from .helpers import make_form, make_letter, pages

SYSTEM_DEJAVU = Path("/usr/share/fonts/truetype/dejavu") / REGULAR_FILE
needs_dejavu = pytest.mark.skipif(not SYSTEM_DEJAVU.is_file(), reason="fonts-dejavu-core is not installed")


@pytest.fixture
def no_fonts(tmp_path, monkeypatch):
    """Point the font search at an empty directory, as on a machine without DejaVu."""
    empty = tmp_path / "fonts"
    empty.mkdir()
    monkeypatch.setenv(FONT_DIR_ENV, str(empty))
    return empty


@needs_dejavu
def test_dejavu_is_found_by_default(monkeypatch):
    monkeypatch.delenv(FONT_DIR_ENV, raising=False)
    choice = find_fonts()
    assert choice.is_unicode and choice.warning is None
    assert choice.bold.name == "DejaVuSans-Bold.ttf"
    assert font_warning() is None


@needs_dejavu
def test_font_dir_env_is_searched_in_sub_directories(tmp_path, monkeypatch):
    nested = tmp_path / "fonts" / "dejavu"
    nested.mkdir(parents=True)
    (nested / REGULAR_FILE).symlink_to(SYSTEM_DEJAVU)
    monkeypatch.setenv(FONT_DIR_ENV, str(tmp_path / "fonts"))
    choice = find_fonts()
    assert choice.regular == nested / REGULAR_FILE
    assert choice.bold == choice.regular  # no bold file: regular stands in


def test_fallback_warns_and_still_renders(no_fonts):
    message = font_warning()
    assert "DejaVu fonts not found; install fonts-dejavu-core" in message
    assert str(no_fonts) in message
    with pytest.warns(FontFallbackWarning, match="fonts-dejavu-core"):
        data = render_mandate_forms([make_form(), make_form(language="de", scheme="B2B")])
    nl, de = pages(data)
    assert "Doorlopende SEPA-machtiging" in nl
    assert "Lukasz Zólc" in nl  # Ł, Ż, ł, ć replaced; the rest of the form intact
    assert "Hauptstraße 7" in nl  # Latin-1 characters stay
    assert "SEPA-Firmenlastschrift-Mandat" in de and "Gläubiger-Identifikationsnummer" in de


def test_fallback_letter_keeps_the_euro_sign(no_fonts):
    with pytest.warns(FontFallbackWarning):
        (text,) = pages(render_letter([make_letter()]))
    assert "€ 989.888,88" in text
    assert "Lukasz Zólc" in text


def test_no_warning_with_the_unicode_font(monkeypatch):
    if not SYSTEM_DEJAVU.is_file():
        pytest.skip("fonts-dejavu-core is not installed")
    monkeypatch.delenv(FONT_DIR_ENV, raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FontFallbackWarning)
        render_mandate_forms([make_form()])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Łukasz Żółć", "Lukasz Zólc"),  # ó is Latin-1 and stays
        ("Müller & Söhne", "Müller & Söhne"),
        ("Œuvre – “citaat” € 5", "Œuvre – “citaat” € 5"),  # all in Windows-1252
        ("Ğülşen Dvořák", "Gülsen Dvorák"),
        ("Ørsted Đoković", "Ørsted Dokovic"),
        ("東京", "??"),
    ],
)
def test_to_core_charset(text, expected):
    assert to_core_charset(text) == expected
