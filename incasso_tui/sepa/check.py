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

Strict by default: the rules below are errors; with ``strict=False`` (the CLI's
``--lenient``) the ones a Dutch bank tolerates (TOLERATED) become warnings and
the others (STRICT_ONLY_ERRORS, and everything else that is an error: XSD,
totals, checksums, ...) stay errors.  A collection date in the past is always a
warning (files are often checked after they were made).

A file with a DOCTYPE is refused before it is parsed (xml_safety): DTDs and
entities [dtd]; XInclude is never processed and reported [xinclude].

The file is streamed (elements are freed as they are read).  Duplicate
detection keeps a 64-bit hash per EndToEndId in a flat array (16 bytes per
transaction; a false "duplicate" has a chance of about 1 in 10^7 at 1M).  The
XSD is checked in the same pass.  Streaming validation reports XSD errors only
at the end and without a line; files up to 8 MB are then validated once more as
a tree to list every XSD error with its line (schema.locate_xsd_errors).
"""

from __future__ import annotations

import contextlib
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
from incasso_tui.sepa.reader import (
    BATCH,
    BATCH_END,
    HEADER,
    TX,
    XINCLUDE,
    NotPain008,
    Record,
    detect_version,
    walk,
)
from incasso_tui.sepa.schema import load_schema, locate_xsd_errors, xsd_message
from incasso_tui.sepa.sequence import SEQUENCE_TYPES
from incasso_tui.sepa.text import first_non_sepa_character
from incasso_tui.sepa.validate import (
    MAX_AMOUNT_CENTS,
    NAME_MAX,
    PAIN_008_001_08,
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
from incasso_tui.sepa.xml_safety import ENCODING, UTF_8, Prolog, UnsafeXml, read_prolog

ERROR, WARNING = "error", "warning"
_CRE_DT_TM = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")

# The strict rules a bank is known to tolerate: errors by default, warnings with
# strict=False (--lenient).  Why each is tolerated is in the README.
TOLERATED: dict[str, str] = {
    "target2": "collection date not a TARGET2 business day (the bank collects on the next one)",
    "bom": "a byte order mark before the XML",
    "xml-declaration": "no XML declaration",
    "agent": "an agent with only a name, with a BIC and NOTPROVIDED, or empty",
    "agent-id": "an agent's Othr/Id other than NOTPROVIDED",
    "signature-date": "a mandate signed after the file's creation date",
    "creditor-id-nl": "a Dutch creditor identifier whose business code is not ZZZ",
    "mandate-space": "a mandate reference with a space",
    "ctrl-sum": "no CtrlSum in the GrpHdr or a PmtInf",
    "charge-bearer": "no ChrgBr (SLEV) in a PmtInf nor its transactions",
    "pmtinf-split": "PmtInf blocks that should have been one",
}
# The strict rules that stay errors with --lenient (a bank refuses the file).
STRICT_ONLY_ERRORS: dict[str, str] = {
    "encoding": "a file in UTF-16/32 or declaring an encoding other than UTF-8",
    "account-iban": "an account identified otherwise than by an IBAN",
    "service-level": "more than one SvcLvl",
    "cre-dt-tm": "a CreDtTm with a time zone or fractions of a second",
    "smnda": "SMNDA anywhere but OrgnlDbtrAcct/Id/Othr/Id, or next to an OrgnlDbtrAgt",
    "address-structured": "pain.008.001.08: an address without TwnNm and Ctry, or with more than 2 AdrLine",
    "msg-id-reuse": "a MsgId used by another file checked in the same run",
    "dtd": "a DOCTYPE: DTDs and entities (the file is not read further)",
    "xinclude": "an XInclude element (never processed)",
}
_ACCOUNT_OTHER = "Id/Othr/Id"
_SMNDA_PLACE = "DrctDbtTx/MndtRltdInf/AmdmntInfDtls/OrgnlDbtrAcct/Id/Othr/Id"
_COUNTERS = frozenset({"PmtInfId", "NbOfTxs", "CtrlSum"})  # not part of a PmtInf's grouping key
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


def check_file(
    path: str, *, today: dt.date | None = None, max_per_rule: int = 100, strict: bool = True
) -> CheckReport:
    """All findings of one file (at most ``max_per_rule`` per rule, then a summary)."""
    checker = FileChecker(path, today=today, max_per_rule=max_per_rule, strict=strict)
    findings = list(checker.run())
    return CheckReport.of(checker, findings)


def iter_findings(
    path: str, *, today: dt.date | None = None, max_per_rule: int = 100, strict: bool = True
) -> Iterator[Finding]:
    return FileChecker(path, today=today, max_per_rule=max_per_rule, strict=strict).run()


class _SeenHashes:
    """A set of strings kept as 64-bit hashes in one flat array (open addressing).

    A Python set of a million identifiers costs ~100 MB; this costs 16 MB.
    ``first_line`` also keeps a number (a line) per string, in a second array.
    """

    def __init__(self, expected: int = 0, with_lines: bool = False) -> None:
        size = 1024
        while size < 2 * min(expected, 1 << 22):
            size *= 2
        self._slots = array("q", bytes(8 * size))
        self._lines = array("q", bytes(8 * size)) if with_lines else None
        self._mask = size - 1
        self._count = 0

    def add(self, text: str) -> bool:
        """Remember ``text``; False when it was already there."""
        return self._slot(text, 0) < 0

    def first_line(self, text: str, line: int) -> int | None:
        """The line remembered with ``text``, or None (and ``line`` is remembered)."""
        i = self._slot(text, line)
        if i < 0:
            return None
        assert self._lines is not None  # made with_lines
        return self._lines[i]

    def _slot(self, text: str, line: int) -> int:
        """-1 after adding ``text``; else the slot where it already is."""
        h = hash(text) or 1  # 0 marks an empty slot
        slots, mask = self._slots, self._mask
        i = h & mask
        while True:
            v = slots[i]
            if v == 0:
                slots[i] = h
                if self._lines is not None:
                    self._lines[i] = line
                self._count += 1
                if 2 * self._count > mask:
                    self._grow()
                return -1
            if v == h:
                return i
            i = (i + 1) & mask

    def _grow(self) -> None:
        old, old_lines = self._slots, self._lines
        self._slots = array("q", bytes(16 * len(old)))
        self._lines = array("q", bytes(16 * len(old))) if old_lines is not None else None
        self._mask = 2 * len(old) - 1
        slots, lines, mask = self._slots, self._lines, self._mask
        for j, h in enumerate(old):
            if h:
                i = h & mask
                while slots[i]:
                    i = (i + 1) & mask
                slots[i] = h
                if lines is not None and old_lines is not None:
                    lines[i] = old_lines[j]


class FileChecker:
    """Checks one file; ``run()`` yields findings, then the counters are filled in."""

    def __init__(
        self,
        path: str,
        *,
        today: dt.date | None = None,
        max_per_rule: int = 100,
        strict: bool = True,
        msg_ids: dict[str, tuple[str, int]] | None = None,
    ) -> None:
        """``strict=False``: the TOLERATED rules are warnings.  ``msg_ids``: one dict
        shared by the files of a run (MsgId -> (file, line)), to find a MsgId that
        another file already uses."""
        self.path = os.fspath(path)
        self.today = today
        self.max_per_rule = max_per_rule
        self.strict = strict
        self._tolerated = ERROR if strict else WARNING  # the severity of a TOLERATED rule
        self.msg_ids = msg_ids
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
            prolog = read_prolog(path)
            self.version = detect_version(path)
        except UnsafeXml as e:
            yield self._finding(ERROR, e.line, "encoding" if e.kind == ENCODING else "dtd", str(e))
            return
        except NotPain008 as e:
            yield self._finding(ERROR, None, "message-type", str(e))
            return
        except etree.XMLSyntaxError as e:
            yield self._finding(ERROR, e.lineno, "xml", f"not well-formed XML: {e.msg}")
            return
        except OSError as e:
            yield self._finding(ERROR, None, "file", f"cannot be read: {e.strerror or e}")
            return
        yield from self._prolog(prolog)

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

    def _prolog(self, prolog: Prolog) -> Iterator[Finding]:
        """Encoding, byte order mark and XML declaration (all on line 1)."""
        declared = prolog.declared_encoding
        if prolog.detected != UTF_8:
            yield self._finding(
                ERROR, 1, "encoding", f"the file is in {prolog.detected}; a SEPA file must be UTF-8"
            )
        elif declared is not None and declared.upper() != "UTF-8":
            yield self._finding(
                ERROR, 1, "encoding", f"declares encoding {declared!r}; a SEPA file must be UTF-8"
            )
        elif prolog.bom is not None:
            yield self._finding(
                self._tolerated, 1, "bom", "starts with a byte order mark; a SEPA file is UTF-8 without one"
            )
        if not prolog.declaration:
            yield self._finding(
                self._tolerated,
                1,
                "xml-declaration",
                'no XML declaration; start with <?xml version="1.0" encoding="UTF-8"?>',
            )

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
        elif rec.kind == XINCLUDE:
            yield self._at(
                rec,
                None,
                ERROR,
                "xinclude",
                f"an XInclude element (xi:{rec.get('element')}): never processed; "
                "a pain.008 file must be self-contained",
            )

    def _header(self, rec: Record) -> Iterator[Finding]:
        s = self._state
        s.header_line = rec.line
        yield from self._identifier(rec, "MsgId", "MsgId")
        msg_id = rec.get("MsgId")
        if msg_id and self.msg_ids is not None:
            line = rec.line_of("MsgId")
            other = self.msg_ids.setdefault(msg_id, (self.path, line))
            if other != (self.path, line) and not _same_file(other[0], self.path):
                yield self._finding(
                    ERROR,
                    line,
                    "msg-id-reuse",
                    f"MsgId {msg_id!r} is also the MsgId of {other[0]} (line {other[1]}); "
                    "a bank refuses a second file with the same MsgId",
                )
        created = rec.get("CreDtTm")
        if created is not None:
            if not _CRE_DT_TM.fullmatch(created):
                yield self._at(
                    rec,
                    "CreDtTm",
                    ERROR,
                    "cre-dt-tm",
                    f"CreDtTm {created!r}: write YYYY-MM-DDThh:mm:ss without fraction "
                    "or time zone (Rabobank accepts only that form)",
                )
            with contextlib.suppress(ValueError):  # not a date and time: the XSD reports it
                s.created = dt.datetime.fromisoformat(created).date()
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
        levels = [k for k in rec.fields if k.startswith("PmtTpInf/SvcLvl/")]  # Cd or Prtry, one each
        if len(levels) > 1:
            yield self._at(
                rec,
                levels[1],
                ERROR,
                "service-level",
                ctx + f"{len(levels)} service levels (SvcLvl); give exactly one: SEPA",
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
                    self._tolerated,
                    "target2",
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
        yield from self._account(rec, "CdtrAcct/", ctx + "creditor account")
        yield from self._agent(rec, "CdtrAgt/FinInstnId/", ctx + "creditor agent")
        charge = b.charge = rec.get("ChrgBr")
        if charge is not None and charge != "SLEV":
            yield self._at(
                rec, "ChrgBr", ERROR, "scheme", ctx + f"charge bearer must be SLEV in SEPA, not {charge!r}"
            )
        b.creditor_id = rec.get("CdtrSchmeId/Id/PrvtId/Othr/Id")
        if b.creditor_id is not None:
            yield from self._scheme_id(rec, "CdtrSchmeId/", ctx + "creditor identifier")
        yield from self._smnda(rec, ctx)
        # Two PmtInf blocks alike in all but their id and totals could have been one.
        grouping = "\x1f".join(f"{k}\x1e{v}" for k, v in sorted(rec.fields.items()) if k not in _COUNTERS)
        first = s.groupings.first_line(grouping, rec.line)
        if first is not None:
            yield self._at(
                rec,
                None,
                self._tolerated,
                "pmtinf-split",
                ctx + f"the same creditor, account, agent, identifier, instrument, sequence type, "
                f"collection date and booking as the PmtInf at line {first}; one PmtInf block per combination",
            )

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
        elif charge is None and b is not None and b.charge is None:
            b.without_charge += 1

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
            elif s.created is not None and signed > s.created:
                yield self._at(
                    rec,
                    m + "DtOfSgntr",
                    self._tolerated,
                    "signature-date",
                    ctx + f"mandate signed {signed}, after the file was created ({s.created})",
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
        if SMNDA in rec.fields.values():
            yield from self._smnda(rec, ctx)

        yield from self._agent(rec, "DbtrAgt/FinInstnId/", ctx + "debtor agent")
        if rec.get("Dbtr/Nm") is None:
            yield self._at(rec, None, ERROR, "scheme", ctx + "debtor name (Dbtr/Nm) is missing")
        yield from self._text(rec, "Dbtr/Nm", ctx + "debtor name", NAME_MAX)
        has_address = yield from self._address(rec, "Dbtr/PstlAdr/", ctx + "debtor address")
        iban = rec.get("DbtrAcct/Id/IBAN")
        if iban is None:
            yield from self._account(rec, "DbtrAcct/", ctx + "debtor account")
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
        if b.without_charge:
            some = "its transaction" if b.count == 1 else f"{b.without_charge} of its {b.count} transactions"
            yield self._at(
                b.rec,
                None,
                self._tolerated,
                "charge-bearer",
                ctx + f"no charge bearer (ChrgBr SLEV) in the PmtInf nor in {some}",
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
            if mandate and e.rule.startswith("contains a space"):
                yield self._at(
                    rec,
                    path,
                    self._tolerated,
                    "mandate-space",
                    f"{e} (accepted by some banks; generate references without spaces)",
                )
            else:
                yield self._at(rec, path, ERROR, rule, str(e))
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
        """An agent (``prefix`` = "DbtrAgt/FinInstnId/"): a BIC, or Othr/Id NOTPROVIDED."""
        bic_path = prefix + "BIC" if prefix + "BIC" in rec.fields else prefix + "BICFI"
        bic = rec.get(bic_path)
        other_path = prefix + "Othr/Id"
        other = rec.get(other_path)
        if bic is not None:
            try:
                validate_bic(bic, label + " BIC", self.version)
            except SepaError as e:
                yield self._at(rec, bic_path, ERROR, "bic", str(e))
            if other is None:
                return
        elif other == NOTPROVIDED:  # IBAN-only: the usual case without a BIC
            return
        if other == NOTPROVIDED:
            yield self._at(
                rec,
                other_path,
                self._tolerated,
                "agent",
                f"{label}: both a BIC and Othr/Id NOTPROVIDED; give the one or the other",
            )
        elif other is not None:
            yield self._at(
                rec,
                other_path,
                self._tolerated,
                "agent-id",
                f"{label}: Othr/Id {other!r} is not a SEPA agent identification; "
                + ("give the BIC alone" if bic is not None else "without a BIC write Othr/Id NOTPROVIDED"),
            )
        if bic is not None or other is not None:
            return
        root = prefix.split("/", 1)[0]  # DbtrAgt
        present = [k for k in rec.fields if k == root or k.startswith(root + "/")]
        if not present:  # no agent at all: the XSD reports it
            return
        inside = [k[len(prefix) :] for k in present if k.startswith(prefix)]
        if not inside:
            what = "is empty"
        elif all(k == "Nm" or k.startswith("PstlAdr/") for k in inside):
            what = f"has only a name ({rec.get(prefix + 'Nm')!r})"
        else:
            what = "has neither a BIC nor Othr/Id NOTPROVIDED"
        yield self._at(
            rec,
            present[0],
            self._tolerated,
            "agent",
            f"{label} {what}: give the BIC, or Othr/Id NOTPROVIDED when there is none",
        )

    def _account(self, rec: Record, prefix: str, label: str) -> Iterator[Finding]:
        """An account (``prefix`` = "DbtrAcct/") must be identified by its IBAN."""
        if rec.get(prefix + "Id/IBAN") is not None:
            return
        keys = [k for k in rec.fields if k.startswith(prefix + "Id/")]
        if not keys:  # no Id at all: the XSD reports it
            return
        other = rec.get(prefix + _ACCOUNT_OTHER)
        what = f"Othr/Id {other!r}" if other is not None else keys[0][len(prefix) :]
        yield self._at(
            rec,
            keys[0],
            ERROR,
            "account-iban",
            f"{label} is identified by {what}, not by an IBAN; SEPA direct debits need the IBAN",
        )

    def _smnda(self, rec: Record, ctx: str) -> Iterator[Finding]:
        """SMNDA only in AmdmntInfDtls/OrgnlDbtrAcct/Id/Othr/Id (sepa-rules §5.2)."""
        for key, value in rec.fields.items():
            if value != SMNDA or key == _SMNDA_PLACE:
                continue
            if key.endswith("AmdmntInfDtls/OrgnlDbtrAgt/FinInstnId/Othr/Id"):
                why = (
                    "SMNDA in OrgnlDbtrAgt is the pre-2016 form; since the 2016 rulebook "
                    "it goes in OrgnlDbtrAcct/Id/Othr/Id"
                )
            else:
                why = f"SMNDA in {key}; it belongs only in AmdmntInfDtls/OrgnlDbtrAcct/Id/Othr/Id"
            yield self._at(rec, key, ERROR, "smnda", ctx + why)
        if rec.get(_SMNDA_PLACE) == SMNDA:
            agent = next((k for k in rec.fields if "/AmdmntInfDtls/OrgnlDbtrAgt" in k), None)
            if agent is not None:
                yield self._at(
                    rec,
                    agent,
                    ERROR,
                    "smnda",
                    ctx + "OrgnlDbtrAgt next to OrgnlDbtrAcct SMNDA; leave OrgnlDbtrAgt out "
                    "(a new account says all)",
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
                elif ci.startswith("NL") and ci[4:7] != "ZZZ":
                    yield self._at(
                        rec,
                        path,
                        self._tolerated,
                        "creditor-id-nl",
                        f"{label} {value!r}: the business code of a Dutch creditor identifier is ZZZ, "
                        f"not {ci[4:7]!r}",
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
        if self.version == PAIN_008_001_08:
            # Structured or hybrid only (sepa-rules §1.7): rejected since 15 November 2026.
            if rec.get(prefix + "TwnNm") is None or rec.get(prefix + "Ctry") is None:
                yield self._at(
                    rec,
                    keys[0],
                    ERROR,
                    "address-structured",
                    f"{label}: no TwnNm and Ctry (unstructured); Dutch banks reject addresses "
                    "without at least TwnNm and Ctry since 15 November 2026",
                )
            if rec.get(prefix + "AdrLine#3") is not None:
                yield self._at(
                    rec,
                    prefix + "AdrLine#3",
                    ERROR,
                    "address-structured",
                    f"{label}: a hybrid address has at most 2 address lines (AdrLine)",
                )
            return True
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
                    self._tolerated if path == "CtrlSum" else ERROR,
                    "ctrl-sum" if path == "CtrlSum" else "amount",
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


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


class _Batch:
    __slots__ = (
        "charge",
        "collection_date",
        "count",
        "creditor_id",
        "ctrl",
        "nb",
        "rec",
        "sum",
        "sum_valid",
        "without_charge",
    )

    def __init__(self, rec: Record) -> None:
        self.rec = rec
        self.charge: str | None = None
        self.without_charge = 0
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
        self.groupings = _SeenHashes(with_lines=True)
        self.created: dt.date | None = None
