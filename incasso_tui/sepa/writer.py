"""Streaming pain.008.001.02 / .08 writer: constant memory, XSD-validated, atomic.

    written = write_pain008(path, header, [(batch_info, transactions), ...])

* ``batches``: (BatchInfo, transactions) pairs; ``transactions`` is any iterable
  of Transaction (a DB cursor, a generator) or a zero-argument callable that
  returns one, called only when that PmtInf is written.  The totals in each
  BatchInfo come first (GrpHdr and PmtInf carry NbOfTxs/CtrlSum before the
  transactions); the writer refuses the file when the transactions do not add up.
* PmtInf blocks are written in ``BatchKey.sort_key()`` order, so the same input
  gives a byte-identical file.  CORE and B2B are never mixed in one file.
* Every transaction is checked (identifiers, amount, IBAN checksum, BIC, dates,
  amendment) and its free text transliterated to the SEPA set.
* The file goes to a temporary name in the target directory, is validated
  against the official XSD while being re-read (lxml iterparse with the schema,
  streaming) and fsynced (in a helper thread, at the same time), and only then
  renamed: a failure leaves nothing under the final name.

Speed: a transaction without extras (amendment, address, ultimate debtor,
InstrId, UETR) re-fills the leaves of a prebuilt DrctDbtTxInf and writes it;
the others are built fresh.  Both come from the same builder, so the XML is the
same either way.  Elements carry no namespace: inside the default-namespace
Document lxml then writes them bare, without repeating xmlns on each one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import BinaryIO, Protocol

from lxml import etree

from incasso_tui.core.files import atomic_write
from incasso_tui.sepa.amendment import check_amendment
from incasso_tui.sepa.calendar import closing_reason
from incasso_tui.sepa.errors import SepaError
from incasso_tui.sepa.ids import make_pmt_inf_id
from incasso_tui.sepa.model import (
    INSTRUMENTS,
    NOTPROVIDED,
    SMNDA,
    Address,
    Amendment,
    BatchInfo,
    BatchKey,
    BatchSummary,
    FileHeader,
    Transaction,
    WrittenFile,
)
from incasso_tui.sepa.schema import NAMESPACES, validate_stream
from incasso_tui.sepa.sequence import SEQUENCE_TYPES
from incasso_tui.sepa.text import transliterate
from incasso_tui.sepa.validate import (
    MAX_AMOUNT_CENTS,
    NAME_MAX,
    PAIN_008_001_02,
    PAIN_008_001_08,
    REMITTANCE_MAX,
    format_amount,
    iban_is_valid,
    identifier_ok,
    mandate_ref_ok,
    validate_amount,
    validate_bic,
    validate_country,
    validate_creditor_id,
    validate_iban,
    validate_identifier,
    validate_mandate_ref,
    validate_name,
    validate_uetr,
    validate_version,
)

TransactionSource = Iterable[Transaction] | Callable[[], Iterable[Transaction]]

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def write_pain008(
    path: str | os.PathLike[str],
    header: FileHeader,
    batches: Iterable[tuple[BatchInfo, TransactionSource]],
    version: str = PAIN_008_001_02,
    *,
    validate: bool = True,
    overwrite: bool = False,
) -> WrittenFile:
    """Write one pain.008 file; see the module doc.  Raises SepaError on bad input."""
    validate_version(version)
    path = os.fspath(path)
    head = _check_header(header)
    plan = _plan_batches(list(batches), head.msg_id, version)
    nb_total = sum(b.info.nb_of_txs for b in plan)
    ctrl_total = sum(b.info.ctrl_sum_cents for b in plan)

    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path}: already exists (pass overwrite=True to replace it)")
    with atomic_write(path, overwrite=overwrite, fsync=False, suffix=".part") as staged:
        raw = staged.file
        out = _HashingWriter(raw)
        out.write(XML_DECLARATION)
        _write_document(out, version, head, plan, nb_total, ctrl_total)
        raw.flush()
        # fsync waits for the disk with the GIL released: let it run while the
        # XSD pass parses the file; both must succeed before the rename.
        with _Background(os.fsync, raw.fileno()) as synced:
            if validate:
                _validate_count(staged.temp_path, version, nb_total)
        synced.result()
    return WrittenFile(
        path=path,
        sha256=out.sha256.hexdigest(),
        size=out.size,
        version=version,
        msg_id=head.msg_id,
        nb_of_txs=nb_total,
        ctrl_sum_cents=ctrl_total,
        batches=tuple(
            BatchSummary(b.pmt_inf_id, b.info.key, b.info.nb_of_txs, b.info.ctrl_sum_cents) for b in plan
        ),
    )


def _validate_count(path: str, version: str, expected: int) -> None:
    counted = validate_stream(path, version)
    if counted != expected:  # cannot happen unless the writer is broken
        raise SepaError("file", f"has {counted} transactions after writing, expected {expected}")


class Validation:
    """The XSD check of a file written with ``validate=False``, run in a thread.

    libxml2 parses and validates with the GIL released, so a caller can do other work
    meanwhile (processing runs its database updates) and must call ``result()`` before
    the file counts as written: it raises SepaError / SchemaInvalid like the writer would.
    """

    def __init__(self, written: WrittenFile) -> None:
        self.written = written
        self._check = _Background(_validate_count, written.path, written.version, written.nb_of_txs)
        self._check.__enter__()

    def result(self) -> WrittenFile:
        self._check.__exit__(None, None, None)
        self._check.result()
        return self.written


class _HashingWriter:
    """File wrapper that hashes and counts what lxml writes through it."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.raw.write(data)


