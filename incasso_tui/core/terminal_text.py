"""Text from data or input, made harmless for a terminal.

A terminal obeys control characters: ESC starts sequences that clear the screen, move the
cursor or retitle the window (``\\x1b[2J``, ``\\x1b]0;…\\x07``), C1 characters (U+0080–U+009F)
do the same on many terminals, and bidirectional overrides and isolates (U+202A–U+202E,
U+2066–U+2069) make text read differently from what it is. Such characters are refused on
input (services.input_rules) and escaped on output, here, once: the CLI (its tables, its
messages, everything it prints) and the TUI (table cells, labels) both use `escape_terminal`.

An escaped character is shown as ``\\uXXXX`` (ESC as ``\\u001b``): readable, and still valid
inside a JSON string, so JSON output passing through the same escaping stays JSON.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

# C0 controls and NUL, DEL, C1 controls; bidirectional embeddings/overrides and isolates;
# lone surrogates (bytes that were not UTF-8, kept by Python's surrogateescape).
_CONTROL = "\x00-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_SURROGATE = "\ud800-\udfff"
UNSAFE = re.compile(f"[{_CONTROL}{_BIDI}{_SURROGATE}]")
_IS_CONTROL = re.compile(f"[{_CONTROL}]")
_IS_BIDI = re.compile(f"[{_BIDI}]")


def codepoint(char: str) -> str:
    """'U+001B' for ESC."""
    return f"U+{ord(char):04X}"


def unsafe_rule(value: str) -> str | None:
    """The rule `value` breaks as terminal-safe single-line text, naming the first offending
    character (e.g. 'must not contain control characters (U+001B)'), or None."""
    found = UNSAFE.search(value)
    if found is None:
        return None
    char = found.group()
    if _IS_CONTROL.fullmatch(char):
        return f"must not contain control characters ({codepoint(char)})"
    if _IS_BIDI.fullmatch(char):
        return f"must not contain bidirectional text controls ({codepoint(char)})"
    if 0xDC80 <= ord(char) <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"must be UTF-8 text (byte 0x{ord(char) - 0xDC00:02X} is not)"
    return f"must be valid text ({codepoint(char)} is not a character)"


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_terminal(value: object, keep: str = "") -> str:
    """`value` as text with every unsafe character written as \\uXXXX, except those in
    `keep` (e.g. "\\n" for text that may span lines). Safe text comes back unchanged."""
    text = value if isinstance(value, str) else str(value)
    if UNSAFE.search(text) is None:  # the common case: no copy, no substitution
        return text
    if not keep:
        return UNSAFE.sub(_escaped, text)
    return UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escaped(m), text)


def _picture(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␛ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # �: C1 controls, bidirectional controls, undecodable bytes


def picture_terminal(text: str) -> str:
    """`text` with every unsafe character replaced by ONE visible character (ESC as ␛, C1
    and bidirectional controls as �). Only for an editable field, whose cursor needs the
    shown text as long as the value; everything else shows `escape_terminal`."""
    if UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub(lambda m: _picture(m.group()), text)


def fragment(value: object, limit: int = 40) -> str:
    """A short, escaped piece of `value` to quote in a message (e.g. a bad CSV header): at most
    `limit` characters of the original, with '…' when it was longer."""
    text = value if isinstance(value, str) else str(value)
    cut = text[:limit]
    return escape_terminal(cut) + ("…" if len(text) > limit else "")


class SafeWriter:
    """A text stream that escapes what is written to it before passing it on (the CLI wraps
    stdout and stderr in one, so nothing any command prints can drive the terminal).
    Everything else (isatty, fileno, flush, encoding, …) is the wrapped stream's."""

    def __init__(self, stream: TextIO, keep: str = "\n\t") -> None:
        self._stream = stream
        self._keep = keep

    def write(self, text: str) -> int:
        self._stream.write(escape_terminal(text, self._keep))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    @property
    def wrapped(self) -> TextIO:
        return self._stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
