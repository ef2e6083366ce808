"""Reader of the bank's feedback on our direct debits (sepa-rules.md §6.3, §6.4).

Three message types come back from a Dutch bank:

* pain.002 (Customer Payment Status Report, .001.03 or .001.10): rejects before
  settlement, of the whole file (GrpSts), of a PmtInf block (PmtInfSts) or of
  single transactions (TxSts).  Rabobank only reports what was rejected.
* camt.053 (statement) and camt.054 (debit/credit notification), .001.02 or
  .001.08: returns, refunds and rejects after the collection was credited, as
  ``Ntry/NtryDtls/TxDtls`` with ``RtrInf``.

``read_feedback`` turns one file into a FeedbackFile whose ``items`` are only the
negative results, each with the ids the set processing matches on
(OrgnlMsgId, OrgnlPmtInfId, EndToEndId, mandate reference), the ISO reason code
and the source line.  What the bank reports as accepted is only counted.

Why namespace-agnostic: banks send .03/.10 and .02/.08 side by side, sometimes
with a prefix (``ns2:``) or without a namespace; the elements read here have the
same local names in every version (differences are noted where they are read).
So the namespaces are stripped after detection and plain paths are used, the
way Tryton reads camt with ``local-name()``.

Why no XSD validation: the pain.002/camt XSDs are not shipped (sepaxml only has
pain.001/.008), and a bank's file that is slightly off the schema must still be
readable; what the app relies on is checked here, with the element and line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from lxml import etree

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


def read_feedback(source: str | os.PathLike[str] | bytes) -> FeedbackFile:
    """Read a pain.002 / camt.053 / camt.054 file: a path (``str`` is always a
    path, never XML text) or the file's bytes.  FeedbackFormatError when the
    file is empty, not well-formed, another message type, or has a value the app
    cannot use; OSError when the path cannot be read."""
    data = bytes(source) if isinstance(source, (bytes, bytearray, memoryview)) else Path(source).read_bytes()
    document = _parse(data)
    fmt, version, message = _detect(document)
    if fmt == PAIN_002:
        return _read_pain002(message, version)
    return _read_camt(message, fmt, version)


# ------------------------------------------------------------ parsing, detection


def _parse(data: bytes) -> etree._Element:
    if not data.strip():
        raise FeedbackFormatError("file", "is empty")
    # No entities, no DTD, no network: the file comes from outside.
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise FeedbackFormatError("XML", f"is not well-formed ({e.msg})", line=e.lineno) from None
    if root is None:
        raise FeedbackFormatError("file", "has no XML document")
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]  # lxml-stubs lack DocInfo.doctype
        # Bank files never have one; entities would be left unexpanded (text lost).
        raise FeedbackFormatError(
            "XML", "has a DOCTYPE declaration (DTDs and entities are not accepted in a bank file)"
        )
    return root


def _detect(root: etree._Element) -> tuple[str, str, etree._Element]:
    """(format, version, the message element) from the root; namespaces stripped."""
    namespace = etree.QName(root).namespace or ""
    name = etree.QName(root).localname
    message = next((child for child in root if isinstance(child.tag, str)), None)
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
        version = UNKNOWN_VERSION
    elif match.group(2) != fmt:
        raise FeedbackFormatError(
            "file", f"namespace {namespace} does not match root element Document/{child}"
        )
    else:
        version = match.group(1)
    _strip_namespaces(root)
    return fmt, version, message


def _strip_namespaces(root: etree._Element) -> None:
    for el in root.iter():
        tag = el.tag
        if isinstance(tag, str) and tag.startswith("{"):
            el.tag = tag[tag.index("}") + 1 :]
    etree.cleanup_namespaces(root)


# ------------------------------------------------------------ pain.002


def _read_pain002(report: etree._Element, version: str) -> FeedbackFile:
    message_id, created_at = _group_header(report)
    created_date = created_at.date() if created_at else None
    group = report.find("OrgnlGrpInfAndSts")
    if group is None:
        raise FeedbackFormatError(
            "OrgnlGrpInfAndSts",
            "is missing (a status report must name the file it reports on)",
            line=_sourceline(report),
        )
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
    group_status = _text(group, "GrpSts")
    blocks = report.findall("OrgnlPmtInfAndSts")
    items: list[FeedbackItem] = []
    accepted = 0

    if group_status == RJCT:
        # The whole file: one item, whatever details follow.
        code, text = _status_reason(group)
        if not code:
            code, text = _first_reason(blocks, text)
        items.append(
            FeedbackItem(
                GROUP,
                REJECT,
                code,
                text,
                original,
                None,
                None,
                None,
                None,
                _amount(group.find("OrgnlCtrlSum"), "OrgnlGrpInfAndSts/OrgnlCtrlSum"),
                created_date,
                True,
                _sourceline(group) or 0,
            )
        )
    else:
        number = 0
        for block in blocks:
            block_id = _text(block, "OrgnlPmtInfId")
            block_status = _text(block, "PmtInfSts")
            transactions = block.findall("TxInfAndSts")
            if block_status == RJCT:
                if block_id is None:
                    raise FeedbackFormatError(
                        "OrgnlPmtInfId", "is missing in a rejected OrgnlPmtInfAndSts", line=_sourceline(block)
                    )
                code, text = _status_reason(block)
                if not code:
                    code, text = _first_reason([block], text)
                first = transactions[0].find("OrgnlTxRef") if transactions else None
                date = _date(first, "ReqdColltnDt") if first is not None else None
                items.append(
                    FeedbackItem(
                        BLOCK,
                        REJECT,
                        code,
                        text,
                        original,
                        block_id,
                        None,
                        None,
                        None,
                        _amount(block.find("OrgnlCtrlSum"), "OrgnlPmtInfAndSts/OrgnlCtrlSum"),
                        date or created_date,
                        True,
                        _sourceline(block) or 0,
                    )
                )
                number += len(transactions)
                continue
            for tx in transactions:
                number += 1
                status = _text(tx, "TxSts") or block_status or group_status
                if status == RJCT:
                    items.append(_rejected_transaction(tx, number, original, block_id, created_date))
                elif status in POSITIVE_STATUSES:
                    accepted += 1
    return FeedbackFile(
        PAIN_002, version, message_id, created_at, group_status, (original,), tuple(items), accepted
    )


def _rejected_transaction(
    tx: etree._Element, number: int, original: str, block_id: str | None, created_date: dt.date | None
) -> FeedbackItem:
    end_to_end = _text(tx, "OrgnlEndToEndId")
    if end_to_end is None:
        raise FeedbackFormatError(
            "OrgnlEndToEndId", "is missing", where=f"TxInfAndSts {number}", line=_sourceline(tx)
        )
    code, text = _status_reason(tx)
    ref = tx.find("OrgnlTxRef")
    amount = mandate = date = None
    if ref is not None:
        amount_el = ref.find("Amt/InstdAmt")
        path = "OrgnlTxRef/Amt/InstdAmt"
        if amount_el is None:
            amount_el, path = ref.find("IntrBkSttlmAmt"), "OrgnlTxRef/IntrBkSttlmAmt"
        amount = _amount(amount_el, path)
        # .03: MndtRltdInf/MndtId; .10: MndtRltdInf/DrctDbtMndt/MndtId (a choice).
        mandate = _text(ref, "MndtRltdInf/MndtId") or _text(ref, "MndtRltdInf/DrctDbtMndt/MndtId")
        date = _date(ref, "ReqdColltnDt")
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
    )


def _status_reason(el: etree._Element) -> tuple[str, str]:
    return _reason(el.findall("StsRsnInf"))


def _first_reason(blocks: list[etree._Element], text: str) -> tuple[str, str]:
    """The first code found in the blocks or their transactions (for a rejected
    group or block that gives none itself); ``text`` is kept when it has one."""
    for block in blocks:
        for el in (block, *block.findall("TxInfAndSts")):
            code, found = _status_reason(el)
            if code:
                return code, text or found
    return "", text


# ------------------------------------------------------------ camt.053 / camt.054


def _read_camt(message: etree._Element, fmt: str, version: str) -> FeedbackFile:
    message_id, created_at = _group_header(message)
    container = "Stmt" if fmt == CAMT_053 else "Ntfctn"
    items: list[FeedbackItem] = []
    accepted = 0
    for account_report in message.findall(container):
        for entry in account_report.findall("Ntry"):
            transactions = entry.findall("NtryDtls/TxDtls")  # over all NtryDtls
            if not transactions:
                accepted += 1
                continue
            date = _date_choice(entry, "BookgDt") or _date_choice(entry, "ValDt")
            for tx in transactions:
                if tx.find("RtrInf") is None:
                    accepted += 1
                    continue
                side = _text(tx, "CdtDbtInd") or _text(entry, "CdtDbtInd")
                if side == "CRDT":
                    # A credit with return info is a returned credit transfer we
                    # sent, not an R-transaction on a collection (always a debit).
                    continue
                items.append(_returned_transaction(tx, entry, len(transactions), date))
    return FeedbackFile(fmt, version, message_id, created_at, None, (), tuple(items), accepted)


def _returned_transaction(
    tx: etree._Element, entry: etree._Element, siblings: int, date: dt.date | None
) -> FeedbackItem:
    code, text = _reason(tx.findall("RtrInf"))
    subfamily = _text(tx, "BkTxCd/Domn/Fmly/SubFmlyCd") or _text(entry, "BkTxCd/Domn/Fmly/SubFmlyCd")
    # Kept simple on purpose (sepa-rules §6.4): the reject mark first, then
    # MD06 or the refund sub-family, else a return.
    if PRE_SETTLEMENT_MARK in text:
        kind, pre_settlement = REJECT, True
    elif code == "MD06" or subfamily == REFUND_SUBFAMILY:
        kind, pre_settlement = REFUND, False
    else:
        kind, pre_settlement = RETURN, False
    amount = None
    for el, path in (
        (tx.find("AmtDtls/TxAmt/Amt"), "TxDtls/AmtDtls/TxAmt/Amt"),
        (tx.find("AmtDtls/InstdAmt/Amt"), "TxDtls/AmtDtls/InstdAmt/Amt"),
        (tx.find("Amt"), "TxDtls/Amt"),
    ):
        if el is not None:
            amount = _amount(el, path)
            break
    else:
        if siblings == 1:
            amount = _amount(entry.find("Amt"), "Ntry/Amt")
    # Refs/MsgId and PmtInfId are the bank's references here, not ours: left None.
    return FeedbackItem(
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
        date,
        pre_settlement,
        _sourceline(tx) or 0,
    )


# ------------------------------------------------------------ shared helpers


def _group_header(message: etree._Element) -> tuple[str, dt.datetime | None]:
    message_id = _text(message, "GrpHdr/MsgId")
    if message_id is None:
        raise FeedbackFormatError("GrpHdr/MsgId", "is missing", line=_sourceline(message))
    return message_id, _datetime(message.find("GrpHdr/CreDtTm"), "GrpHdr/CreDtTm")


def _reason(infos: list[etree._Element]) -> tuple[str, str]:
    """(first Rsn/Cd or Rsn/Prtry, all AddtlInf joined with " ") of StsRsnInf/RtrInf."""
    code = ""
    texts: list[str] = []
    for info in infos:
        if not code:
            code = _text(info, "Rsn/Cd") or _text(info, "Rsn/Prtry") or ""
        texts.extend(t for t in (_text(a, "") for a in info.findall("AddtlInf")) if t)
    return code, " ".join(texts)


def _text(el: etree._Element, path: str) -> str | None:
    """Stripped text of ``path`` under ``el`` (``""``: el itself); None if absent or empty."""
    found = el.find(path) if path else el
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _provided(value: str | None) -> str | None:
    return None if value is None or value.upper() == NOTPROVIDED else value


def _sourceline(el: etree._Element) -> int | None:
    # lxml-stubs declares sourceline without a type (it is Optional[int]).
    return cast("int | None", el.sourceline)


def _line(el: etree._Element, path: str) -> int | None:
    found = el.find(path)
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
    found = el.find(path)
    if found is None:
        return None
    if len(found):
        return _date_choice(el, path)
    text = (found.text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise FeedbackFormatError(
            path, "is not an ISO date (YYYY-MM-DD)", text, line=_sourceline(found)
        ) from None


def _date_choice(el: etree._Element, path: str) -> dt.date | None:
    """The date of a DateAndDateTimeChoice (``<path><Dt>`` or ``<path><DtTm>``)."""
    if el.find(path + "/Dt") is not None:
        return _date(el, path + "/Dt")
    moment = _datetime(el.find(path + "/DtTm"), path + "/DtTm")
    return moment.date() if moment else None


def _datetime(el: etree._Element | None, path: str) -> dt.datetime | None:
    text = (el.text or "").strip() if el is not None else ""
    if el is None or not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise FeedbackFormatError(path, "is not an ISO date and time", text, line=_sourceline(el)) from None