class _Background:
    """Run ``func(*args)`` in a thread for the duration of a with-block."""

    def __init__(self, func: Callable[..., object], *args: object) -> None:
        self._func, self._args = func, args
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self._func(*self._args)
        except BaseException as e:  # noqa: BLE001 - handed to the caller by result()
            self._error = e

    def __enter__(self) -> _Background:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join()

    def result(self) -> None:
        if self._error is not None:
            raise self._error


# ------------------------------------------------------------ checking the plan


class _Header:
    __slots__ = ("cre_dt_tm", "msg_id", "name", "party_id")

    def __init__(self, msg_id: str, cre_dt_tm: str, name: str, party_id: str | None):
        self.msg_id, self.cre_dt_tm, self.name, self.party_id = msg_id, cre_dt_tm, name, party_id


def _check_header(header: FileHeader) -> _Header:
    msg_id = _exact_identifier(header.msg_id, "MsgId")
    if not isinstance(header.created_at, dt.datetime):
        raise SepaError("creation time", "must be a date and time", header.created_at)
    # Rabobank accepts only this restricted form: no fraction, no zone (sepa-rules §1.2).
    cre_dt_tm = header.created_at.strftime("%Y-%m-%dT%H:%M:%S")
    name = validate_name(header.initiating_party_name, "initiating party name")
    party_id = None
    if header.initiating_party_id:
        party_id = _exact_identifier(header.initiating_party_id, "initiating party id")
    return _Header(msg_id, cre_dt_tm, name, party_id)


class _Batch:
    __slots__ = (
        "creditor_address",
        "creditor_bic",
        "creditor_iban",
        "creditor_id",
        "creditor_name",
        "info",
        "pmt_inf_id",
        "source",
    )
    # Set by _plan_batches / _check_batch before anything is written.
    pmt_inf_id: str
    creditor_name: str
    creditor_iban: str
    creditor_bic: str | None
    creditor_id: str
    creditor_address: Address | None

    def __init__(self, info: BatchInfo, source: TransactionSource):
        self.info = info
        self.source = source


