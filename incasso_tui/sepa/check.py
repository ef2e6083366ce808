"""Lint any pain.008.001.02 / .08 file: the XSD plus every rule an XSD cannot check.

    for finding in iter_findings("file.xml"): print(finding)

Checks (rule names in brackets): well-formed XML [xml] and a pain.008 message
[message-type]; the official XSD [xsd]; IBAN and creditor identifier checksums
[iban] [creditor-id]; BIC format [bic]; identifiers and text in the SEPA
character set, lengths and '/' rules [identifier] [mandate-reference] [charset]
[length]; amounts in EUR, 0.01-999999999.99, two decimals [amount]; NbOfTxs and
CtrlSum per PmtInf and in the GrpHdr [totals]; duplicate EndToEndIds and
PmtInfIds [duplicate]; one local instrument per file [instrument]; service level,
charge bearer, scheme name, sequence type [scheme]; collection dates on TARGET2
business days and signature dates not after them [date]; amendment consistency
[amendment]; addresses [address].

The file is streamed (elements are freed as they are read).  Duplicate
detection keeps a 64-bit hash per EndToEndId in a flat array (16 bytes per
transaction; a false "duplicate" has a chance of about 1 in 10^7 at 1M).  The
XSD is checked in the same pass.  Streaming validation reports XSD errors only
at the end and without a line; files up to 8 MB are then validated once more as
a tree to list every XSD error with its line (schema.locate_xsd_errors).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from array import array
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from lxml import etree

from incasso_tui.sepa.calendar import closing_reason
from incasso_tui.sepa.errors import SepaError
from incasso_tui.sepa.model import INSTRUMENTS, NOTPROVIDED, SMNDA
from incasso_tui.sepa.reader import BATCH, BATCH_END, HEADER, TX, NotPain008, Record, detect_version, walk
from incasso_tui.sepa.schema import load_schema, locate_xsd_errors, xsd_message
from incasso_tui.sepa.sequence import SEQUENCE_TYPES
from incasso_tui.sepa.text import first_non_sepa_character
from incasso_tui.sepa.validate import (
    MAX_AMOUNT_CENTS,
    NAME_MAX,
    REMITTANCE_MAX,
    format_amount,
    iban_in_sepa_zone,
    iban_is_valid,
    identifier_ok,
    mandate_ref_ok,
    parse_amount,
    validate_bic,
    validate_creditor_id,
    validate_iban,
    validate_identifier,
    validate_mandate_ref,
)

ERROR, WARNING = "error", "warning"
_CRE_DT_TM = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
# Debtor banks outside the EEA: the debtor's address is mandatory (sepa-rules §1.7).
_NON_EEA_SEPA = {"CH", "GB", "MC", "SM", "AD", "VA", "GI", "GG", "JE", "IM", "AL", "MD", "ME", "MK"}


@dataclass(frozen=True)
class Finding:
    severity: str  # error | warning
    location: str  # FILE:LINE (FILE when no line applies)
    rule: str
    message: str
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.severity} {self.rule}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckReport:
    """The result of one file; ``errors``/``warnings`` count every finding, also those
    left out of ``findings`` by the per-rule limit."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    version: str | None = None
    transactions: int = 0
    total_cents: int = 0
    errors: int = 0
    warnings: int = 0

    @classmethod
    def of(cls, checker: FileChecker, findings: list[Finding]) -> CheckReport:
        return cls(
            checker.path,
            findings,
            checker.version,
            checker.transactions,
            checker.total_cents,
            checker.errors,
            checker.warnings,
        )

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "ok": self.ok,
            "version": self.version,
            "transactions": self.transactions,
            "total": format_amount(self.total_cents),
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def check_file(path: str, *, today: dt.date | None = None, max_per_rule: int = 100) -> CheckReport:
    """All findings of one file (at most ``max_per_rule`` per rule, then a summary)."""
    checker = FileChecker(path, today=today, max_per_rule=max_per_rule)
    findings = list(checker.run())
    return CheckReport.of(checker, findings)


def iter_findings(path: str, *, today: dt.date | None = None, max_per_rule: int = 100) -> Iterator[Finding]:
    return FileChecker(path, today=today, max_per_rule=max_per_rule).run()


