"""The official ISO 20022 pain.008 XSDs and streaming validation against them.

The XSDs are the ones shipped inside the ``sepaxml`` package
(``sepaxml/schemas/pain.008.001.02.xsd`` and ``.08``), read through
importlib.resources and compiled once per process with lxml (libxml2).
Validation runs while parsing (``iterparse(schema=...)``) and clears every
transaction once seen, so memory stays flat whatever the file size.
(xmlschema is 30-40x slower; it is not used.)
"""

from __future__ import annotations

import functools
import importlib.resources
import os
from typing import BinaryIO

from lxml import etree

from incasso_tui.sepa.errors import SepaError
from incasso_tui.sepa.validate import VERSIONS, validate_version

NS_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
NAMESPACES = {version: NS_PREFIX + version for version in VERSIONS}
VERSION_OF_NAMESPACE = {ns: version for version, ns in NAMESPACES.items()}


@functools.cache
def load_schema(version: str) -> etree.XMLSchema:
    """The compiled XSD of ``version`` (cached for the life of the process)."""
    validate_version(version)
    resource = importlib.resources.files("sepaxml") / "schemas" / f"{version}.xsd"
    with resource.open("rb") as f:
        return etree.XMLSchema(etree.parse(f))


class SchemaInvalid(SepaError):
    """The file does not validate against the XSD."""

    def __init__(self, version: str, message: str, where: str | None = None) -> None:
        super().__init__(f"{version} XSD", message, where=where)


def version_of(source: str | BinaryIO) -> str | None:
    """The pain.008 version from the root element's namespace (None if not pain.008)."""
    for _, el in etree.iterparse(source, events=("start",)):
        return VERSION_OF_NAMESPACE.get(etree.QName(el).namespace or "")
    return None


def validate_stream(source: str, version: str) -> int:
    """Validate the file at ``source`` against the XSD while parsing it.

    Returns the number of DrctDbtTxInf elements; raises SchemaInvalid (with the
    line of the first error when locate_xsd_errors can find it).
    """
    tx_tag = f"{{{NAMESPACES[version]}}}DrctDbtTxInf"
    count = 0
    try:
        for _, el in etree.iterparse(
            source, events=("end",), tag=tx_tag, schema=load_schema(version), huge_tree=True
        ):
            count += 1
            _release(el)
    except etree.XMLSyntaxError as e:
        if e.lineno:  # not well-formed
            raise SchemaInvalid(version, f"not well-formed XML: {e.msg}", f"line {e.lineno}") from None
        located = locate_xsd_errors(source, version)
        if located:
            line, message = located[0]
            raise SchemaInvalid(version, message, f"line {line}") from None
        raise SchemaInvalid(version, xsd_message(e)) from None
    return count


# Locating XSD errors needs the file as one tree (~8 bytes of memory per byte).
LOCATE_MAX_BYTES = 8 * 1024 * 1024


def locate_xsd_errors(path: str, version: str, max_bytes: int = LOCATE_MAX_BYTES) -> list[tuple[int, str]]:
    """Every XSD error of the file with its line, or [] when the file is bigger than
    ``max_bytes`` (then only the streaming check's message is available).

    Streaming validation (iterparse with a schema) reports errors without a line
    and only at the end of the document; this is the failure path's second look.
    """
    try:
        if os.path.getsize(path) > max_bytes:
            return []
        # No DTD, entities or network: the checker refuses those first, but this is public.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        tree = etree.parse(path, parser)
    except (OSError, TypeError, etree.XMLSyntaxError):  # TypeError: not a path
        return []
    schema = load_schema(version)
    if schema.validate(tree):
        return []
    # lxml-stubs declare _ErrorLog without __iter__ (it yields _LogEntry objects at run time).
    return [(error.line, _strip_namespaces(error.message)) for error in schema.error_log]  # type: ignore[attr-defined]


def _release(el: etree._Element) -> None:
    """Free a parsed transaction and the siblings before it (constant memory)."""
    el.clear()
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def xsd_message(error: etree.XMLSyntaxError) -> str:
    text = str(error.msg if getattr(error, "msg", None) else error)
    return _strip_namespaces(text).replace(" (<string>, line 0)", "")


def _strip_namespaces(text: str) -> str:
    # libxml2 reports "{urn:...}Tag"; the bare tag name reads better.
    for ns in NAMESPACES.values():
        text = text.replace(f"{{{ns}}}", "")
    return text
