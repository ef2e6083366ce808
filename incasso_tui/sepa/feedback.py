"""Reader of the bank's feedback on our direct debits (sepa-rules.md §6.3, §6.4).

Three message types come back from a Dutch bank:

* pain.002 (Customer Payment Status Report, .001.03 or .001.10): rejects before
  settlement, of the whole file (GrpSts), of a PmtInf block (PmtInfSts) or of
  single transactions (TxSts).  Rabobank only reports what was rejected.
* camt.053 (statement) and camt.054 (debit/credit notification), .001.02 or
  .001.08: returns, refunds and rejects after the collection was credited, as
  ``Ntry/NtryDtls/TxDtls`` with ``RtrInf``.

``FeedbackReader`` streams one file: its ``head`` (format, version, message id,
sender) is read when it opens, then ``items()`` yields the negative results one by
one, each with the ids the set processing matches on (OrgnlMsgId, OrgnlPmtInfId,
EndToEndId, mandate reference, creditor IBAN), the ISO reason code and the source
line.  What the bank reports as accepted is only counted.  ``read_feedback`` reads
a whole (small) file into a FeedbackFile.

Why streaming: a statement or status report can be hundreds of megabytes.  The
file is read with ``iterparse`` and every transaction (TxInfAndSts, TxDtls) and
entry (Ntry) is dropped from the tree once it has been read, so memory does not
grow with the file; a file with more than MAX_SPAN bytes outside them is
refused (see _Stream).  This relies on the order the XSDs prescribe (a block's status
before its transactions, an entry's dates before its details), which every bank keeps.

Why namespace-agnostic: banks send .03/.10 and .02/.08 side by side, sometimes
with a prefix (``ns2:``) or without a namespace; the elements read here have the
same local names in every version (differences are noted where they are read).
So every path matches any namespace (``{*}``), the way Tryton reads camt with
``local-name()``.

What is never done: DTDs and entities are refused, nothing is fetched from the
network or the disk (no XInclude: an ``xi:include`` is an unknown element).

Why no XSD validation: the pain.002/camt XSDs are not shipped (sepaxml only has
pain.001/.008), and a bank's file that is slightly off the schema must still be
readable; what the app relies on is checked here, with the element and line.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import IO, cast

from lxml import etree

from incasso_tui.core.terminal_text import UNSAFE, unsafe_rule
from incasso_tui.sepa.errors import NO_VALUE, SepaError

PAIN_002, CAMT_053, CAMT_054 = "pain.002", "camt.053", "camt.054"
FORMATS = {"CstmrPmtStsRpt": PAIN_002, "BkToCstmrStmt": CAMT_053, "BkToCstmrDbtCdtNtfctn": CAMT_054}
UNKNOWN_VERSION = "unknown"

GROUP, BLOCK, TX = "group", "block", "tx"
SCOPES = (GROUP, BLOCK, TX)
REJECT, RETURN, REFUND, REVERSAL = "reject", "return", "refund", "reversal"
KINDS = (REJECT, RETURN, REFUND, REVERSAL)

RJCT = "RJCT"
# Statuses that are not negative and are counted as "accepted" (PDNG: not
# refused (yet); a later report would reject it explicitly).
POSITIVE_STATUSES = frozenset({"ACCP", "ACSC", "ACSP", "ACTC", "ACWC", "ACCC", "PDNG"})
NOTPROVIDED = "NOTPROVIDED"
PRE_SETTLEMENT_MARK = "/RTYP/RJCT"  # camt AddtlInf of a reject (Tryton, sepa-rules §6.4)
REFUND_SUBFAMILY = "PRDD"  # BkTxCd PMNT/IDDT/PRDD: reversal/refund

_ISO_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:((pain\.002|camt\.053|camt\.054)\.\d{3}\.\d{2})")
_ISO_MESSAGE = re.compile(r"[a-z]{4}\.\d{3}", re.IGNORECASE)
_AMOUNT = re.compile(r"(\d{1,18})(?:\.(\d{1,2}))?")
MAX_ID = 35  # Max35Text: message ids
MAX_SENDER = 140
# Bytes the parser may read without a transaction (or entry, block) being dropped: what a
# file can make it hold beyond the one it is reading (one is a few KB; 1 MB of the densest
# XML is some 40 MB in memory).
MAX_SPAN = 1 << 20
_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
# lxml-stubs do not declare iterparse.
_iterparse = cast(
    "Callable[..., Iterator[tuple[str, etree._Element]]]",
    etree.iterparse,
)


class FeedbackFormatError(SepaError):
    """The file is not a pain.002 / camt.053 / camt.054 we can use.

    ``line`` is the source line when known; it also appears in the message
    ("line 12: OrgnlTxRef/Amt/InstdAmt '12.345': is not an amount ...").
    """

    def __init__(
        self,
        field: str,
        rule: str,
        value: object = NO_VALUE,
        *,
        where: str | None = None,
        line: int | None = None,
    ) -> None:
        if line:
            where = f"{where}, line {line}" if where else f"line {line}"
        super().__init__(field, rule, value, where=where)
        self.line = line


@dataclass(frozen=True, slots=True)
class FeedbackItem:
    """One negative result: a rejected file, block or transaction, or a return/refund.

    ``scope`` is GROUP (the whole original message), BLOCK (one PmtInf) or TX.
    ``kind`` is REJECT (pre-settlement), RETURN, REFUND or REVERSAL (the parser
    never produces REVERSAL: a creditor's own reversal cannot be told apart in
    camt; the value exists for the app's records).
    ``reason_code`` is the ISO code (Rsn/Cd), else the proprietary text
    (Rsn/Prtry) as given, else "".  ``amount_cents`` of a GROUP/BLOCK item is its
    OrgnlCtrlSum when the bank gives it.
    """

    scope: str
    kind: str
    reason_code: str
    reason_text: str
    original_msg_id: str | None
    original_pmt_inf_id: str | None
    end_to_end_id: str | None
    instruction_id: str | None
    mandate_reference: str | None
    amount_cents: int | None
    date: dt.date | None
    pre_settlement: bool
    line: int
    # The creditor's account (ours) the item is about: OrgnlTxRef/CdtrAcct in a pain.002,
    # RltdPties/CdtrAcct or else the statement's account in a camt. Tells whose it is when
    # nothing else matches; not part of the item's identity.
    creditor_iban: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class FeedbackHead:
    """What is known of a file before its items: ``sender`` is who made the message (a
    pain.002's InitgPty or agent, a camt's account servicer and account), part of the
    message's identity with ``format`` and ``message_id``."""

    format: str
    version: str
    message_id: str
    created_at: dt.datetime | None
    sender: str
    group_status: str | None
    original_msg_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FeedbackFile:
    """A whole feedback file.  ``accepted`` counts what was reported without a
    negative status (pain.002 transactions with ACCP/ACTC/ACSC/PDNG..., camt
    TxDtls without RtrInf and entries without TxDtls); it is a count for the
    summary, not the number of accepted collections (banks often report only
    rejects)."""

    format: str
    version: str
    message_id: str
    created_at: dt.datetime | None
    group_status: str | None
    original_msg_ids: tuple[str, ...]
    items: tuple[FeedbackItem, ...]
    accepted: int
    sender: str = ""


def read_feedback(source: str | os.PathLike[str] | bytes) -> FeedbackFile:
    """Read a whole pain.002 / camt.053 / camt.054 file: a path (``str`` is always a
    path, never XML text) or the file's bytes.  FeedbackFormatError when the file is
    empty, not well-formed, another message type, or has a value the app cannot use;
    OSError when the path cannot be read.  Large files: use FeedbackReader."""
    with FeedbackReader(source) as reader:
        items = tuple(reader.items())
        head = reader.head
        return FeedbackFile(
            head.format,
            head.version,
            head.message_id,
            head.created_at,
            head.group_status,
            head.original_msg_ids,
            items,
            reader.accepted,
            head.sender,
        )


class FeedbackReader:
    """One feedback file, streamed: ``head`` is read when it opens (FeedbackFormatError
    as read_feedback), ``items()`` yields the items once, in file order, raising
    FeedbackFormatError where the file goes wrong; ``accepted`` is complete after it.
    Memory stays bounded whatever the size of the file.  Close it (or use ``with``)."""

    def __init__(self, source: str | os.PathLike[str] | bytes) -> None:
        file: IO[bytes]
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            if not data.strip():
                raise FeedbackFormatError("file", "is empty")
            file = io.BytesIO(data)
        else:
            file = open(source, "rb")  # noqa: SIM115  (closed by close())
            if _blank(file):
                file.close()
                raise FeedbackFormatError("file", "is empty")
        self._file = file
        self._stream = _Stream(file)
        self._records = self._stream.records()
        try:
            first = next(self._records)
        except BaseException:
            self.close()
            raise
        assert isinstance(first, FeedbackHead)
        self.head: FeedbackHead = first

    @property
    def accepted(self) -> int:
        return self._stream.accepted

    def items(self) -> Iterator[FeedbackItem]:
        for record in self._records:
            if isinstance(record, FeedbackItem):
                yield record
        self.close()

    def close(self) -> None:
        self._records.close()
        self._file.close()

    def __enter__(self) -> FeedbackReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _blank(file: IO[bytes]) -> bool:
    """Only whitespace (or nothing) in the file; rewinds it."""
    while chunk := file.read(1 << 16):
        if chunk.strip():
            file.seek(0)
            return False
    return True


# ------------------------------------------------------------ streaming, detection


class _Counted:
    """The file as the parser reads it, counting the bytes since the last transaction was
    dropped: past MAX_SPAN it reads as ended (the parser then fails) and says so."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self.position = 0
        self.mark = 0
        self.overrun = False

    def read(self, size: int = -1) -> bytes:
        if self.position - self.mark > MAX_SPAN:
            self.overrun = True
            return b""
        data = self._file.read(size)
        self.position += len(data)
        return data


class _Stream:
    """The iterparse loop: yields the FeedbackHead, then FeedbackItems.

    A first, short pass reads the root and the message element (refusing a DOCTYPE before
    anything else); the second one asks lxml only for the elements read here (a filter in
    C: the file's other millions of elements cost no Python).  Every transaction, entry and
    block is cleared once read and the elements before it are deleted (never the element
    itself: the parser may still use it); everything else is small and sits before one of
    them.  What stays unread (a hostile file's junk) is bounded by MAX_SPAN: no more than
    that many bytes may pass without a transaction being dropped.
    """

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self._counted = _Counted(file)
        self._line: int | None = None  # of the message element
        self.accepted = 0

    def records(self) -> Generator[FeedbackHead | FeedbackItem, None, None]:
        try:
            fmt, version = self._detect()
            self._file.seek(0)
            if fmt == PAIN_002:
                yield from self._pain002(version)
            else:
                yield from self._camt(fmt, version)
        except etree.XMLSyntaxError as e:
            if self._counted.overrun:
                raise _overrun(e.lineno) from None
            raise FeedbackFormatError("XML", f"is not well-formed ({e.msg})", line=e.lineno) from None
        if self._counted.overrun:
            raise _overrun(None)

    def _detect(self) -> tuple[str, str]:
        events = _iterparse(self._file, events=("start", "end"), **_OPTIONS)
        first = next(events, None)
        if first is None:
            raise FeedbackFormatError("file", "has no XML document")
        root = first[1]
        if root.getroottree().docinfo.doctype:  # type: ignore[attr-defined]  # lxml-stubs lack DocInfo.doctype
            # Bank files never have one; entities would be left unexpanded (text lost).
            raise FeedbackFormatError(
                "XML", "has a DOCTYPE declaration (DTDs and entities are not accepted in a bank file)"
            )
        event, message = next(events)
        self._line = _sourceline(message)
        return _detect(root, message if event == "start" else None)

    def _events(self, *names: str) -> Iterator[tuple[str, etree._Element]]:
        return _iterparse(
            self._counted, events=("start", "end"), tag=[_any_namespace(n) for n in names], **_OPTIONS
        )

    def _drop(self, el: etree._Element) -> None:
        """Clear ``el`` (read) and delete the elements before it (read or of no use)."""
        el.clear()
        _drop_before(el)
        self._counted.mark = self._counted.position

    # ------------------------------------------------------------ pain.002

    def _pain002(self, version: str) -> Iterator[FeedbackHead | FeedbackItem]:
        header: tuple[str, dt.datetime | None, str] | None = None
        head: FeedbackHead | None = None
        group: _Group | None = None
        block: _Block | None = None
        number = 0
        for event, el in self._events("GrpHdr", "OrgnlGrpInfAndSts", "OrgnlPmtInfAndSts", "TxInfAndSts"):
            name = _local(el)
            if event == "start":
                if name == "OrgnlPmtInfAndSts" and _depth(el) == 3:
                    if head is None:
                        raise _missing_group(self._line, header)
                    block = _Block(el)
                continue
            if name == "TxInfAndSts":
                if block is not None and el.getparent() is block.element:
                    number += 1
                    item = self._pain_transaction(el, block, group, number)
                    if item is not None:
                        yield item
                    self._drop(el)
            elif _depth(el) != 3:
                continue
            elif name == "GrpHdr" and header is None:
                message_id, created_at = _group_header(el, self._line)
                header = (message_id, created_at, _pain_sender(el))
                self._drop(el)
            elif name == "OrgnlGrpInfAndSts" and head is None:
                if header is None:
                    raise _group_header_missing(self._line)
                head, group = _original_group(el, header, version)
                yield head
                self._drop(el)
            elif name == "OrgnlPmtInfAndSts" and block is not None:
                item = self._pain_block_end(block, group)
                if item is not None:
                    yield item
                block = None
                self._drop(el)
        if head is None:
            raise _missing_group(self._line, header)
        if group is not None and group.item is not None:
            yield replace(group.item, reason_code=group.code, reason_text=group.text)

    def _pain_transaction(
        self, tx: etree._Element, block: _Block, group: _Group | None, number: int
    ) -> FeedbackItem | None:
        assert group is not None  # a block starts only after the group
        self._pain_block_ready(block, group)
        if group.item is not None:  # the whole file is rejected: only its first reason
            if not group.code:
                group.code, group.text = _with_text(_status_reason(tx), group.text)
            return None
        if block.status == RJCT:
            if block.first:
                block.first = False
                ref = _find(tx, "OrgnlTxRef")
                block.date = _date(ref, "ReqdColltnDt") if ref is not None else None
            if not block.code:
                block.code, block.text = _with_text(_status_reason(tx), block.text)
            return None
        status = _text(tx, "TxSts") or block.status or group.status
        if status == RJCT:
            return _rejected_transaction(tx, number, group.original, block.id, group.created_date)
        if status in POSITIVE_STATUSES:
            self.accepted += 1
        return None

    def _pain_block_ready(self, block: _Block, group: _Group) -> None:
        """Read the block's own elements (they come before its transactions)."""
        if block.ready:
            return
        block.ready = True
        el = block.element
        block.id = _text(el, "OrgnlPmtInfId")
        block.status = _text(el, "PmtInfSts")
        block.line = _sourceline(el) or 0
        if group.item is not None:
            if not group.code:
                group.code, group.text = _with_text(_status_reason(el), group.text)
            return
        if block.status == RJCT:
            if block.id is None:
                raise FeedbackFormatError(
                    "OrgnlPmtInfId", "is missing in a rejected OrgnlPmtInfAndSts", line=block.line
                )
            block.code, block.text = _status_reason(el)
            block.amount = _amount(_find(el, "OrgnlCtrlSum"), "OrgnlPmtInfAndSts/OrgnlCtrlSum")

    def _pain_block_end(self, block: _Block, group: _Group | None) -> FeedbackItem | None:
        assert group is not None
        self._pain_block_ready(block, group)
        if group.item is not None or block.status != RJCT:
            return None
        return FeedbackItem(
            BLOCK,
            REJECT,
            block.code,
            block.text,
            group.original,
            block.id,
            None,
            None,
            None,
            block.amount,
            block.date or group.created_date,
            True,
            block.line,
        )

    # ------------------------------------------------------------ camt.053 / camt.054

    def _camt(self, fmt: str, version: str) -> Iterator[FeedbackHead | FeedbackItem]:
        container = "Stmt" if fmt == CAMT_053 else "Ntfctn"
        header: tuple[str, dt.datetime | None] | None = None
        head_done = False
        report: etree._Element | None = None  # the current Stmt / Ntfctn
        account_iban: str | None = None  # its account
        sender = ""  # the first report's account servicer and account
        entry: _Entry | None = None

        def head() -> FeedbackHead:
            if header is None:
                raise _group_header_missing(self._line)
            return FeedbackHead(fmt, version, header[0], header[1], sender, None, ())

        for event, el in self._events("GrpHdr", container, "Acct", "Ntry", "TxDtls"):
            name = _local(el)
            if event == "start":
                if name == container and _depth(el) == 3:
                    report, account_iban = el, None
                elif name == "Ntry" and report is not None and el.getparent() is report:
                    if not head_done:
                        head_done = True
                        yield head()
                    entry = _Entry(el)
                continue
            if name == "TxDtls":
                details = el.getparent()
                if entry is not None and details is not None and details.getparent() is entry.element:
                    yield from self._camt_transaction(el, entry, account_iban)
                    self._drop(el)
                    _drop_before(details)  # the entry's own elements were read at its first
            elif name == "Ntry":
                if entry is not None and el is entry.element:
                    if entry.count == 0:
                        self.accepted += 1
                    if entry.pending is not None:
                        amount = _amount(entry.parts.get("Amt"), "Ntry/Amt") if entry.count == 1 else None
                        yield replace(entry.pending, amount_cents=amount)
                    entry = None
                    self._drop(el)
            elif name == "Acct":
                if report is not None and el.getparent() is report and account_iban is None:
                    account_iban, found = _camt_account(el)
                    if not head_done:
                        sender = found
                        head_done = True
                        yield head()
            elif name == container:
                if el is report:
                    report = None
                    self._drop(el)
            elif name == "GrpHdr" and header is None and _depth(el) == 3:
                header = _group_header(el, self._line)
                self._drop(el)
        if not head_done:
            yield head()

    def _camt_transaction(
        self, tx: etree._Element, entry: _Entry, account_iban: str | None
    ) -> Iterator[FeedbackItem]:
        entry.count += 1
        if entry.pending is not None:  # a second transaction: the entry's amount is no one's
            yield entry.pending
            entry.pending = None
        if entry.count == 1:  # the entry's own elements come before its details
            entry.parts = _entry_parts(entry.element)
        if _find(tx, "RtrInf") is None:
            self.accepted += 1
            return
        side = _text(tx, "CdtDbtInd") or _part_text(entry, "CdtDbtInd")
        if side == "CRDT":
            # A credit with return info is a returned credit transfer we
            # sent, not an R-transaction on a collection (always a debit).
            return
        item, has_amount = _returned_transaction(tx, entry, account_iban)
        if not has_amount and entry.count == 1:
            entry.pending = item  # the entry's amount when it stays the only one
        else:
            yield item


def _overrun(line: int | None) -> FeedbackFormatError:
    return FeedbackFormatError(
        "file",
        f"has more than {MAX_SPAN // 1024} KB without a transaction; a bank file never does "
        "(refused to keep memory bounded)",
        line=line,
    )


def _drop_before(el: etree._Element) -> None:
    """Delete the elements before ``el`` under its parent."""
    parent = el.getparent()
    if parent is not None:
        while (previous := el.getprevious()) is not None:
            parent.remove(previous)


def _depth(el: etree._Element) -> int:
    """1 for the root (Document), 2 for the message, 3 for its children."""
    depth = 1
    parent = el.getparent()
    while parent is not None:
        depth += 1
        parent = parent.getparent()
    return depth


@dataclass(slots=True)
class _Group:
    """A pain.002's OrgnlGrpInfAndSts; ``item`` when the whole file is rejected (its
    code may come from the first block or transaction that gives one)."""

    original: str
    status: str | None
    created_date: dt.date | None
    item: FeedbackItem | None = None
    code: str = ""
    text: str = ""


@dataclass(slots=True)
class _Block:
    """The OrgnlPmtInfAndSts being read."""

    element: etree._Element
    ready: bool = False
    id: str | None = None
    status: str | None = None
    line: int = 0
    code: str = ""
    text: str = ""
    amount: int | None = None
    first: bool = True
    date: dt.date | None = None


@dataclass(slots=True)
class _Entry:
    """The camt Ntry being read."""

    element: etree._Element
    count: int = 0
    # Its own elements by name (Amt, CdtDbtInd, BookgDt, ValDt, BkTxCd...): held here, as
    # they are deleted from the tree while its details are read.
    parts: dict[str, etree._Element] = field(default_factory=dict)
    dated: bool = False
    date: dt.date | None = None
    pending: FeedbackItem | None = None


def _entry_parts(entry: etree._Element) -> dict[str, etree._Element]:
    parts: dict[str, etree._Element] = {}
    for child in entry:
        name = _local(child)
        if name == "NtryDtls":
            break
        parts.setdefault(name, child)
    return parts


def _part_text(entry: _Entry, name: str) -> str | None:
    part = entry.parts.get(name)
    return _text(part, "") if part is not None else None


def _entry_date(entry: _Entry) -> dt.date | None:
    if not entry.dated:
        entry.dated = True
        parts = entry.parts
        entry.date = _date_choice(parts.get("BookgDt"), "BookgDt") or _date_choice(
            parts.get("ValDt"), "ValDt"
        )
    return entry.date


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def _detect(root: etree._Element, message: etree._Element | None) -> tuple[str, str]:
    """(format, version) from the root and its first child."""
    namespace = etree.QName(root).namespace or ""
    name = etree.QName(root).localname
    child = etree.QName(message).localname if message is not None else ""
    fmt = FORMATS.get(child) if name == "Document" else None
    if fmt is None or message is None:  # no message element: child is "", so fmt is None too
        shown = f"{name}/{child}" if child and name == "Document" else name
        hint = ""
        if child == "CstmrDrctDbtInitn" or "pain.008" in namespace:
            hint = "; this is a direct debit file, not the bank's feedback on one"
        raise FeedbackFormatError(
            "file",
            f"not a pain.002 or camt.053/054 message (root element {shown}, "
            f"namespace {namespace or 'none'}{hint})",
        )
    match = _ISO_NAMESPACE.fullmatch(namespace)
    if match is None:
        return fmt, UNKNOWN_VERSION
    if match.group(2) != fmt:
        raise FeedbackFormatError(
            "file", f"namespace {namespace} does not match root element Document/{child}"
        )
    return fmt, match.group(1)


# ------------------------------------------------------------ pain.002


def _group_header_missing(line: int | None) -> FeedbackFormatError:
    """``line``: the message element's."""
    return FeedbackFormatError("GrpHdr/MsgId", "is missing", line=line)


def _missing_group(line: int | None, header: object) -> FeedbackFormatError:
    if header is None:
        return _group_header_missing(line)
    return FeedbackFormatError(
        "OrgnlGrpInfAndSts",
        "is missing (a status report must name the file it reports on)",
        line=line,
    )


def _original_group(
    group: etree._Element, header: tuple[str, dt.datetime | None, str], version: str
) -> tuple[FeedbackHead, _Group]:
    message_id, created_at, sender = header
    created_date = created_at.date() if created_at else None
    original = _text(group, "OrgnlMsgId")
    if original is None:
        raise FeedbackFormatError(
            "OrgnlGrpInfAndSts/OrgnlMsgId",
            "is missing (a status report must name the file it reports on)",
            line=_sourceline(group),
        )
    name_id = _text(group, "OrgnlMsgNmId")
    # Free text is tolerated; an ISO message name must be a pain.008.
    if name_id and _ISO_MESSAGE.match(name_id) and not name_id.lower().startswith("pain.008"):
        raise FeedbackFormatError(
            "OrgnlMsgNmId",
            f"reports on {name_id}, not on a direct debit file (pain.008)",
            line=_line(group, "OrgnlMsgNmId"),
        )
    status = _text(group, "GrpSts")
    state = _Group(original, status, created_date)
    if status == RJCT:
        # The whole file: one item, whatever details follow.
        state.code, state.text = _status_reason(group)
        state.item = FeedbackItem(
            GROUP,
            REJECT,
            "",
            "",
            original,
            None,
            None,
            None,
            None,
            _amount(_find(group, "OrgnlCtrlSum"), "OrgnlGrpInfAndSts/OrgnlCtrlSum"),
            created_date,
            True,
            _sourceline(group) or 0,
        )
    head = FeedbackHead(PAIN_002, version, message_id, created_at, sender, status, (original,))
    return head, state


def _pain_sender(header: etree._Element) -> str:
    """Who made the report: the initiating party's BIC or id or name, else an agent's BIC."""
    for path in (
        "InitgPty/Id/OrgId/AnyBIC",
        "InitgPty/Id/OrgId/BICOrBEI",
        "InitgPty/Id/OrgId/Othr/Id",
        "InitgPty/Nm",
        "FwdgAgt/FinInstnId/BICFI",
        "FwdgAgt/FinInstnId/BIC",
        "DbtrAgt/FinInstnId/BICFI",
        "DbtrAgt/FinInstnId/BIC",
        "CdtrAgt/FinInstnId/BICFI",
        "CdtrAgt/FinInstnId/BIC",
    ):
        found = _text(header, path)
        if found:
            return " ".join(found.split())[:MAX_SENDER]
    return ""


def _rejected_transaction(
    tx: etree._Element, number: int, original: str, block_id: str | None, created_date: dt.date | None
) -> FeedbackItem:
    end_to_end = _text(tx, "OrgnlEndToEndId")
    if end_to_end is None:
        raise FeedbackFormatError(
            "OrgnlEndToEndId", "is missing", where=f"TxInfAndSts {number}", line=_sourceline(tx)
        )
    code, text = _status_reason(tx)
    ref = _find(tx, "OrgnlTxRef")
    amount = mandate = date = creditor = None
    if ref is not None:
        amount_el = _find(ref, "Amt/InstdAmt")
        path = "OrgnlTxRef/Amt/InstdAmt"
        if amount_el is None:
            amount_el, path = _find(ref, "IntrBkSttlmAmt"), "OrgnlTxRef/IntrBkSttlmAmt"
        amount = _amount(amount_el, path)
        # .03: MndtRltdInf/MndtId; .10: MndtRltdInf/DrctDbtMndt/MndtId (a choice).
        mandate = _text(ref, "MndtRltdInf/MndtId") or _text(ref, "MndtRltdInf/DrctDbtMndt/MndtId")
        date = _date(ref, "ReqdColltnDt")
        creditor = _iban(ref, "CdtrAcct/Id/IBAN")
    return FeedbackItem(
        TX,
        REJECT,
        code,
        text,
        original,
        block_id,
        _provided(end_to_end),
        _provided(_text(tx, "OrgnlInstrId")),
        mandate,
        amount,
        date or created_date,
        True,
        _sourceline(tx) or 0,
        creditor,
    )


def _status_reason(el: etree._Element) -> tuple[str, str]:
    return _reason(_findall(el, "StsRsnInf"))


def _with_text(found: tuple[str, str], text: str) -> tuple[str, str]:
    """The first code found (for a rejected group or block that gives none itself);
    its own ``text`` is kept when it has one."""
    code, other = found
    return (code, text or other) if code else ("", text)


# ------------------------------------------------------------ camt.053 / camt.054


def _camt_account(account: etree._Element) -> tuple[str | None, str]:
    """(IBAN, sender) of a report's Acct: the sender is its servicer's BIC and the account."""
    iban = _iban(account, "Id/IBAN")
    number = iban or _text(account, "Id/Othr/Id") or ""
    bic = _text(account, "Svcr/FinInstnId/BICFI") or _text(account, "Svcr/FinInstnId/BIC") or ""
    return iban, " ".join(f"{bic.upper()} {number}".split())[:MAX_SENDER]


def _returned_transaction(
    tx: etree._Element, entry: _Entry, account_iban: str | None
) -> tuple[FeedbackItem, bool]:
    """The item, and whether the transaction gives its own amount."""
    code, text = _reason(_findall(tx, "RtrInf"))
    code_part = entry.parts.get("BkTxCd")
    subfamily = _text(tx, "BkTxCd/Domn/Fmly/SubFmlyCd") or (
        _text(code_part, "Domn/Fmly/SubFmlyCd") if code_part is not None else None
    )
    # Kept simple on purpose (sepa-rules §6.4): the reject mark first, then
    # MD06 or the refund sub-family, else a return.
    if PRE_SETTLEMENT_MARK in text:
        kind, pre_settlement = REJECT, True
    elif code == "MD06" or subfamily == REFUND_SUBFAMILY:
        kind, pre_settlement = REFUND, False
    else:
        kind, pre_settlement = RETURN, False
    amount = None
    has_amount = False
    for path, shown in (
        ("AmtDtls/TxAmt/Amt", "TxDtls/AmtDtls/TxAmt/Amt"),
        ("AmtDtls/InstdAmt/Amt", "TxDtls/AmtDtls/InstdAmt/Amt"),
        ("Amt", "TxDtls/Amt"),
    ):
        el = _find(tx, path)
        if el is not None:
            amount, has_amount = _amount(el, shown), True
            break
    # Refs/MsgId and PmtInfId are the bank's references here, not ours: left None.
    item = FeedbackItem(
        TX,
        kind,
        code,
        text,
        None,
        None,
        _provided(_text(tx, "Refs/EndToEndId")),
        _provided(_text(tx, "Refs/InstrId")),
        _provided(_text(tx, "Refs/MndtId")),
        amount,
        _entry_date(entry),
        pre_settlement,
        _sourceline(tx) or 0,
        _iban(tx, "RltdPties/CdtrAcct/Id/IBAN") or account_iban,
    )
    return item, has_amount


# ------------------------------------------------------------ shared helpers


@functools.cache
def _any_namespace(name: str) -> str:
    """``{*}name``: the local name in any namespace or none."""
    return "{*}" + name


@functools.cache
def _steps(path: str) -> tuple[str, ...]:
    return tuple(_any_namespace(step) for step in path.split("/"))


def _find(el: etree._Element, path: str) -> etree._Element | None:
    """``el.find(path)`` with every step in any namespace (lxml's own filter, in C: some
    times faster than a ``{*}`` path through ElementPath)."""
    return _walk(el, _steps(path), 0)


def _walk(el: etree._Element, steps: tuple[str, ...], at: int) -> etree._Element | None:
    for child in el.iterchildren(steps[at]):
        if at + 1 == len(steps):
            return child
        found = _walk(child, steps, at + 1)
        if found is not None:
            return found
    return None


def _findall(el: etree._Element, name: str) -> list[etree._Element]:
    """The children called ``name`` (one step)."""
    return list(el.iterchildren(_any_namespace(name)))


def _group_header(header: etree._Element, line: int | None) -> tuple[str, dt.datetime | None]:
    """(MsgId, CreDtTm) of a GrpHdr (``line``: the message's, where a missing one is reported)."""
    message_id = _text(header, "MsgId")
    if message_id is None:
        raise _group_header_missing(line)
    if len(message_id) > MAX_ID:
        raise FeedbackFormatError(
            "GrpHdr/MsgId", f"is longer than {MAX_ID} characters", message_id, line=_line(header, "MsgId")
        )
    return message_id, _datetime(_find(header, "CreDtTm"), "GrpHdr/CreDtTm")


def _reason(infos: list[etree._Element]) -> tuple[str, str]:
    """(first Rsn/Cd or Rsn/Prtry, all AddtlInf joined with " ") of StsRsnInf/RtrInf."""
    code = ""
    texts: list[str] = []
    for info in infos:
        if not code:
            code = _text(info, "Rsn/Cd") or _text(info, "Rsn/Prtry") or ""
        texts.extend(t for t in (_text(a, "") for a in _findall(info, "AddtlInf")) if t)
    return code, " ".join(texts)


_LAYOUT = str.maketrans("\t\n\r", "   ")


def _text(el: etree._Element, path: str) -> str | None:
    """Stripped text of ``path`` under ``el`` (``""``: el itself); None if absent or empty."""
    found = _find(el, path) if path else el
    if found is None or found.text is None:
        return None
    # Line breaks and tabs in free text are layout: one space each. Any other control
    # character (XML allows C1 and bidi controls) is refused, never stored.
    text = found.text.translate(_LAYOUT)
    if UNSAFE.search(text) is not None:  # XML allows C1 and bidi controls; we store no such text
        raise FeedbackFormatError(
            path or el.tag, unsafe_rule(text) or "is not plain text", line=_sourceline(found)
        )
    return text.strip() or None


def _iban(el: etree._Element, path: str) -> str | None:
    value = _text(el, path)
    return "".join(value.split()).upper() if value else None


def _provided(value: str | None) -> str | None:
    return None if value is None or value.upper() == NOTPROVIDED else value


def _sourceline(el: etree._Element) -> int | None:
    # lxml-stubs declares sourceline without a type (it is Optional[int]).
    return cast("int | None", el.sourceline)


def _line(el: etree._Element, path: str) -> int | None:
    found = _find(el, path)
    return _sourceline(found if found is not None else el)


def _amount(el: etree._Element | None, path: str) -> int | None:
    """Integer cents of an amount element; EUR only, at most 2 decimals."""
    if el is None:
        return None
    text = (el.text or "").strip()
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise FeedbackFormatError(
            path, "is not an amount with at most 2 decimals", text, line=_sourceline(el)
        )
    currency = el.get("Ccy")
    if currency is not None and currency.strip() != "EUR":
        raise FeedbackFormatError(
            path + "@Ccy", "SEPA direct debits are in EUR only", currency, line=_sourceline(el)
        )
    whole, fraction = match.groups()
    return int(whole) * 100 + int((fraction or "0").ljust(2, "0"))


def _date(el: etree._Element, path: str) -> dt.date | None:
    """An ISODate element (tolerating a Dt/DtTm choice inside it)."""
    found = _find(el, path)
    if found is None:
        return None
    if len(found):
        return _date_choice(found, path)
    text = (found.text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise FeedbackFormatError(
            path, "is not an ISO date (YYYY-MM-DD)", text, line=_sourceline(found)
        ) from None


def _date_choice(choice: etree._Element | None, path: str) -> dt.date | None:
    """The date of a DateAndDateTimeChoice element ``choice`` (``Dt`` or ``DtTm`` in it);
    ``path`` names it in a message."""
    if choice is None:
        return None
    if _find(choice, "Dt") is not None:
        return _date(choice, "Dt")
    moment = _datetime(_find(choice, "DtTm"), path + "/DtTm")
    return moment.date() if moment else None


def _datetime(el: etree._Element | None, path: str) -> dt.datetime | None:
    text = (el.text or "").strip() if el is not None else ""
    if el is None or not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise FeedbackFormatError(path, "is not an ISO date and time", text, line=_sourceline(el)) from None
