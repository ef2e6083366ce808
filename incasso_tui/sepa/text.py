"""Transliteration of free text (names, remittance, addresses) to the SEPA Latin set.

Allowed in a pain.008 text field: ``a-z A-Z 0-9 / - ? : ( ) . , ' +`` and space
(EPC basic Latin set, sepa-rules.md §1.6).  The steps, in this order:

1. explicit mappings: ß→ss, æ→ae, ø→o, œ→oe, €→EUR, &→+, @→(at), _→-, plus a few
   letters that Unicode does not decompose (ł, đ, ð, þ, ı) and typographic quotes
   and dashes (’→', –→-);
2. NFKD decomposition, combining marks (accents) dropped: é→e, ü→u, ﬁ→fi;
3. letters and digits of other scripts are romanised with text-unidecode
   (sepaxml's own dependency) so a Greek or Japanese name does not vanish:
   Δήμητρα→Demetra; other symbols are left for step 4;
4. anything still outside the set becomes a space; runs of spaces collapse to
   one; leading/trailing spaces are trimmed;
5. truncation to the field's maximum length (after transliteration, because
   ß→ss makes text longer), trimming again.

If nothing is left of a text that had visible characters (say "★★★"), the
result is ``?`` so that a name never silently becomes empty; validate_name()
refuses such names.  The function is pure and idempotent.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

SEPA_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")
# Shown in messages about the character set.
SEPA_CHARACTERS_TEXT = "a-z A-Z 0-9 / - ? : ( ) . , ' + and space"
PLACEHOLDER = "?"

_ALLOWED_BYTES = "".join(sorted(SEPA_CHARACTERS)).encode("ascii")
# Runs of characters outside the set (a space is allowed, so it is not in a run).
_DISALLOWED_RUN = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]+")
_SPACE_RUN = re.compile(" {2,}")


def _is_clean(ascii_text: str) -> bool:
    """Only SEPA characters, no double space, no space at either end."""
    return (
        not ascii_text.encode("ascii").translate(None, _ALLOWED_BYTES)
        and "  " not in ascii_text
        and not ascii_text.startswith(" ")
        and not ascii_text.endswith(" ")
    )


_EXPLICIT = {
    "ß": "ss",
    "ẞ": "SS",
    "æ": "ae",
    "Æ": "AE",
    "ø": "o",
    "Ø": "O",
    "œ": "oe",
    "Œ": "OE",
    "€": "EUR",
    # letters NFKD leaves alone
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "Th",
    "ı": "i",
    "ħ": "h",
    "Ħ": "H",
    "ŀ": "l",
    "Ŀ": "L",
    # typographic punctuation with an allowed equivalent
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "´": "'",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "−": "-",
}
_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")


def transliterate(text: str, max_len: int | None = None) -> str:
    """Text as it may appear in a pain.008 file (see the module doc for the rules)."""
    if text.isascii() and _is_clean(text):  # clean text needs none of this
        if max_len is None or len(text) <= max_len:
            return text
        return text[:max_len].rstrip(" ")
    if max_len is not None and len(text) > max_len + _PREFIX_MARGIN:
        # Each character maps on its own and a space run never reaches back, so the
        # result of a prefix is a prefix of the result: when it is long enough the
        # rest of a long text need not be looked at (same output, tested).
        head = _to_allowed(text[: max_len + _PREFIX_MARGIN])
        if len(head) >= max_len:
            return head[:max_len].rstrip(" ")
    text = _to_allowed(text)
    if max_len is not None and len(text) > max_len:
        return text[:max_len].rstrip(" ")
    return text


_PREFIX_MARGIN = 16


def _to_allowed(text: str) -> str:
    result = text
    if not result.isascii():
        # Per character through a cache: NFKD and the mappings are worked out once per
        # distinct character, not once per string.  str.translate is quicker on short
        # text (names), replacing the non-ASCII runs on long text; same result.
        if len(result) <= 40:
            result = result.translate(_ASCII_TABLE)
        else:
            result = _NON_ASCII_RUN.sub(_run_to_ascii, result)
    if "&" in result:
        result = result.replace("&", "+")
    if "@" in result:
        result = result.replace("@", "(at)")
    if "_" in result:
        result = result.replace("_", "-")
    if "`" in result:
        result = result.replace("`", "'")
    # (result is ASCII now)
    if result.encode("ascii").translate(None, _ALLOWED_BYTES):
        result = _DISALLOWED_RUN.sub(" ", result)
    if "  " in result:
        result = _SPACE_RUN.sub(" ", result)
    result = result.strip(" ")
    if not result and text.strip():
        return PLACEHOLDER
    return result


def _romanise(char: str) -> str:
    # Imported on first use: text-unidecode loads a 4 MB table most files never need.
    from text_unidecode import unidecode

    return unidecode(char) or " "


class _AsciiTable(dict[int, str]):
    """code point -> ASCII text, filled on first use (bounded)."""

    def __missing__(self, code: int) -> str:
        value = chr(code) if code < 128 else _char_to_ascii(chr(code))
        if len(self) > 20000:
            self.clear()
        self[code] = value
        return value


_ASCII_TABLE = _AsciiTable()


def _run_to_ascii(match: re.Match[str]) -> str:
    run = match.group()
    if len(run) == 1:
        return _char_to_ascii(run)
    return "".join(map(_char_to_ascii, run))


@functools.lru_cache(maxsize=16384)
def _char_to_ascii(char: str) -> str:
    """One non-ASCII character in ASCII: the explicit mapping, else its NFKD
    decomposition without accents (é→e, ﬁ→fi, full-width Ａ→A), letters and digits
    of other scripts romanised (text-unidecode), anything else a space."""
    if char in _EXPLICIT:
        return _EXPLICIT[char]
    decomposed = unicodedata.normalize("NFKD", char)
    if decomposed.isascii():
        return decomposed
    out = []
    for part in decomposed:
        if part < "\x80":
            out.append(part)
        elif part in _EXPLICIT:
            out.append(_EXPLICIT[part])
        else:
            category = unicodedata.category(part)
            if category == "Mn":  # an accent: dropped
                continue
            out.append(_romanise(part) if category[0] in "LN" else " ")
    result = "".join(out)
    return result if result.isascii() else " "  # the caller relies on ASCII


def is_sepa_text(text: str) -> bool:
    """True when every character is in the SEPA Latin set (spacing not checked)."""
    return all(c in SEPA_CHARACTERS for c in text)


def first_non_sepa_character(text: str) -> str | None:
    for c in text:
        if c not in SEPA_CHARACTERS:
            return c
    return None


@dataclass(frozen=True)
class TextPreview:
    """What the UI shows next to an input: the original and the text in the file."""

    original: str
    text: str
    max_len: int | None
    truncated: bool  # the transliterated text was longer than max_len
    replaced: tuple[str, ...]  # characters that became a space (or vanished)

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def __str__(self) -> str:
        if not self.changed:
            return self.text
        note = f" (truncated to {self.max_len})" if self.truncated else ""
        return f"{self.original} → {self.text}{note}"


def preview(text: str, max_len: int | None = None) -> TextPreview:
    """Original → file text, with what was lost, for display before saving."""
    full = transliterate(text)
    short = transliterate(text, max_len)
    replaced = []
    for c in dict.fromkeys(text):  # unique, in order of appearance
        if c in SEPA_CHARACTERS:
            continue
        if _to_allowed(c) in ("", PLACEHOLDER):
            replaced.append(c)
    return TextPreview(
        original=text, text=short, max_len=max_len, truncated=len(full) > len(short), replaced=tuple(replaced)
    )
