"""Finding a Unicode font at run time, and what to do without one.

Debtor names such as "Łukasz Żółć" need a TrueType font; fpdf's built-in Helvetica only covers
Windows-1252. We look for the DejaVu fonts Debian ships (fonts-dejavu-core) and otherwise fall back
to Helvetica, replacing what it cannot print and telling the caller so.
"""

from __future__ import annotations

import os
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

FONT_DIR_ENV = "INCASSO_FONT_DIR"
REGULAR_FILE = "DejaVuSans.ttf"
BOLD_FILE = "DejaVuSans-Bold.ttf"
FALLBACK_WARNING = (
    "DejaVu fonts not found; install fonts-dejavu-core — characters outside Latin-1 are replaced"
)
# fpdf's core fonts are encoded in Windows-1252 when we set it: Latin-1 plus €, –, “ ” etc.
CORE_ENCODING = "windows-1252"


def default_font_dirs() -> list[Path]:
    return [
        Path("/usr/share/fonts/truetype/dejavu"),
        Path("/usr/share/fonts/dejavu"),
        Path("/usr/local/share/fonts"),
        Path.home() / ".local/share/fonts",
    ]


class FontFallbackWarning(UserWarning):
    """Emitted when a document is rendered with Helvetica because DejaVu was not found."""


@dataclass(frozen=True)
class FontChoice:
    """The fonts a document uses; regular is None for fpdf's core Helvetica."""

    regular: Path | None
    bold: Path | None
    warning: str | None = None

    @property
    def is_unicode(self) -> bool:
        return self.regular is not None


def font_dirs() -> list[Path]:
    """$INCASSO_FONT_DIR (os.pathsep-separated) replaces the defaults, so it is predictable."""
    configured = os.environ.get(FONT_DIR_ENV, "").strip()
    if configured:
        return [Path(p).expanduser() for p in configured.split(os.pathsep) if p]
    return default_font_dirs()


def _find(file_name: str, directories: list[Path]) -> Path | None:
    for directory in directories:
        direct = directory / file_name
        if direct.is_file():
            return direct
        # font collections like /usr/local/share/fonts keep families in sub-directories
        if directory.is_dir():
            for root, _dirs, files in os.walk(directory):
                if file_name in files:
                    return Path(root) / file_name
    return None


def find_fonts() -> FontChoice:
    """Look for DejaVu Sans (bold optional: regular is used for it when missing)."""
    directories = font_dirs()
    regular = _find(REGULAR_FILE, directories)
    if regular is None:
        where = ", ".join(str(d) for d in directories)
        return FontChoice(None, None, f"{FALLBACK_WARNING} (looked in: {where})")
    return FontChoice(regular, _find(BOLD_FILE, directories) or regular)


def font_warning() -> str | None:
    """What the UI should show before printing, or None when the Unicode font is available."""
    return find_fonts().warning


def warn_fallback(choice: FontChoice) -> None:
    if choice.warning:
        warnings.warn(choice.warning, FontFallbackWarning, stacklevel=4)  # at render_*()'s caller


_REPLACEMENTS = {
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
    "Ŀ": "L",
    "ŀ": "l",
    "Ø": "O",
    "ø": "o",
    "Æ": "AE",
    "æ": "ae",
    "Œ": "OE",
    "œ": "oe",
    "ß": "ss",
    "Þ": "Th",
    "þ": "th",
    "€": "EUR",
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
}


def to_core_charset(text: str, encoding: str = CORE_ENCODING) -> str:
    """Replace characters the core font cannot encode: Ż -> Z, Ł -> L, anything else -> '?'."""
    out = []
    for char in text:
        try:
            char.encode(encoding)
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        replacement = _REPLACEMENTS.get(char)
        if replacement is None:
            stripped = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            try:
                stripped.encode(encoding)
                replacement = stripped or "?"
            except UnicodeEncodeError:
                replacement = "?"
        out.append(replacement)
    return "".join(out)