def _plan_batches(
    pairs: list[tuple[BatchInfo, TransactionSource]], msg_id: str, version: str
) -> list[_Batch]:
    if not pairs:
        raise SepaError("file", "has no PmtInf blocks; a pain.008 needs at least one transaction")
    plan: list[_Batch] = []
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], BatchInfo)):
            raise SepaError("batches", "must be (BatchInfo, transactions) pairs")
        plan.append(_Batch(*pair))
    plan.sort(key=lambda b: b.info.key.sort_key())

    seen_keys: set[BatchKey] = set()
    instruments: set[str] = set()
    for number, batch in enumerate(plan, 1):
        info, key = batch.info, batch.info.key
        where = f"PmtInf {number} ({key.sequence_type} {key.collection_date})"
        try:
            _check_batch(batch, version)
        except SepaError as e:
            raise e.located(where) from None
        if key in seen_keys:
            raise SepaError("PmtInf key", "appears twice; merge the two batches", where=where)
        seen_keys.add(key)
        instruments.add(key.instrument)
        batch.pmt_inf_id = (
            _exact_identifier(info.pmt_inf_id, "PmtInfId")
            if info.pmt_inf_id
            else make_pmt_inf_id(msg_id, number)
        )
    if len(instruments) > 1:
        raise SepaError(
            "local instrument",
            "CORE and B2B must never be in one file; write one file per instrument",
            " and ".join(sorted(instruments)),
        )
    ids = [b.pmt_inf_id for b in plan]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise SepaError("PmtInfId", "is used for two PmtInf blocks", duplicate)
    return plan


def _check_batch(batch: _Batch, version: str) -> None:
    info, key = batch.info, batch.info.key
    creditor = key.creditor
    batch.creditor_name = validate_name(creditor.name, "creditor name")
    batch.creditor_iban = validate_iban(creditor.iban, "creditor IBAN")
    batch.creditor_bic = validate_bic(creditor.bic, "creditor BIC", version) if creditor.bic else None
    batch.creditor_id = validate_creditor_id(creditor.creditor_id)
    batch.creditor_address = _check_address(creditor.address, "creditor address")
    if key.instrument not in INSTRUMENTS:
        raise SepaError("local instrument", "must be CORE or B2B", key.instrument)
    if key.sequence_type not in SEQUENCE_TYPES:
        raise SepaError("sequence type", "must be FRST, RCUR, OOFF or FNAL", key.sequence_type)
    if type(key.collection_date) is not dt.date:
        raise SepaError("collection date", "must be a date", key.collection_date)
    closed = closing_reason(key.collection_date)
    if closed:
        raise SepaError(
            "collection date",
            f"is not a TARGET2 business day: {closed}; use adjust_collection_date()",
            key.collection_date.isoformat(),
        )
    if not isinstance(key.batch_booking, bool):
        raise SepaError("batch booking", "must be true or false", key.batch_booking)
    if type(info.nb_of_txs) is not int or info.nb_of_txs < 1:
        raise SepaError("NbOfTxs", "must be a whole number of at least 1", info.nb_of_txs)
    if type(info.ctrl_sum_cents) is not int:
        raise SepaError("CtrlSum", "must be integer cents", info.ctrl_sum_cents)
    if not info.nb_of_txs <= info.ctrl_sum_cents <= info.nb_of_txs * MAX_AMOUNT_CENTS:
        raise SepaError(
            "CtrlSum",
            f"cannot be the sum of {info.nb_of_txs} valid amounts",
            format_amount(info.ctrl_sum_cents),
        )


def _check_address(address: Address | None, field: str) -> Address | None:
    """The address as written: transliterated, with the XSD lengths; None if absent."""
    if address is None:
        return None
    if not isinstance(address, Address):
        raise SepaError(field, "must be an Address")
    town = transliterate(address.town or "", 35)
    if not town:
        raise SepaError(field, "needs at least the town (TwnNm) and the country (Ctry)")
    if len(address.lines) > 2:
        raise SepaError(field, "may have at most 2 address lines (AdrLine)")
    return Address(
        country=validate_country(address.country, f"{field} country"),
        town=town,
        street=transliterate(address.street, 70) or None if address.street else None,
        building_number=transliterate(address.building_number, 16) or None
        if address.building_number
        else None,
        postcode=transliterate(address.postcode, 16) or None if address.postcode else None,
        lines=tuple(t for t in (transliterate(x, 70) for x in address.lines) if t),
    )