class _SeenHashes:
    """A set of strings kept as 64-bit hashes in one flat array (open addressing).

    A Python set of a million identifiers costs ~100 MB; this costs 16 MB.
    """

    def __init__(self, expected: int = 0) -> None:
        size = 1024
        while size < 2 * min(expected, 1 << 22):
            size *= 2
        self._slots = array("q", bytes(8 * size))
        self._mask = size - 1
        self._count = 0

    def add(self, text: str) -> bool:
        """Remember ``text``; False when it was already there."""
        h = hash(text) or 1  # 0 marks an empty slot
        slots, mask = self._slots, self._mask
        i = h & mask
        while True:
            v = slots[i]
            if v == 0:
                slots[i] = h
                self._count += 1
                if 2 * self._count > mask:
                    self._grow()
                return True
            if v == h:
                return False
            i = (i + 1) & mask

    def _grow(self) -> None:
        old = self._slots
        self._slots = array("q", bytes(16 * len(old)))
        self._mask = 2 * len(old) - 1
        slots, mask = self._slots, self._mask
        for h in old:
            if h:
                i = h & mask
                while slots[i]:
                    i = (i + 1) & mask
                slots[i] = h


class FileChecker:
    """Checks one file; ``run()`` yields findings, then the counters are filled in."""

    def __init__(self, path: str, *, today: dt.date | None = None, max_per_rule: int = 100) -> None:
        self.path = os.fspath(path)
        self.today = today
        self.max_per_rule = max_per_rule
        self.version: str | None = None
        self.transactions = 0
        self.total_cents = 0
        self.errors = 0  # all findings, also those over max_per_rule
        self.warnings = 0
        self._per_rule: dict[str, list[int]] = {}  # rule -> [count, any error (bool)]

    # -------------------------------------------------------------- driver

    def run(self) -> Iterator[Finding]:
        for finding in self._all():
            if finding.severity == ERROR:
                self.errors += 1
            else:
                self.warnings += 1
            counter = self._per_rule.setdefault(finding.rule, [0, False])
            counter[0] += 1
            counter[1] |= finding.severity == ERROR
            if counter[0] <= self.max_per_rule:
                yield finding
        for rule, (count, any_error) in self._per_rule.items():
            if count > self.max_per_rule:
                yield self._finding(
                    ERROR if any_error else WARNING,
                    None,
                    rule,
                    f"{count - self.max_per_rule} more findings of this rule not shown",
                )

    def _all(self) -> Iterator[Finding]:
        path = self.path
        if not os.path.exists(path):
            yield self._finding(ERROR, None, "file", "no such file")
            return
        if not os.path.isfile(path):
            yield self._finding(ERROR, None, "file", "not a regular file")
            return
        try:
            self.version = detect_version(path)
        except NotPain008 as e:
            yield self._finding(ERROR, None, "message-type", str(e))
            return
        except etree.XMLSyntaxError as e:
            yield self._finding(ERROR, e.lineno, "xml", f"not well-formed XML: {e.msg}")
            return
        except OSError as e:
            yield self._finding(ERROR, None, "file", f"cannot be read: {e.strerror or e}")
            return

        self._state = _State()
        done = 0
        try:
            for rec in walk(path, self.version, load_schema(self.version)):
                done += 1
                yield from self._record(rec)
            yield from self._finish()
            return
        except etree.XMLSyntaxError as e:
            if e.lineno:  # a syntax error, not an XSD violation
                yield self._finding(ERROR, e.lineno, "xml", f"not well-formed XML: {e.msg}")
                return
            located = locate_xsd_errors(path, self.version)
            for line, message in located:
                yield self._finding(ERROR, line, "xsd", f"{self.version}.xsd: {message}")
            if not located:
                yield self._finding(
                    ERROR,
                    None,
                    "xsd",
                    f"{self.version}.xsd: {xsd_message(e)} (the file is too big to locate the error)",
                )
        except OSError as e:
            yield self._finding(ERROR, None, "file", f"cannot be read: {e.strerror or e}")
            return
        # libxml2 reports XSD errors at the end of the document; should one ever stop the
        # parse early, the remaining records are checked without the schema.
        try:
            for n, rec in enumerate(walk(path, self.version)):
                if n >= done:
                    yield from self._record(rec)
            yield from self._finish()
        except etree.XMLSyntaxError as e:
            yield self._finding(ERROR, e.lineno or None, "xml", f"not well-formed XML: {e.msg}")

    # -------------------------------------------------------------- records

    def _record(self, rec: Record) -> Iterator[Finding]:
        self._state.last = rec
        if rec.kind == TX:
            yield from self._transaction(rec)
        elif rec.kind == BATCH:
            yield from self._batch(rec)
        elif rec.kind == BATCH_END:
            yield from self._batch_end(rec)
        elif rec.kind == HEADER:
            yield from self._header(rec)

    def _header(self, rec: Record) -> Iterator[Finding]:
        s = self._state
        s.header_line = rec.line
        yield from self._identifier(rec, "MsgId", "MsgId")
        created = rec.get("CreDtTm")
        if created is not None and not _CRE_DT_TM.fullmatch(created):
            yield self._at(
                rec,
                "CreDtTm",
                WARNING,
                "date",
                f"CreDtTm {created!r}: write YYYY-MM-DDThh:mm:ss without fraction "
                "or time zone (Rabobank accepts only that form)",
            )
        nb = rec.get("NbOfTxs")
        s.header_nb = int(nb) if nb and nb.isdigit() else None
        if s.header_nb:
            s.e2e_seen = _SeenHashes(s.header_nb)
        s.header_ctrl = yield from self._amount_field(rec, "CtrlSum", "GrpHdr CtrlSum", required=True)
        if rec.get("InitgPty/Nm") is None and rec.get("InitgPty/Id/OrgId/Othr/Id") is None:
            yield self._at(rec, None, ERROR, "scheme", "GrpHdr InitgPty needs a name or an id")
        yield from self._text(rec, "InitgPty/Nm", "initiating party name", NAME_MAX)

    def _batch(self, rec: Record) -> Iterator[Finding]:
        s = self._state
        s.batch = b = _Batch(rec)
        pmt_id = rec.get("PmtInfId") or ""
        s.context = f", PmtInf {pmt_id!r}"
        yield from self._identifier(rec, "PmtInfId", "PmtInfId")
        if pmt_id and not s.pmt_seen.add(pmt_id):
            yield self._at(
                rec, "PmtInfId", ERROR, "duplicate", f"PmtInfId {pmt_id!r} is used for more than one PmtInf"
            )
        ctx = f"PmtInf {pmt_id!r}: "
        nb = rec.get("NbOfTxs")
        b.nb = int(nb) if nb and nb.isdigit() else None
        if nb is None:
            yield self._at(rec, None, WARNING, "totals", ctx + "NbOfTxs is missing")
        b.ctrl = yield from self._amount_field(rec, "CtrlSum", ctx + "CtrlSum", required=True)

        service = rec.get("PmtTpInf/SvcLvl/Cd")
        if service != "SEPA":
            yield self._at(
                rec,
                "PmtTpInf/SvcLvl/Cd",
                ERROR,
                "scheme",
                ctx + f"service level must be SEPA, not {service!r}",
            )
        if rec.get("PmtTpInf/SvcLvl/Cd#2") is not None:
            yield self._at(
                rec, "PmtTpInf/SvcLvl/Cd#2", WARNING, "scheme", ctx + "use exactly one service level (SEPA)"
            )
        instrument = rec.get("PmtTpInf/LclInstrm/Cd")
        if instrument not in INSTRUMENTS:
            yield self._at(
                rec,
                "PmtTpInf/LclInstrm/Cd",
                ERROR,
                "instrument",
                ctx
                + f"local instrument must be CORE or B2B, not {instrument!r}"
                + (" (COR1 is obsolete)" if instrument == "COR1" else ""),
            )
        else:
            s.instruments.setdefault(instrument, rec.line_of("PmtTpInf/LclInstrm/Cd"))
            if len(s.instruments) == 2 and instrument not in s.reported_mix:
                s.reported_mix.add(instrument)
                yield self._at(
                    rec,
                    "PmtTpInf/LclInstrm/Cd",
                    ERROR,
                    "instrument",
                    ctx + "CORE and B2B in one file (first instrument at line "
                    f"{min(s.instruments.values())}); one file per instrument",
                )
        seq = rec.get("PmtTpInf/SeqTp")
        if seq not in SEQUENCE_TYPES:
            yield self._at(
                rec,
                "PmtTpInf/SeqTp",
                ERROR,
                "scheme",
                ctx + f"sequence type must be FRST, RCUR, OOFF or FNAL, not {seq!r}",
            )
        b.collection_date = yield from self._date(rec, "ReqdColltnDt", ctx)
        if b.collection_date is not None:
            closed = closing_reason(b.collection_date)
            if closed:
                yield self._at(
                    rec,
                    "ReqdColltnDt",
                    WARNING,
                    "date",
                    ctx + f"collection date {b.collection_date} is not a TARGET2 "
                    f"business day ({closed}); the bank collects on the next one",
                )
            if self.today is not None and b.collection_date < self.today:
                yield self._at(
                    rec,
                    "ReqdColltnDt",
                    WARNING,
                    "date",
                    ctx + f"collection date {b.collection_date} is in the past",
                )
        if rec.get("Cdtr/Nm") is None:
            yield self._at(rec, None, ERROR, "scheme", ctx + "creditor name (Cdtr/Nm) is missing")
        yield from self._text(rec, "Cdtr/Nm", ctx + "creditor name", NAME_MAX)
        yield from self._address(rec, "Cdtr/PstlAdr/", ctx + "creditor address")
        yield from self._iban(rec, "CdtrAcct/Id/IBAN", ctx + "creditor IBAN")
        yield from self._agent(rec, "CdtrAgt/FinInstnId/", ctx + "creditor agent")
        charge = rec.get("ChrgBr")
        if charge is None:
            yield self._at(rec, None, WARNING, "scheme", ctx + "ChrgBr is missing (SLEV)")
        elif charge != "SLEV":
            yield self._at(
                rec, "ChrgBr", ERROR, "scheme", ctx + f"charge bearer must be SLEV in SEPA, not {charge!r}"
            )
        b.creditor_id = rec.get("CdtrSchmeId/Id/PrvtId/Othr/Id")
        if b.creditor_id is not None:
            yield from self._scheme_id(rec, "CdtrSchmeId/", ctx + "creditor identifier")

    def _transaction(self, rec: Record) -> Iterator[Finding]:
        s = self._state
        b = s.batch
        e2e = rec.get("PmtId/EndToEndId")
        ctx = f"EndToEndId {e2e!r}: "
        s.context = f", EndToEndId {e2e!r}"
        self.transactions += 1
        if b is not None:
            b.count += 1
        if e2e is not None:
            if not identifier_ok(e2e):
                yield from self._identifier(rec, "PmtId/EndToEndId", "EndToEndId")
            elif e2e == NOTPROVIDED:
                yield self._at(
                    rec,
                    "PmtId/EndToEndId",
                    WARNING,
                    "identifier",
                    "EndToEndId NOTPROVIDED: returns and rejects cannot be matched",
                )
            if not s.e2e_seen.add(e2e):
                yield self._at(
                    rec, "PmtId/EndToEndId", ERROR, "duplicate", f"EndToEndId {e2e!r} appears more than once"
                )
        if rec.get("PmtId/InstrId") is not None:
            yield from self._identifier(rec, "PmtId/InstrId", ctx + "InstrId")

        amount = yield from self._amount_field(rec, "InstdAmt", ctx + "amount", required=True, limits=True)
        if amount is None:
            if b is not None:
                b.sum_valid = False
            s.sum_valid = False
        else:
            self.total_cents += amount
            if b is not None:
                b.sum += amount
        currency = rec.get("InstdAmt@Ccy")
        if currency is not None and currency != "EUR":
            yield self._at(
                rec,
                "InstdAmt@Ccy",
                ERROR,
                "amount",
                ctx + f"currency {currency!r}: SEPA direct debits are in EUR only",
            )
        charge = rec.get("ChrgBr")
        if charge is not None and charge != "SLEV":
            yield self._at(
                rec, "ChrgBr", ERROR, "scheme", ctx + f"charge bearer must be SLEV in SEPA, not {charge!r}"
            )

        m = "DrctDbtTx/MndtRltdInf/"
        mandate_id = rec.get(m + "MndtId")
        if mandate_id is None:
            yield self._at(
                rec, None, ERROR, "mandate-reference", ctx + "mandate reference (MndtId) is missing"
            )
        elif not mandate_ref_ok(mandate_id):
            yield from self._identifier(rec, m + "MndtId", ctx + "mandate reference", mandate=True)
        signed = yield from self._date(rec, m + "DtOfSgntr", ctx + "signature date ", required=True)
        if signed is not None:
            if b is not None and b.collection_date is not None and signed > b.collection_date:
                yield self._at(
                    rec,
                    m + "DtOfSgntr",
                    ERROR,
                    "date",
                    ctx + f"mandate signed {signed}, after the collection date {b.collection_date}",
                )
            elif self.today is not None and signed > self.today:
                yield self._at(
                    rec,
                    m + "DtOfSgntr",
                    ERROR,
                    "date",
                    ctx + f"mandate signature date {signed} is in the future",
                )
        if b is not None and b.creditor_id is None:
            if rec.get("DrctDbtTx/CdtrSchmeId/Id/PrvtId/Othr/Id") is None:
                yield self._at(
                    rec,
                    None,
                    ERROR,
                    "creditor-id",
                    ctx + "no creditor identifier in the PmtInf or the transaction",
                )
            else:
                yield from self._scheme_id(rec, "DrctDbtTx/CdtrSchmeId/", ctx + "creditor identifier")
        yield from self._amendment(rec, ctx, mandate_id)

        yield from self._agent(rec, "DbtrAgt/FinInstnId/", ctx + "debtor agent")
        if rec.get("Dbtr/Nm") is None:
            yield self._at(rec, None, ERROR, "scheme", ctx + "debtor name (Dbtr/Nm) is missing")
        yield from self._text(rec, "Dbtr/Nm", ctx + "debtor name", NAME_MAX)
        has_address = yield from self._address(rec, "Dbtr/PstlAdr/", ctx + "debtor address")
        iban = rec.get("DbtrAcct/Id/IBAN")
        yield from self._iban(rec, "DbtrAcct/Id/IBAN", ctx + "debtor IBAN")
        if iban and iban[:2] in _NON_EEA_SEPA and not has_address:
            yield self._at(
                rec,
                "DbtrAcct/Id/IBAN",
                WARNING,
                "address",
                ctx + f"the debtor's bank is outside the EEA ({iban[:2]}): the debtor's address is required",
            )
        yield from self._text(rec, "UltmtDbtr/Nm", ctx + "ultimate debtor name", NAME_MAX)
        yield from self._text(rec, "RmtInf/Ustrd", ctx + "remittance information", REMITTANCE_MAX)
        if rec.get("RmtInf/Ustrd#2") is not None:
            yield self._at(
                rec,
                "RmtInf/Ustrd#2",
                ERROR,
                "length",
                ctx + "only one unstructured remittance (Ustrd) is allowed",
            )
        if rec.get("RmtInf/Ustrd") is not None and any(k.startswith("RmtInf/Strd/") for k in rec.fields):
            yield self._at(
                rec,
                "RmtInf/Ustrd",
                ERROR,
                "length",
                ctx + "remittance must be either Ustrd or Strd, not both",
            )

    def _batch_end(self, rec: Record) -> Iterator[Finding]:
        s = self._state
        b = s.batch
        if b is None:
            return
        s.batch = None
        s.file_count += b.count
        ctx = f"PmtInf {b.rec.get('PmtInfId')!r}: "
        if b.nb is not None and b.nb != b.count:
            yield self._at(
                b.rec,
                "NbOfTxs",
                ERROR,
                "totals",
                ctx + f"NbOfTxs says {b.nb}, the PmtInf has {b.count} transactions",
            )
        if b.ctrl is not None and b.sum_valid and b.ctrl != b.sum:
            yield self._at(
                b.rec,
                "CtrlSum",
                ERROR,
                "totals",
                ctx + f"CtrlSum says {format_amount(b.ctrl)}, the transactions add "
                f"up to {format_amount(b.sum)}",
            )

    def _finish(self) -> Iterator[Finding]:
        s = self._state
        if s.header_line is None:
            yield self._finding(ERROR, None, "scheme", "GrpHdr is missing")
            return
        if s.header_nb is not None and s.header_nb != self.transactions:
            yield self._finding(
                ERROR,
                s.header_line,
                "totals",
                f"GrpHdr NbOfTxs says {s.header_nb}, the file has {self.transactions} transactions",
            )
        if s.header_ctrl is not None and s.sum_valid and s.header_ctrl != self.total_cents:
            yield self._finding(
                ERROR,
                s.header_line,
                "totals",
                f"GrpHdr CtrlSum says {format_amount(s.header_ctrl)}, the "
                f"transactions add up to {format_amount(self.total_cents)}",
            )

    # -------------------------------------------------------------- field checks

    def _identifier(self, rec: Record, path: str, label: str, mandate: bool = False) -> Iterator[Finding]:
        value = rec.get(path)
        if value is None:
            return
        ok = mandate_ref_ok(value) if mandate else identifier_ok(value)
        if ok:
            return
        rule = "mandate-reference" if mandate else "identifier"
        try:
            if mandate:
                validate_mandate_ref(value, label)
            else:
                validate_identifier(value, label)
        except SepaError as e:
            severity = WARNING if mandate and e.rule.startswith("contains a space") else ERROR
            if severity == WARNING:
                message = f"{e} (accepted by some banks; generate references without spaces)"
            else:
                message = str(e)
            yield self._at(rec, path, severity, rule, message)
            return
        yield self._at(rec, path, ERROR, rule, f"{label} {value!r}: has spaces at the start or end")

    def _text(self, rec: Record, path: str, label: str, max_len: int) -> Iterator[Finding]:
        value = rec.get(path)
        if value is None:
            return
        bad = first_non_sepa_character(value)
        if bad is not None:
            yield self._at(
                rec,
                path,
                ERROR,
                "charset",
                f"{label} {value!r}: contains {bad!r}, which is not in the SEPA character set",
            )
        if len(value) > max_len:
            yield self._at(
                rec, path, ERROR, "length", f"{label} is {len(value)} characters long (maximum {max_len})"
            )

    def _iban(self, rec: Record, path: str, label: str) -> Iterator[Finding]:
        value = rec.get(path)
        if value is None:
            return
        if iban_is_valid(value):
            if not iban_in_sepa_zone(value):
                yield self._at(
                    rec, path, ERROR, "iban", f"{label} {value!r}: {value[:2]} is not in the SEPA scheme area"
                )
            return
        try:
            validate_iban(value, label)
        except SepaError as e:
            yield self._at(rec, path, ERROR, "iban", str(e))
            return
        yield self._at(rec, path, ERROR, "iban", f"{label} {value!r}: must be upper case without spaces")

    def _agent(self, rec: Record, prefix: str, label: str) -> Iterator[Finding]:
        bic = rec.get(prefix + "BIC") or rec.get(prefix + "BICFI")
        if bic is not None:
            try:
                validate_bic(bic, label + " BIC", self.version)
            except SepaError as e:
                path = prefix + "BIC" if rec.get(prefix + "BIC") else prefix + "BICFI"
                yield self._at(rec, path, ERROR, "bic", str(e))
            return
        other = rec.get(prefix + "Othr/Id")
        if other is not None and other != NOTPROVIDED:
            yield self._at(
                rec,
                prefix + "Othr/Id",
                WARNING,
                "bic",
                f"{label}: without a BIC write Othr/Id NOTPROVIDED, not {other!r}",
            )

    def _scheme_id(self, rec: Record, prefix: str, label: str) -> Iterator[Finding]:
        path = prefix + "Id/PrvtId/Othr/Id"
        value = rec.get(path)
        if value is not None:
            try:
                ci = validate_creditor_id(value, label)
                if ci != value:
                    yield self._at(
                        rec,
                        path,
                        ERROR,
                        "creditor-id",
                        f"{label} {value!r}: must be upper case without spaces",
                    )
            except SepaError as e:
                yield self._at(rec, path, ERROR, "creditor-id", str(e))
        scheme = rec.get(prefix + "Id/PrvtId/Othr/SchmeNm/Prtry")
        if value is not None and scheme != "SEPA":
            yield self._at(
                rec,
                path,
                ERROR,
                "creditor-id",
                f"{label}: scheme name (SchmeNm/Prtry) must be SEPA, not {scheme!r}",
            )

    def _amendment(self, rec: Record, ctx: str, mandate_id: str | None) -> Iterator[Finding]:
        m = "DrctDbtTx/MndtRltdInf/"
        d = m + "AmdmntInfDtls/"
        indicator = rec.get(m + "AmdmntInd")
        has_details = any(k.startswith(d) for k in rec.fields)
        flagged = indicator in ("true", "1")
        if flagged and not has_details:
            yield self._at(
                rec,
                m + "AmdmntInd",
                ERROR,
                "amendment",
                ctx + "AmdmntInd is true but there are no amendment details",
            )
        elif has_details and not flagged:
            yield self._at(
                rec, m + "AmdmntInd", ERROR, "amendment", ctx + "amendment details without AmdmntInd true"
            )
        if not has_details:
            return
        original = rec.get(d + "OrgnlMndtId")
        if original is not None:
            if not mandate_ref_ok(original):
                yield from self._identifier(
                    rec, d + "OrgnlMndtId", ctx + "original mandate reference", mandate=True
                )
            if original == mandate_id:
                yield self._at(
                    rec,
                    d + "OrgnlMndtId",
                    ERROR,
                    "amendment",
                    ctx + "original mandate reference equals the current one",
                )
        if rec.get(d + "OrgnlCdtrSchmeId/Id/PrvtId/Othr/Id") is not None:
            yield from self._scheme_id(rec, d + "OrgnlCdtrSchmeId/", ctx + "original creditor identifier")
            b = self._state.batch
            if (
                b is not None
                and rec.get(d + "OrgnlCdtrSchmeId/Nm") is None
                and rec.get(d + "OrgnlCdtrSchmeId/Id/PrvtId/Othr/Id") == b.creditor_id
            ):
                yield self._at(
                    rec,
                    d + "OrgnlCdtrSchmeId/Id/PrvtId/Othr/Id",
                    ERROR,
                    "amendment",
                    ctx + "original creditor identifier equals the current one",
                )
        yield from self._text(rec, d + "OrgnlCdtrSchmeId/Nm", ctx + "original creditor name", NAME_MAX)
        old_iban = rec.get(d + "OrgnlDbtrAcct/Id/IBAN")
        if old_iban is not None:
            yield from self._iban(rec, d + "OrgnlDbtrAcct/Id/IBAN", ctx + "original debtor IBAN")
            if old_iban == rec.get("DbtrAcct/Id/IBAN"):
                yield self._at(
                    rec,
                    d + "OrgnlDbtrAcct/Id/IBAN",
                    ERROR,
                    "amendment",
                    ctx + "original debtor IBAN equals the current one",
                )
        other = rec.get(d + "OrgnlDbtrAcct/Id/Othr/Id")
        if other is not None and other != SMNDA:
            yield self._at(
                rec,
                d + "OrgnlDbtrAcct/Id/Othr/Id",
                ERROR,
                "amendment",
                ctx + f"OrgnlDbtrAcct/Id/Othr/Id must be SMNDA, not {other!r}",
            )
        if rec.get(d + "OrgnlDbtrAgt/FinInstnId/Othr/Id") == SMNDA:
            yield self._at(
                rec,
                d + "OrgnlDbtrAgt/FinInstnId/Othr/Id",
                WARNING,
                "amendment",
                ctx + "SMNDA in OrgnlDbtrAgt is the pre-2016 form; since the 2016 "
                "rulebook it goes in OrgnlDbtrAcct/Id/Othr/Id",
            )

    def _address(self, rec: Record, prefix: str, label: str) -> Generator[Finding, None, bool]:
        """Address checks; returns whether there is an address (generator-return)."""
        keys = [k for k in rec.fields if k.startswith(prefix)]
        if not keys:
            return False
        for key in keys:
            field_name = key[len(prefix) :].split("#")[0]
            max_len = {
                "BldgNb": 16,
                "PstCd": 16,
                "PstBx": 16,
                "TwnNm": 35,
                "BldgNm": 35,
                "TwnLctnNm": 35,
                "DstrctNm": 35,
                "CtrySubDvsn": 35,
            }.get(field_name, 70)
            if field_name != "Ctry":
                yield from self._text(rec, key, f"{label} {field_name}", max_len)
        if rec.get(prefix + "AdrLine#3") is not None:
            yield self._at(
                rec,
                prefix + "AdrLine#3",
                ERROR,
                "address",
                f"{label}: at most 2 address lines (AdrLine) are allowed in SEPA",
            )
        if rec.get(prefix + "TwnNm") is None or rec.get(prefix + "Ctry") is None:
            yield self._at(
                rec,
                keys[0],
                WARNING,
                "address",
                f"{label}: unstructured; Dutch banks reject addresses without at "
                "least TwnNm and Ctry from 15 November 2026",
            )
        return True

    def _amount_field(
        self, rec: Record, path: str, label: str, required: bool = False, limits: bool = False
    ) -> Generator[Finding, None, int | None]:
        """Parsed cents or None (generator-return), with findings for bad values."""
        text = rec.get(path)
        if text is None:
            if required:
                yield self._at(
                    rec,
                    None,
                    WARNING if path == "CtrlSum" else ERROR,
                    "totals" if path == "CtrlSum" else "amount",
                    f"{label} is missing",
                )
            return None
        try:
            cents = parse_amount(text, label)
        except SepaError:
            yield self._at(
                rec,
                path,
                ERROR,
                "amount",
                f"{label} {text!r}: must be a decimal amount with at most 2 decimals",
            )
            return None
        if limits and not 1 <= cents <= MAX_AMOUNT_CENTS:
            yield self._at(
                rec, path, ERROR, "amount", f"{label} {text}: must be between 0.01 and 999999999.99 EUR"
            )
        return cents

    def _date(
        self, rec: Record, path: str, label: str, required: bool = False
    ) -> Generator[Finding, None, dt.date | None]:
        text = rec.get(path)
        if text is None:
            if required:
                yield self._at(rec, None, ERROR, "date", f"{label}({path}) is missing")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            yield self._at(rec, path, ERROR, "date", f"{label}{text!r} is not a date (YYYY-MM-DD)")
            return None

    # -------------------------------------------------------------- findings

    def _at(self, rec: Record, path: str | None, severity: str, rule: str, message: str) -> Finding:
        return self._finding(severity, rec.line_of(path) if path else rec.line, rule, message)

    def _finding(self, severity: str, line: int | None, rule: str, message: str) -> Finding:
        location = f"{self.path}:{line}" if line else self.path
        return Finding(severity, location, rule, message, self.path, line or None)


class _Batch:
    __slots__ = (
        "collection_date",
        "count",
        "creditor_id",
        "ctrl",
        "nb",
        "rec",
        "sum",
        "sum_valid",
    )

    def __init__(self, rec: Record) -> None:
        self.rec = rec
        self.nb: int | None = None
        self.ctrl: int | None = None
        self.collection_date: dt.date | None = None
        self.creditor_id: str | None = None
        self.count = self.sum = 0
        self.sum_valid = True


class _State:
    def __init__(self) -> None:
        self.last: Record | None = None
        self.context = ""
        self.batch: _Batch | None = None
        self.header_line: int | None = None
        self.header_nb: int | None = None
        self.header_ctrl: int | None = None
        self.sum_valid = True
        self.file_count = 0
        self.instruments: dict[str, int] = {}
        self.reported_mix: set[str] = set()
        self.e2e_seen = _SeenHashes()
        self.pmt_seen = _SeenHashes()
