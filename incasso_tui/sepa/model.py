"""Plain input/output data of the SEPA engine: no database, no UI.

Money is integer cents.  Text fields hold what the application stores (with
accents and all); the writer transliterates names and remittance text, and
refuses identifiers, IBANs and the like that are invalid (it never "fixes" them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from incasso_tui.sepa.sequence import SEQUENCE_TYPES

CORE, B2B = "CORE", "B2B"
INSTRUMENTS = (CORE, B2B)
NOTPROVIDED = "NOTPROVIDED"  # FinInstnId/Othr/Id when there is no BIC
SMNDA = "SMNDA"  # "same mandate, new debtor account" in OrgnlDbtrAcct/Id/Othr/Id


@dataclass(frozen=True, slots=True)
class Address:
    """Structured or hybrid postal address (at least town and country).

    Written as StrtNm, BldgNb, PstCd, TwnNm, Ctry and up to two AdrLine (hybrid).
    Only needed for debtors whose bank is outside the EEA (sepa-rules.md §1.7).
    """

    country: str
    town: str
    street: str | None = None
    building_number: str | None = None
    postcode: str | None = None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Creditor:
    """The creditor of a PmtInf: administration name, account and Incassant ID."""

    name: str
    iban: str
    creditor_id: str
    bic: str | None = None
    address: Address | None = None


@dataclass(frozen=True, slots=True)
class BatchKey:
    """Everything that is per PmtInf; one PmtInf per distinct key."""

    creditor: Creditor
    instrument: str  # CORE or B2B
    sequence_type: str  # FRST, RCUR, OOFF, FNAL
    collection_date: dt.date
    batch_booking: bool = True

    def sort_key(self) -> tuple[dt.date, int, str, str, str, str, str, bool, str]:
        """The deterministic PmtInf order: date, sequence type, creditor account."""
        c = self.creditor
        seq = (
            SEQUENCE_TYPES.index(self.sequence_type)
            if self.sequence_type in SEQUENCE_TYPES
            else len(SEQUENCE_TYPES)
        )
        return (
            self.collection_date,
            seq,
            self.sequence_type,
            self.instrument,
            c.iban,
            c.bic or "",
            c.creditor_id,
            not self.batch_booking,
            c.name,
        )


@dataclass(frozen=True, slots=True)
class BatchInfo:
    """A PmtInf's key and totals, known before its transactions are written.

    The caller takes the totals from an aggregate query; the writer refuses the
    file when the transactions do not add up to them.  ``pmt_inf_id`` defaults
    to ``<MsgId>-<n>`` in the file's PmtInf order.
    """

    key: BatchKey
    nb_of_txs: int
    ctrl_sum_cents: int
    pmt_inf_id: str | None = None


@dataclass(frozen=True, slots=True)
class Amendment:
    """What changed since the last collection (AmdmntInfDtls); sepa-rules.md §5.2.

    Use ``amendment_for_change()`` to build one from the old and new mandate data.
    ``original_debtor_iban`` (same bank) and ``new_debtor_account`` (SMNDA,
    another bank) exclude each other.
    """

    original_mandate_id: str | None = None
    original_creditor_id: str | None = None
    original_creditor_name: str | None = None
    original_debtor_iban: str | None = None
    new_debtor_account: bool = False  # OrgnlDbtrAcct/Id/Othr/Id = SMNDA

    @property
    def is_empty(self) -> bool:
        return not (
            self.original_mandate_id
            or self.original_creditor_id
            or self.original_creditor_name
            or self.original_debtor_iban
            or self.new_debtor_account
        )


@dataclass(slots=True)
class Transaction:
    """One DrctDbtTxInf."""

    end_to_end_id: str
    amount_cents: int
    mandate_id: str
    mandate_date: dt.date  # date of signature
    debtor_name: str
    debtor_iban: str
    debtor_bic: str | None = None  # None -> NOTPROVIDED
    remittance: str | None = None  # RmtInf/Ustrd, ≤ 140 after transliteration
    amendment: Amendment | None = None  # AmdmntInd true exactly when not empty
    debtor_address: Address | None = None
    ultimate_debtor_name: str | None = None  # e.g. the member when a parent pays
    instruction_id: str | None = None  # PmtId/InstrId
    uetr: str | None = None  # PmtId/UETR, pain.008.001.08 only


@dataclass(frozen=True, slots=True)
class FileHeader:
    """GrpHdr: the message id and creation time are given, so output is reproducible."""

    msg_id: str
    created_at: dt.datetime  # written as YYYY-MM-DDThh:mm:ss (local time, no zone)
    initiating_party_name: str
    initiating_party_id: str | None = None  # InitgPty/Id/OrgId/Othr/Id, only if the bank asks


@dataclass(frozen=True, slots=True)
class BatchSummary:
    pmt_inf_id: str
    key: BatchKey
    nb_of_txs: int
    ctrl_sum_cents: int


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """What the writer reports after the file is in place under its final name."""

    path: str
    sha256: str
    size: int
    version: str
    msg_id: str
    nb_of_txs: int
    ctrl_sum_cents: int
    batches: tuple[BatchSummary, ...] = field(default_factory=tuple)