def _exact_identifier(value: str, field: str) -> str:
    """Like validate_identifier, but refuses (instead of trimming) edge spaces."""
    ident = validate_identifier(value, field)
    if ident != value:
        raise SepaError(field, "has spaces at the start or end", value)
    return ident


# ------------------------------------------------------------ elements


def _sub(parent: etree._Element | None, tag: str, text: str | None = None) -> etree._Element:
    el = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def _path(parent: etree._Element, tags: str, text: str | None = None) -> etree._Element:
    for tag in tags.split("/"):
        parent = _sub(parent, tag)
    if text is not None:
        parent.text = text
    return parent


class _Elements:
    """Element builders for one pain.008 version."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.bic_tag = "BIC" if version == PAIN_008_001_02 else "BICFI"

    def agent(self, parent: etree._Element, tag: str, bic: str | None) -> etree._Element:
        fin = _path(parent, tag + "/FinInstnId")
        if bic:
            return _sub(fin, self.bic_tag, bic)
        _path(fin, "Othr/Id", NOTPROVIDED)
        return fin

    @staticmethod
    def address(parent: etree._Element, address: Address) -> None:
        adr = _sub(parent, "PstlAdr")
        # PostalAddress6 (.02) and PostalAddress24 (.08) share this order for these fields.
        for tag, value in (
            ("StrtNm", address.street),
            ("BldgNb", address.building_number),
            ("PstCd", address.postcode),
            ("TwnNm", address.town),
            ("Ctry", address.country),
        ):
            if value:
                _sub(adr, tag, value)
        for line in address.lines:
            _sub(adr, "AdrLine", line)

    @staticmethod
    def scheme_id(parent: etree._Element, creditor_id: str) -> None:
        othr = _path(parent, "Id/PrvtId/Othr")
        _sub(othr, "Id", creditor_id)
        _path(othr, "SchmeNm/Prtry", "SEPA")

    def group_header(self, head: _Header, nb: int, ctrl: int) -> etree._Element:
        g = _sub(None, "GrpHdr")
        _sub(g, "MsgId", head.msg_id)
        _sub(g, "CreDtTm", head.cre_dt_tm)
        _sub(g, "NbOfTxs", str(nb))
        _sub(g, "CtrlSum", format_amount(ctrl))
        party = _sub(g, "InitgPty")
        _sub(party, "Nm", head.name)
        if head.party_id:
            _path(party, "Id/OrgId/Othr/Id", head.party_id)
        g.tail = "\n"
        return g

    def payment_header(self, batch: _Batch) -> list[etree._Element]:
        """The children of PmtInf before its first DrctDbtTxInf."""
        info, key = batch.info, batch.info.key
        holder = etree.Element("PmtInf")
        _sub(holder, "PmtInfId", batch.pmt_inf_id)
        _sub(holder, "PmtMtd", "DD")
        _sub(holder, "BtchBookg", "true" if key.batch_booking else "false")
        _sub(holder, "NbOfTxs", str(info.nb_of_txs))
        _sub(holder, "CtrlSum", format_amount(info.ctrl_sum_cents))
        tp = _sub(holder, "PmtTpInf")
        _path(tp, "SvcLvl/Cd", "SEPA")
        _path(tp, "LclInstrm/Cd", key.instrument)
        _sub(tp, "SeqTp", key.sequence_type)
        _sub(holder, "ReqdColltnDt", key.collection_date.isoformat())
        cdtr = _sub(holder, "Cdtr")
        _sub(cdtr, "Nm", batch.creditor_name)
        if batch.creditor_address:
            self.address(cdtr, batch.creditor_address)
        _path(holder, "CdtrAcct/Id/IBAN", batch.creditor_iban)
        self.agent(holder, "CdtrAgt", batch.creditor_bic)
        _sub(holder, "ChrgBr", "SLEV")
        self.scheme_id(_sub(holder, "CdtrSchmeId"), batch.creditor_id)
        children = list(holder)
        children[-1].tail = "\n"
        return children

    def transaction(
        self,
        *,
        e2e: str,
        amount: str,
        mandate_id: str,
        mandate_date: str,
        bic: str | None,
        name: str,
        iban: str,
        remittance: str | None,
        amendment: Amendment | None = None,
        address: Address | None = None,
        ultimate_name: str | None = None,
        instr_id: str | None = None,
        uetr: str | None = None,
    ) -> etree._Element:
        """One DrctDbtTxInf (element order as in the XSD sequence)."""
        tx = _sub(None, "DrctDbtTxInf")
        pmt_id = _sub(tx, "PmtId")
        if instr_id is not None:
            _sub(pmt_id, "InstrId", instr_id)
        _sub(pmt_id, "EndToEndId", e2e)
        if uetr is not None:
            _sub(pmt_id, "UETR", uetr)
        _sub(tx, "InstdAmt", amount).set("Ccy", "EUR")
        mandate = _path(tx, "DrctDbtTx/MndtRltdInf")
        _sub(mandate, "MndtId", mandate_id)
        _sub(mandate, "DtOfSgntr", mandate_date)
        _sub(mandate, "AmdmntInd", "true" if amendment is not None else "false")
        if amendment is not None:
            self.amendment_details(mandate, amendment)
        self.agent(tx, "DbtrAgt", bic)
        debtor = _sub(tx, "Dbtr")
        _sub(debtor, "Nm", name)
        if address is not None:
            self.address(debtor, address)
        _path(tx, "DbtrAcct/Id/IBAN", iban)
        if ultimate_name is not None:
            _path(tx, "UltmtDbtr/Nm", ultimate_name)
        if remittance is not None:
            _path(tx, "RmtInf/Ustrd", remittance)
        tx.tail = "\n"
        return tx

    def amendment_details(self, mandate: etree._Element, amendment: Amendment) -> None:
        details = _sub(mandate, "AmdmntInfDtls")
        if amendment.original_mandate_id:
            _sub(details, "OrgnlMndtId", amendment.original_mandate_id)
        if amendment.original_creditor_name or amendment.original_creditor_id:
            orig = _sub(details, "OrgnlCdtrSchmeId")
            if amendment.original_creditor_name:
                _sub(orig, "Nm", transliterate(amendment.original_creditor_name, NAME_MAX))
            if amendment.original_creditor_id:
                self.scheme_id(orig, amendment.original_creditor_id)
        if amendment.original_debtor_iban:
            _path(details, "OrgnlDbtrAcct/Id/IBAN", amendment.original_debtor_iban)
        elif amendment.new_debtor_account:
            _path(details, "OrgnlDbtrAcct/Id/Othr/Id", SMNDA)


class _Template:
    """A prebuilt DrctDbtTxInf whose leaves are re-filled per transaction."""

    __slots__ = (
        "amount",
        "bic",
        "e2e",
        "element",
        "iban",
        "mandate_date",
        "mandate_id",
        "name",
        "remittance",
    )
    element: etree._Element
    amount: etree._Element
    bic: etree._Element
    e2e: etree._Element
    iban: etree._Element
    mandate_date: etree._Element
    mandate_id: etree._Element
    name: etree._Element
    remittance: etree._Element

    def __init__(self, elements: _Elements, with_bic: bool, with_remittance: bool) -> None:
        el = elements.transaction(
            e2e="",
            amount="",
            mandate_id="",
            mandate_date="",
            bic="X" if with_bic else None,
            name="",
            iban="",
            remittance="" if with_remittance else None,
        )
        self.element = el
        self.e2e = _leaf(el, "PmtId/EndToEndId")
        self.amount = _leaf(el, "InstdAmt")
        self.mandate_id = _leaf(el, "DrctDbtTx/MndtRltdInf/MndtId")
        self.mandate_date = _leaf(el, "DrctDbtTx/MndtRltdInf/DtOfSgntr")
        self.name = _leaf(el, "Dbtr/Nm")
        self.iban = _leaf(el, "DbtrAcct/Id/IBAN")
        # A template without BIC / Ustrd is only used for transactions without one, so
        # these are never filled; a detached stand-in keeps them non-optional (no None
        # check in the hot loop).
        self.bic = _leaf(el, "DbtrAgt/FinInstnId/" + elements.bic_tag) if with_bic else etree.Element("BIC")
        self.remittance = _leaf(el, "RmtInf/Ustrd") if with_remittance else etree.Element("Ustrd")


def _leaf(el: etree._Element, path: str) -> etree._Element:
    found = el.find(path)
    assert found is not None, path  # _Elements.transaction() builds every leaf a template fills
    return found


class _XmlWriter(Protocol):
    """What is used of lxml's incremental writer (etree.xmlfile; untyped in lxml-stubs)."""

    def write(self, data: str | etree._Element, /) -> None: ...


