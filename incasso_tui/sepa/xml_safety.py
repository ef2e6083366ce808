"""Refuse XML that could expand, fetch or hide content, before any parser sees it.

No file this app reads (pain.008, pain.002, camt.053/054) ever needs a DTD, so a
DOCTYPE is refused outright: with it go internal entities (``<!ENTITY a "Jan">``
… ``&a;``), "billion laughs" (entities of entities), external entities
(``SYSTEM "file:///etc/passwd"``) and external DTDs.  Entities can only be
declared in the DTD, and the DTD can only stand before the root element, so
reading the prolog (the part before the root element: XML declaration,
comments, processing instructions, the DOCTYPE) is enough; the file itself is
not parsed here and the rest of it is never read.

    prolog = read_prolog(path)    # UnsafeXml on a DOCTYPE; else what the prolog says
    refuse_dtd(data)              # the same check for bytes, a path or a binary stream

The prolog is read in the encoding the first bytes show (a byte order mark,
UTF-16/32 without one, EBCDIC), the same detection a parser does (XML 1.0,
appendix F), so a DOCTYPE in UTF-16 is found too.  A declared encoding outside
the ones read faithfully here (ASCII-compatible ones and UTF-16/32) is refused
as well: a parser would decode it differently from this scan.

Second line of defence, for callers that parse: ``refuse_parsed_doctype(el)``
on the first element a parser returns, with the parser options in
``SAFE_PARSE_OPTIONS`` (no entity expansion, no DTD loading, no network, the
libxml2 size and depth limits kept).  XInclude is never processed by this app
(nothing calls ``xinclude()``); an ``xi:include`` element is just an element,
and the pain.008 checker reports it.

Used by the pain.008 reader and checker; the feedback reader may use it too.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import BinaryIO, Final

from lxml import etree

from incasso_tui.sepa.errors import SepaError

# The longest prolog read: real files have ~40 bytes before the root element.
PROLOG_LIMIT: Final = 1 << 20
_FIRST_READ: Final = 1 << 16

# Options for lxml parsers of outside files (iterparse, XMLParser).
SAFE_PARSE_OPTIONS: Final = {
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "huge_tree": False,
}

XINCLUDE_NAMESPACE: Final = "http://www.w3.org/2001/XInclude"

UTF_8, UTF_16LE, UTF_16BE, UTF_32LE, UTF_32BE, EBCDIC = (
    "UTF-8",
    "UTF-16LE",
    "UTF-16BE",
    "UTF-32LE",
    "UTF-32BE",
    "EBCDIC",
)
# (first bytes, encoding, is a byte order mark); longer signatures first.
_SIGNATURES: Final = (
    (b"\x00\x00\xfe\xff", UTF_32BE, True),
    (b"\xff\xfe\x00\x00", UTF_32LE, True),
    (b"\xef\xbb\xbf", UTF_8, True),
    (b"\xfe\xff", UTF_16BE, True),
    (b"\xff\xfe", UTF_16LE, True),
    (b"\x00\x00\x00<", UTF_32BE, False),
    (b"<\x00\x00\x00", UTF_32LE, False),
    (b"\x00<\x00?", UTF_16BE, False),
    (b"<\x00?\x00", UTF_16LE, False),
    (b"\x4c\x6f\xa7\x94", EBCDIC, False),
)
_CODECS: Final = {
    UTF_8: "latin-1",  # only the ASCII structure matters; latin-1 never fails
    UTF_16LE: "utf-16-le",
    UTF_16BE: "utf-16-be",
    UTF_32LE: "utf-32-le",
    UTF_32BE: "utf-32-be",
    EBCDIC: "cp037",
}
# Declared encodings whose prolog this scan reads as the parser will (ASCII-compatible).
_ASCII_COMPATIBLE: Final = re.compile(
    r"UTF-?8|(US-)?ASCII|ISO[-_]?8859-\d{1,2}|LATIN-?\d|(WINDOWS|CP)-?125\d", re.IGNORECASE
)
_UTF_16_32: Final = re.compile(r"UTF-?(16|32)(-?[LB]E)?|UCS-?[24]|ISO-10646-UCS-[24]", re.IGNORECASE)
_ENCODING_DECL: Final = re.compile(r"""\sencoding\s*=\s*(["'])([^"']*)\1""")
_SPACE: Final = " \t\r\n"


DTD, ENCODING, PROLOG = "dtd", "encoding", "prolog"


class UnsafeXml(SepaError):
    """The file has a DOCTYPE (DTD, entities) or cannot be screened for one.

    ``kind``: DTD (a ``<!`` declaration), ENCODING (a declared encoding this scan
    cannot read as a parser would) or PROLOG (no root element within
    PROLOG_LIMIT); ``line``: the line of the declaration (None when unknown)."""

    def __init__(self, rule: str, line: int | None = None, kind: str = DTD) -> None:
        super().__init__("XML", rule)
        self.kind = kind
        self.line = line


@dataclass(frozen=True, slots=True)
class Prolog:
    """What the part of a file before its root element says.

    ``detected``: the encoding family of the first bytes (UTF_8 also stands for
    any ASCII-compatible encoding); ``bom``: the byte order mark's encoding, or
    None; ``declaration``: whether there is an XML declaration;
    ``declared_encoding``: its ``encoding="..."`` as written, or None."""

    detected: str
    bom: str | None
    declaration: bool
    declared_encoding: str | None


def read_prolog(source: str | os.PathLike[str] | bytes | BinaryIO) -> Prolog:
    """The prolog of a file: a path, the bytes, or a binary stream (read from its
    position, which is restored).  UnsafeXml on a DOCTYPE or any other ``<!``
    declaration before the root element, on an encoding this scan cannot read
    the way a parser would, or when no root element starts in the first
    PROLOG_LIMIT bytes; OSError when a path cannot be read."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source[:PROLOG_LIMIT])
        return _last_scan(data, complete=len(source) <= PROLOG_LIMIT)
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            return _read(f)
    position = source.tell()
    try:
        return _read(source)
    finally:
        source.seek(position)


def refuse_dtd(source: str | os.PathLike[str] | bytes | BinaryIO) -> None:
    """UnsafeXml when the file has a DOCTYPE (see read_prolog); nothing otherwise."""
    read_prolog(source)


def refuse_parsed_doctype(element: etree._Element) -> None:
    """UnsafeXml when the document of a parsed ``element`` has a DOCTYPE: the check
    after parsing, for a parser that met one the prolog scan did not."""
    info = element.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:  # type: ignore[attr-defined]  # lxml-stubs lack DocInfo.doctype
        raise UnsafeXml(_DTD_RULE)


_DTD_RULE: Final = "has a DOCTYPE declaration; DTDs and entities are refused (the file was not read further)"


def _read(f: BinaryIO) -> Prolog:
    head = f.read(_FIRST_READ)
    try:
        return _scan(head, complete=len(head) < _FIRST_READ)
    except _Incomplete:
        head += f.read(PROLOG_LIMIT - len(head))
        return _last_scan(head, complete=len(head) < PROLOG_LIMIT)


def _last_scan(data: bytes, *, complete: bool) -> Prolog:
    try:
        return _scan(data, complete=complete)
    except _Incomplete:
        raise UnsafeXml(
            f"has no root element in its first {PROLOG_LIMIT // 1024} KiB (the file was not read further)",
            kind=PROLOG,
        ) from None


class _Incomplete(Exception):
    """The data ended inside the prolog (more may follow)."""


def _scan(data: bytes, *, complete: bool) -> Prolog:
    detected, bom = UTF_8, None
    for signature, encoding, is_bom in _SIGNATURES:
        if data.startswith(signature):
            detected = encoding
            if is_bom:
                bom = encoding
                data = data[len(signature) :]
            break
    text = data.decode(_CODECS[detected], errors="replace")
    declaration, declared = False, None
    try:
        declaration, declared, end = _declaration(text)
        if declared is not None:
            family = _UTF_16_32 if detected in (UTF_16LE, UTF_16BE, UTF_32LE, UTF_32BE) else _ASCII_COMPATIBLE
            if detected == EBCDIC or not family.fullmatch(declared):
                problem = (
                    f"is in {detected} but declares encoding {declared!r}"
                    if detected != UTF_8
                    else f"declares encoding {declared!r}, which is not UTF-8"
                )
                raise UnsafeXml(problem + " (the file was not read further)", 1, ENCODING)
        _misc(text, end, complete)
    except _Incomplete:
        if not complete:
            raise
        # The whole file is a prolog: not well-formed, which the parser reports.
    return Prolog(detected, bom, declaration, declared)


def _declaration(text: str) -> tuple[bool, str | None, int]:
    """(is there an XML declaration, its encoding, where the rest starts)."""
    if not (text.startswith("<?xml") and len(text) > 5 and text[5] in _SPACE + "?"):
        return False, None, 0
    end = text.find("?>")
    if end < 0:
        raise _Incomplete
    match = _ENCODING_DECL.search(text, 0, end)
    return True, match.group(2) if match else None, end + 2


def _misc(text: str, pos: int, complete: bool) -> None:
    """Skip comments, processing instructions and white space up to the root element;
    UnsafeXml at a ``<!`` declaration (DOCTYPE, ENTITY, ...)."""
    n = len(text)
    while True:
        while pos < n and text[pos] in _SPACE:
            pos += 1
        if pos >= n or (not complete and n - pos < 4):  # "<!--" decides
            raise _Incomplete
        if text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                raise _Incomplete
            pos = end + 3
        elif text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                raise _Incomplete
            pos = end + 2
        elif text.startswith("<!", pos):
            raise UnsafeXml(_DTD_RULE, text.count("\n", 0, pos) + 1)
        else:  # the root element (or text a parser will refuse)
            return
