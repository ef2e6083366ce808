"""Streaming reader of pain.008.001.02 / .08 files (ours or another program's).

Two layers:

* ``walk(path)`` yields flat records in document order: the GrpHdr, each PmtInf
  header (before its transactions), each DrctDbtTxInf, and the end of each
  PmtInf.  A record maps element paths relative to its element ("PmtId/EndToEndId",
  "InstdAmt@Ccy", a repeat as "RmtInf/Ustrd#2") to their raw text, with the line
  of each.  Elements are freed as soon as they are seen: memory stays flat.
  The checker works on these raw records.
* ``read_pain008`` / ``iter_transactions`` turn records into the model's
  dataclasses (FileHeader, BatchInfo, Transaction), strictly: a value that
  cannot be converted raises SepaError.  Used by the round-trip tests.

Files come from outside: ``detect_version`` refuses a DOCTYPE (DTDs, entities)
before anything is parsed (xml_safety.UnsafeXml), so no entity can be declared;
the parsers load no DTD, use no network and keep libxml2's limits (depth 256,
10 MB per text node).
An XInclude element is not processed; ``walk`` yields it as an XINCLUDE record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, cast, overload

from lxml import etree

from incasso_tui.sepa.errors import SepaError
from incasso_tui.sepa.model import (
    SMNDA,
    Address,
    Amendment,
    BatchInfo,
    BatchKey,
    Creditor,
    FileHeader,
    Transaction,
)
from incasso_tui.sepa.schema import NAMESPACES, VERSION_OF_NAMESPACE
from incasso_tui.sepa.validate import parse_amount
from incasso_tui.sepa.xml_safety import (
    SAFE_PARSE_OPTIONS,
    XINCLUDE_NAMESPACE,
    refuse_dtd,
    refuse_parsed_doctype,
)

HEADER, BATCH, TX, BATCH_END, XINCLUDE = "header", "batch", "tx", "batch_end", "xinclude"
_XI = f"{{{XINCLUDE_NAMESPACE}}}"


class NotPain008(SepaError):
    """The file is XML but not a pain.008.001.02 / .08 message."""


@dataclass(slots=True)
class Record:
    kind: str  # header, batch, tx, batch_end, xinclude
    line: int  # line of the element's start tag
    fields: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    # The elements read with a default ("", "0") are optional in both XSDs: the default
    # stands in for an absent element; the overloads keep such a value a plain str.
    @overload
    def get(self, path: str) -> str | None: ...
    @overload
    def get(self, path: str, default: str) -> str: ...
    @overload
    def get(self, path: str, default: str | None) -> str | None: ...
    def get(self, path: str, default: str | None = None) -> str | None:
        return self.fields.get(path, default)

    def line_of(self, path: str) -> int:
        return self.lines.get(path, self.line)


def detect_version(source: str | BinaryIO) -> str:
    """The pain.008 version of a file, from its root namespace; NotPain008 otherwise,
    xml_safety.UnsafeXml for a file with a DOCTYPE (nothing of it is parsed then)."""
    refuse_dtd(source)
    for _, el in etree.iterparse(source, events=("start",), **SAFE_PARSE_OPTIONS):
        refuse_parsed_doctype(el)
        ns = etree.QName(el).namespace or ""
        version = VERSION_OF_NAMESPACE.get(ns)
        if version is None:
            kind = ns.rsplit(":", 1)[-1] or "no namespace"
            hint = " (a credit transfer, not a direct debit)" if kind.startswith("pain.001") else ""
            raise NotPain008("message type", "is not pain.008.001.02 or pain.008.001.08" + hint, kind)
        return version
    raise NotPain008("file", "is empty")


def walk(source: str | BinaryIO, version: str, schema: etree.XMLSchema | None = None) -> Iterator[Record]:
    """Yield the records of a file (see the module doc).  With ``schema`` the file is
    XSD-validated while parsing; libxml2 reports a violation (XMLSyntaxError, line 0)
    when the document ends, a well-formedness error (with its line) where it is.
    Call ``detect_version`` first: it refuses a file with a DOCTYPE."""
    q = f"{{{NAMESPACES[version]}}}"
    grp_tag, pmt_tag, tx_tag = q + "GrpHdr", q + "PmtInf", q + "DrctDbtTxInf"
    batch_sent = False
    for event, el in etree.iterparse(
        source,
        events=("start", "end"),
        tag=(grp_tag, pmt_tag, tx_tag, _XI + "*"),
        schema=schema,
        remove_comments=True,
        remove_pis=True,
        # SAFE_PARSE_OPTIONS but resolve_entities: with a schema, lxml 6.1 then loses the
        # "premature end of data" of a truncated file.  No entity can be declared anyway:
        # detect_version refused any DOCTYPE.
        load_dtd=False,
        no_network=True,
        huge_tree=False,
    ):
        tag = el.tag
        if tag.startswith(_XI):  # never processed; reported (where it is) by the checker
            if event == "start":
                yield Record(XINCLUDE, cast("int | None", el.sourceline) or 0, {"element": tag[len(_XI) :]})
            continue
        if tag == tx_tag:
            if event == "start":
                if not batch_sent:  # the PmtInf header is complete: its siblings so far
                    yield _record(BATCH, el.getparent(), q, skip=tx_tag)
                    batch_sent = True
            else:
                yield _record(TX, el, q)
                _release(el)
        elif tag == pmt_tag:
            if event == "start":
                batch_sent = False
            else:
                if not batch_sent:  # a PmtInf without transactions (XSD-invalid)
                    yield _record(BATCH, el, q, skip=tx_tag)
                yield Record(BATCH_END, el.sourceline or 0)
                _release(el)
        elif event == "end":  # GrpHdr
            yield _record(HEADER, el, q)
            _release(el)


def _record(kind: str, el: etree._Element, q: str, skip: str | None = None) -> Record:
    rec = Record(kind, cast("int | None", el.sourceline) or 0)  # lxml-stubs leave sourceline untyped
    _flatten(el, "", q, len(q), rec.fields, rec.lines, skip)
    return rec


def _flatten(
    el: etree._Element,
    prefix: str,
    q: str,
    qlen: int,
    fields: dict[str, str],
    lines: dict[str, int],
    skip: str | None,
) -> None:
    # lxml-stubs type attribute items as str | bytes (str when parsing a file) and leave
    # sourceline untyped (int | None): the ignores below are about those gaps only.
    attr: str
    value: str
    for child in el:
        tag = child.tag
        if tag == skip:
            continue
        name = prefix + (tag[qlen:] if tag.startswith(q) else etree.QName(tag).localname)
        if child.attrib:
            for attr, value in child.attrib.items():  # type: ignore[assignment]
                fields[name + "@" + attr] = value
                lines[name + "@" + attr] = child.sourceline or 0  # type: ignore[assignment]
        if len(child):
            _flatten(child, name + "/", q, qlen, fields, lines, None)
            continue
        key = name
        n = 1
        while key in fields:
            n += 1
            key = f"{name}#{n}"
        fields[key] = child.text or ""
        lines[key] = child.sourceline or 0  # type: ignore[assignment]


def _release(el: etree._Element) -> None:
    el.clear()
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


# ------------------------------------------------------------ records -> model


@dataclass
class ReadFile:
    """A whole file in memory (use iter_transactions for big files)."""

    path: str
    version: str
    header: FileHeader
    nb_of_txs: int
    ctrl_sum_cents: int
    batches: list[tuple[BatchInfo, list[Transaction]]]


def read_pain008(path: str) -> ReadFile:
    version = detect_version(path)
    header = None
    nb = ctrl = 0
    batches: list[tuple[BatchInfo, list[Transaction]]] = []
    for rec in walk(path, version):
        if rec.kind == HEADER:
            header, nb, ctrl = header_from_record(rec)
        elif rec.kind == BATCH:
            batches.append((batch_from_record(rec), []))
        elif rec.kind == TX:
            batches[-1][1].append(transaction_from_record(rec))
    if header is None:
        raise SepaError("GrpHdr", "is missing")
    return ReadFile(path, version, header, nb, ctrl, batches)


def iter_transactions(path: str) -> Iterator[tuple[BatchInfo, Transaction]]:
    """(BatchInfo of its PmtInf, Transaction) for every transaction, streaming."""
    version = detect_version(path)
    info: BatchInfo | None = None
    for rec in walk(path, version):
        if rec.kind == BATCH:
            info = batch_from_record(rec)
        elif rec.kind == TX:
            assert info is not None  # walk() yields a PmtInf's BATCH record before its transactions
            yield info, transaction_from_record(rec)


def header_from_record(rec: Record) -> tuple[FileHeader, int, int]:
    """(FileHeader, NbOfTxs, CtrlSum in cents) of a GrpHdr record."""
    created = _required(rec, "CreDtTm")
    try:
        created_at = dt.datetime.fromisoformat(created)
    except ValueError:
        raise SepaError("CreDtTm", "is not an ISO date and time", created) from None
    header = FileHeader(
        msg_id=_required(rec, "MsgId"),
        created_at=created_at,
        initiating_party_name=rec.get("InitgPty/Nm", ""),
        initiating_party_id=rec.get("InitgPty/Id/OrgId/Othr/Id"),
    )
    nb = _int(rec, "NbOfTxs")
    ctrl = parse_amount(rec.get("CtrlSum", "0"), "CtrlSum")
    return header, nb, ctrl


def batch_from_record(rec: Record) -> BatchInfo:
    bic = rec.get("CdtrAgt/FinInstnId/BIC") or rec.get("CdtrAgt/FinInstnId/BICFI")
    creditor = Creditor(
        name=rec.get("Cdtr/Nm", ""),
        iban=_required(rec, "CdtrAcct/Id/IBAN"),
        creditor_id=rec.get("CdtrSchmeId/Id/PrvtId/Othr/Id", ""),
        bic=bic,
        address=address_from_record(rec, "Cdtr/PstlAdr/"),
    )
    key = BatchKey(
        creditor=creditor,
        instrument=rec.get("PmtTpInf/LclInstrm/Cd", ""),
        sequence_type=rec.get("PmtTpInf/SeqTp", ""),
        collection_date=_date(rec, "ReqdColltnDt"),
        batch_booking=rec.get("BtchBookg", "true") in ("true", "1"),
    )
    return BatchInfo(
        key=key,
        nb_of_txs=_int(rec, "NbOfTxs"),
        ctrl_sum_cents=parse_amount(rec.get("CtrlSum", "0"), "CtrlSum"),
        pmt_inf_id=_required(rec, "PmtInfId"),
    )


def transaction_from_record(rec: Record) -> Transaction:
    m = "DrctDbtTx/MndtRltdInf/"
    # no BIC element means NOTPROVIDED (or nothing): None either way
    bic = rec.get("DbtrAgt/FinInstnId/BIC") or rec.get("DbtrAgt/FinInstnId/BICFI")
    currency = rec.get("InstdAmt@Ccy")
    if currency != "EUR":
        raise SepaError("InstdAmt currency", "SEPA direct debits are in EUR only", currency)
    return Transaction(
        end_to_end_id=_required(rec, "PmtId/EndToEndId"),
        amount_cents=parse_amount(_required(rec, "InstdAmt"), "InstdAmt"),
        mandate_id=_required(rec, m + "MndtId"),
        mandate_date=_date(rec, m + "DtOfSgntr"),
        debtor_name=rec.get("Dbtr/Nm", ""),
        debtor_iban=_required(rec, "DbtrAcct/Id/IBAN"),
        debtor_bic=bic or None,
        remittance=rec.get("RmtInf/Ustrd"),
        amendment=amendment_from_record(rec),
        debtor_address=address_from_record(rec, "Dbtr/PstlAdr/"),
        ultimate_debtor_name=rec.get("UltmtDbtr/Nm"),
        instruction_id=rec.get("PmtId/InstrId"),
        uetr=rec.get("PmtId/UETR"),
    )


def amendment_from_record(rec: Record) -> Amendment | None:
    d = "DrctDbtTx/MndtRltdInf/AmdmntInfDtls/"
    if not any(k.startswith(d) for k in rec.fields):
        return None
    amendment = Amendment(
        original_mandate_id=rec.get(d + "OrgnlMndtId"),
        original_creditor_id=rec.get(d + "OrgnlCdtrSchmeId/Id/PrvtId/Othr/Id"),
        original_creditor_name=rec.get(d + "OrgnlCdtrSchmeId/Nm"),
        original_debtor_iban=rec.get(d + "OrgnlDbtrAcct/Id/IBAN"),
        new_debtor_account=rec.get(d + "OrgnlDbtrAcct/Id/Othr/Id") == SMNDA,
    )
    return None if amendment.is_empty else amendment


def address_from_record(rec: Record, prefix: str) -> Address | None:
    if not any(k.startswith(prefix) for k in rec.fields):
        return None
    lines = []
    key, n = prefix + "AdrLine", 1
    while key in rec.fields:
        lines.append(rec.fields[key])
        n += 1
        key = f"{prefix}AdrLine#{n}"
    return Address(
        country=rec.get(prefix + "Ctry", ""),
        town=rec.get(prefix + "TwnNm", ""),
        street=rec.get(prefix + "StrtNm"),
        building_number=rec.get(prefix + "BldgNb"),
        postcode=rec.get(prefix + "PstCd"),
        lines=tuple(lines),
    )


def _required(rec: Record, path: str) -> str:
    value = rec.fields.get(path)
    if value is None:
        raise SepaError(path, f"is missing (line {rec.line})")
    return value


def _int(rec: Record, path: str) -> int:
    value = _required(rec, path)
    if not value.isdigit():
        raise SepaError(path, "is not a whole number", value)
    return int(value)


def _date(rec: Record, path: str) -> dt.date:
    value = _required(rec, path)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SepaError(path, "is not an ISO date (YYYY-MM-DD)", value) from None