# ------------------------------------------------------------ writing


def _write_document(
    out: _HashingWriter, version: str, head: _Header, plan: Sequence[_Batch], nb_total: int, ctrl_total: int
) -> None:
    ns = NAMESPACES[version]
    elements = _Elements(version)
    with (
        etree.xmlfile(out, encoding="UTF-8") as xf,
        xf.element(f"{{{ns}}}Document", nsmap={None: ns}),
        xf.element("CstmrDrctDbtInitn"),
    ):
        xf.write("\n")
        xf.write(elements.group_header(head, nb_total, ctrl_total))
        for batch in plan:
            with xf.element("PmtInf"):
                for child in elements.payment_header(batch):
                    xf.write(child)
                source = batch.source() if callable(batch.source) else batch.source
                count, total = _write_transactions(xf, source, batch, elements)
            xf.write("\n")
            info = batch.info
            if (count, total) != (info.nb_of_txs, info.ctrl_sum_cents):
                raise SepaError(
                    f"PmtInf {batch.pmt_inf_id}",
                    f"has {count} transactions totalling {format_amount(total)} EUR, "
                    f"but its totals say {info.nb_of_txs} and "
                    f"{format_amount(info.ctrl_sum_cents)} EUR",
                )


def _write_transactions(
    xf: _XmlWriter, transactions: Iterable[Transaction], batch: _Batch, elements: _Elements
) -> tuple[int, int]:
    """Write one PmtInf's transactions; returns (count, sum in cents).

    The loop is the hot path of the whole engine, hence the local names and the
    fast checks first; anything unusual goes through _checked(), which either
    raises the precise SepaError or returns normalised values.
    """
    write = xf.write
    collection_date = batch.info.key.collection_date
    version = elements.version
    # the four shapes of a plain transaction: with/without BIC, with/without Ustrd
    bic_rmt, bic_only = _Template(elements, True, True), _Template(elements, True, False)
    rmt_only, bare = _Template(elements, False, True), _Template(elements, False, False)
    bics: dict[str, str] = {}
    date_texts: dict[dt.date, str] = {}  # signature dates repeat; isoformat() does not cache
    date_type = dt.date
    count = total = 0
    for tx in transactions:
        e2e = tx.end_to_end_id
        amount = tx.amount_cents
        mandate_id = tx.mandate_id
        mandate_date = tx.mandate_date
        iban = tx.debtor_iban
        try:
            if not (
                type(amount) is int
                and 0 < amount <= MAX_AMOUNT_CENTS
                and identifier_ok(e2e)
                and mandate_ref_ok(mandate_id)
                and type(mandate_date) is date_type
                and mandate_date <= collection_date
                and iban_is_valid(iban)
            ):
                iban = _checked(tx, collection_date)
            bic = tx.debtor_bic
            if bic:
                checked_bic = bics.get(bic)
                if checked_bic is None:
                    checked_bic = bics[bic] = validate_bic(bic, "debtor BIC", version)
                bic = checked_bic
            name = transliterate(tx.debtor_name, NAME_MAX)
            if not name:
                raise SepaError("debtor name", "is empty")
            remittance = tx.remittance
            if remittance:
                remittance = transliterate(remittance, REMITTANCE_MAX)
            date_text = date_texts.get(mandate_date)
            if date_text is None:
                date_text = date_texts[mandate_date] = mandate_date.isoformat()
            if (
                tx.amendment is None
                and tx.debtor_address is None
                and tx.uetr is None
                and tx.ultimate_debtor_name is None
                and tx.instruction_id is None
            ):
                if bic:
                    t = bic_rmt if remittance else bic_only
                    t.bic.text = bic
                else:
                    t = rmt_only if remittance else bare
                if remittance:
                    t.remittance.text = remittance
                t.e2e.text = e2e
                t.amount.text = "%d.%02d" % divmod(amount, 100)
                t.mandate_id.text = mandate_id
                t.mandate_date.text = date_text
                t.name.text = name
                t.iban.text = iban
                write(t.element)
            else:
                write(
                    _full_transaction(
                        tx, elements, e2e, amount, mandate_id, date_text, bic, name, iban, remittance or None
                    )
                )
        except SepaError as e:
            raise e.located(
                f"transaction {count + 1} of PmtInf {batch.pmt_inf_id} (EndToEndId {e2e!r})"
            ) from None
        count += 1
        total += amount
    return count, total


