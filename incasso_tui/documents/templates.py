"""Document texts: the built-in templates merged with an administrator's overrides.

Templates use str.format placeholders ("{creditor_name}"). Overrides come from configuration
(e.g. a TOML file per administration), so every key and placeholder is checked up front and a
mistake names the exact key rather than failing half-way through a batch of PDFs.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from pathlib import Path

from incasso_tui.documents.texts_letter import LETTER_PLACEHOLDERS, LETTER_TEXTS
from incasso_tui.documents.texts_mandate import MANDATE_PLACEHOLDERS, MANDATE_TEXTS

Overrides = Mapping[str, Mapping[str, str]]  # language -> key -> template


class TemplateError(ValueError):
    """An override names an unknown language/key, or a template an unknown placeholder."""

    def __init__(self, message: str, *, language: str = "", key: str = "", placeholder: str = ""):
        super().__init__(message)
        self.language = language
        self.key = key
        self.placeholder = placeholder


def placeholders_of(template: str) -> set[str]:
    """The placeholder names a template uses; raises ValueError on unbalanced braces."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def check_template(template: object, *, language: str, key: str, allowed: frozenset[str]) -> None:
    where = f"text '{key}' ({language})"
    if not isinstance(template, str):
        raise TemplateError(
            f"{where} must be a string, got {type(template).__name__}", language=language, key=key
        )
    try:
        names = placeholders_of(template)
    except ValueError as error:
        raise TemplateError(
            f"{where}: {error} (write '{{{{' and '}}}}' for literal braces)", language=language, key=key
        ) from None
    for name in sorted(names):
        if name not in allowed:
            raise TemplateError(
                f"{where}: unknown placeholder {{{name}}}; allowed: "
                + ", ".join("{" + p + "}" for p in sorted(allowed)),
                language=language,
                key=key,
                placeholder=name,
            )


def _merged(
    builtin: dict[str, dict[str, str]], allowed: frozenset[str], language: str, overrides: Overrides | None
) -> dict[str, str]:
    validate_overrides(overrides, builtin=builtin, allowed=allowed)
    if language not in builtin:
        raise TemplateError(
            f"no texts for language '{language}'; known: {', '.join(builtin)}", language=language
        )
    texts = dict(builtin[language])
    texts.update((overrides or {}).get(language, {}))
    return texts


def validate_overrides(
    overrides: Overrides | None,
    *,
    builtin: dict[str, dict[str, str]] = MANDATE_TEXTS,
    allowed: frozenset[str] = MANDATE_PLACEHOLDERS,
) -> None:
    """Check every language, key and placeholder in overrides (all languages, not just one)."""
    if not overrides:
        return
    if not isinstance(overrides, Mapping):
        raise TemplateError("text overrides must be a table of languages")
    for language, texts in overrides.items():
        if language not in builtin:
            raise TemplateError(
                f"unknown language '{language}' in text overrides; known: {', '.join(builtin)}",
                language=str(language),
            )
        if not isinstance(texts, Mapping):
            raise TemplateError(f"text overrides for '{language}' must be a table of keys", language=language)
        for key, template in texts.items():
            if key not in builtin[language]:
                raise TemplateError(
                    f"unknown text key '{key}' in overrides for '{language}'", language=language, key=str(key)
                )
            check_template(template, language=language, key=key, allowed=allowed)


def mandate_texts(language: str, overrides: Overrides | None = None) -> dict[str, str]:
    """The mandate form's texts for a language: built-in, with the administrator's overrides."""
    return _merged(MANDATE_TEXTS, MANDATE_PLACEHOLDERS, language, overrides)


def letter_texts(language: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The instruction letter's texts for a language, with a bank account's overrides."""
    return _merged(LETTER_TEXTS, LETTER_PLACEHOLDERS, language, {language: overrides} if overrides else None)


def fill(template: str, values: Mapping[str, str]) -> str:
    """Fill a validated template; values hold every allowed placeholder."""
    return template.format_map(values)


def load_overrides(path: str | Path) -> dict[str, dict[str, str]]:
    """Read and check a TOML file of mandate text overrides: [nl] title_recurrent = "..."."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(f"{path}: not valid TOML: {error}") from None
    try:
        validate_overrides(data)
    except TemplateError as error:
        raise TemplateError(
            f"{path}: {error}", language=error.language, key=error.key, placeholder=error.placeholder
        ) from None
    return data
