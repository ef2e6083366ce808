"""What a search compares: names and towns folded to lower-case ASCII, so "pena" finds
Peña, "muller" and "mueller" find Müller, and "GROSS" finds Groß.

Both sides go through the same fold (the stored key and what the user typed), so a search
is a plain substring test the database can index: a trigram index on the key.
"""

from __future__ import annotations

import unicodedata

# Between the parts of a key: a control character nobody can type (a search drops them),
# so a search never matches across the end of a name into the town.
SEPARATOR = "\x1f"
# German spells an umlaut out as the vowel plus e when it cannot write it: Müller, Mueller.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


# Letters NFKD does not decompose; and LIKE's wildcards, which a folded text never holds.
_EXPLICIT = str.maketrans(
    {"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l"}
    | {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "%": " ", "_": " ", "\\": " "}
)


def fold(text: str) -> str:
    """`text` lower-cased without accents (ß→ss, ł→l, é→e), spaces collapsed. Pure
    unicodedata: the SEPA engine stays unloaded in the TUI."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXPLICIT))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def debtor_search_key(name: str, town: str = "") -> str:
    """The stored search key of a debtor: its folded name, the umlauts-spelled-out variant
    when that differs, and its folded town."""
    parts = [fold(name)]
    spelled = fold(name.translate(_UMLAUTS))
    if spelled != parts[0]:
        parts.append(spelled)
    if town:
        parts.append(fold(town))
    return SEPARATOR.join(parts)


def debtor_keys(name: str, town: str = "") -> dict[str, str]:
    """The derived columns to store with a debtor's name and town (every insert and update
    of a debtor passes these, a bulk insert included)."""
    return {"name_key": name.lower(), "search_key": debtor_search_key(name, town)}