def _checked(tx: Transaction, collection_date: dt.date) -> str:
    """The precise check behind the fast one: raises SepaError, or returns the IBAN
    normalised (lower case or spaces in an otherwise valid IBAN are accepted)."""
    _exact_identifier(tx.end_to_end_id, "EndToEndId")
    validate_amount(tx.amount_cents)
    mandate_id = validate_mandate_ref(tx.mandate_id, "mandate reference")
    if mandate_id != tx.mandate_id:
        raise SepaError("mandate reference", "has spaces at the start or end", tx.mandate_id)
    if type(tx.mandate_date) is not dt.date:
        raise SepaError("mandate signature date", "must be a date", tx.mandate_date)
    if tx.mandate_date > collection_date:
        raise SepaError(
            "mandate signature date",
            "is after the collection date " + collection_date.isoformat(),
            tx.mandate_date.isoformat(),
        )
    return validate_iban(tx.debtor_iban, "debtor IBAN")


def _full_transaction(
    tx: Transaction,
    elements: _Elements,
    e2e: str,
    amount: int,
    mandate_id: str,
    mandate_date: str,
    bic: str | None,
    name: str,
    iban: str,
    remittance: str | None,
) -> etree._Element:
    """A transaction with extras, built fresh (checked here, not in the hot loop)."""
    amendment = tx.amendment
    if amendment is not None:
        if not isinstance(amendment, Amendment):
            raise SepaError("amendment", "must be an Amendment")
        if amendment.is_empty:
            amendment = None
        else:
            check_amendment(amendment, mandate_id=mandate_id, debtor_iban=iban)
    uetr = tx.uetr
    if uetr is not None:
        if elements.version != PAIN_008_001_08:
            raise SepaError("UETR", "exists only in pain.008.001.08", uetr)
        uetr = validate_uetr(uetr)
        if uetr != tx.uetr:
            raise SepaError("UETR", "must be lower-case hex without spaces", tx.uetr)
    ultimate = None
    if tx.ultimate_debtor_name is not None:
        ultimate = transliterate(tx.ultimate_debtor_name, NAME_MAX) or None
    instr_id = None
    if tx.instruction_id is not None:
        instr_id = _exact_identifier(tx.instruction_id, "InstrId")
    address = _check_address(tx.debtor_address, "debtor address")
    return elements.transaction(
        e2e=e2e,
        amount=format_amount(amount),
        mandate_id=mandate_id,
        mandate_date=mandate_date,
        bic=bic,
        name=name,
        iban=iban,
        remittance=remittance,
        amendment=amendment,
        address=address,
        ultimate_name=ultimate,
        instr_id=instr_id,
        uetr=uetr,
    )
