"""One translation mechanism for every user-facing string.

Source strings are English; `t("Mandates")` returns the text in the current UI
language (nl by default). Placeholders use str.format: t("{n} orders", n=3).
A string missing from a catalogue falls back to English, never to an error.
"""

from __future__ import annotations

from enum import StrEnum

from incasso_tui.db.statuses import JobStatus, MandateStatus, OrderStatus, Role, SetStatus, label

LANGUAGES = {"nl": "Nederlands", "en": "English"}
_language = "nl"


def set_language(code: str) -> None:
    global _language
    _language = code if code in LANGUAGES else "nl"


def language() -> str:
    return _language


_PARTS = (
    "",
    "_mandates",
    "_sets",
    "_feedback",
    "_setup",
    "_readiness",
    "_lifecycle",
    "_admin",
    "_reports",
    "_exports",
    "_prenotify",
    "_lists",
    "_audit",
    "_expiry",
)  # i18n/nl.py, …
_loaded: dict[str, dict[str, str]] = {}


def _catalogue() -> dict[str, str]:
    """The catalogue of the current language, merged from its per-area modules."""
    if _language == "en":
        return {}
    if _language not in _loaded:
        import importlib

        merged: dict[str, str] = {}
        for part in _PARTS:
            try:
                module = importlib.import_module(f"incasso_tui.i18n.{_language}{part}")
            except ModuleNotFoundError:
                continue
            merged.update(getattr(module, _language.upper()))
        _loaded[_language] = merged
    return _loaded[_language]


def t(text: str, **values: object) -> str:
    translated = _catalogue().get(text, text)
    return translated.format(**values) if values else translated


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
