"""One translation mechanism for every user-facing string: gettext.

Source strings are English; `t("Mandates")` returns the text in the current UI language (nl by
default), `tn("{n} order", "{n} orders", n)` the plural form the language needs (ngettext).
Placeholders use str.format: t("{file} written", file=path); tn also passes n as {n}.
A string missing from a catalogue falls back to English, never to an error.

The catalogues are incasso_tui/locale/<lang>/LC_MESSAGES/messages.po, managed with Babel (see
i18n/catalogues.py for the commands); the wheel carries them compiled, a checkout compiles a
missing or stale .mo in memory on first use.
"""

from __future__ import annotations

import gettext
from enum import StrEnum

from incasso_tui.db.statuses import JobStatus, MandateStatus, OrderStatus, Role, SetStatus, label
from incasso_tui.i18n import catalogues

LANGUAGES = {"nl": "Nederlands", "en": "English", "de": "Deutsch"}
_language = "nl"


def set_language(code: str) -> None:
    global _language
    _language = code if code in LANGUAGES else "nl"


def language() -> str:
    return _language


_loaded: dict[str, gettext.NullTranslations] = {}


def _load(lang: str) -> gettext.NullTranslations:
    if lang not in _loaded:
        empty = gettext.NullTranslations()
        _loaded[lang] = empty if lang == "en" else (catalogues.load(lang) or empty)
    return _loaded[lang]


def catalogue(lang: str | None = None) -> dict[str, str]:
    """Every translated singular text of a language (the current one by default): English ->
    translation. For checks and tools; the UI calls t() and tn()."""
    found: dict[object, str] = getattr(_load(lang or _language), "_catalog", {})
    return {k: v for k, v in found.items() if isinstance(k, str) and k}


def translate(text: str) -> str:
    """The text in the current language, without filling placeholders."""
    if not text:
        return text  # msgid "" is the catalogue's header
    return _load(_language).gettext(text)


def t(text: str, **values: object) -> str:
    translated = translate(text)
    return translated.format(**values) if values else translated


def tn(singular: str, plural: str, n: int, **values: object) -> str:
    """The singular or plural form for n in the current language (gettext's ngettext)."""
    return _load(_language).ngettext(singular, plural, n).format(n=n, **values)


# Status codes stored in the database -> the English label (translated by t()), in the
# order the enums declare them.
_STATUS_ENUMS: dict[str, type[StrEnum]] = {
    "mandate": MandateStatus,
    "order": OrderStatus,
    "set": SetStatus,
    "job": JobStatus,
    "role": Role,
}
_STATUS: dict[str, dict[str, str]] = {
    kind: {status.value: label(status) for status in statuses} for kind, statuses in _STATUS_ENUMS.items()
}


def status_label(kind: str, code: str | None) -> str:
    if code is None:
        return ""
    return t(_STATUS.get(kind, {}).get(code, code))


def status_codes(kind: str) -> list[str]:
    return list(_STATUS[kind])
