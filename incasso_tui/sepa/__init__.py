"""The pure SEPA engine: plain dataclasses in, pain.008 files and findings out.

No database, no UI (never import peewee or textual here).  Money is integer
cents everywhere.  Rules and sources: ../shared/docs/sepa-rules.md.

Public API (import from ``incasso_tui.sepa``):

* errors:      SepaError(field, rule, value) — every refusal names field and rule
* text:        transliterate(text, max_len), preview(text, max_len) -> TextPreview
* validation:  validate_iban, validate_bic, derive_bic, validate_creditor_id,
               validate_identifier, validate_mandate_ref, validate_amount,
               validate_name, validate_remittance, format_amount, parse_amount
* dates:       is_target_day, next_target_day, add_target_days,
               earliest_collection_date, adjust_collection_date -> CollectionDate
* sequence:    choose_sequence_type, counts_as_use
* amendments:  amendment_for_change -> Amendment | None
* writing:     write_pain008(path, header, batches, version) -> WrittenFile,
               group_transactions, make_msg_id, make_pmt_inf_id, make_end_to_end_id
* reading:     read_pain008(path) -> ReadFile, iter_transactions(path)
* linting:     check_file(path) -> CheckReport (.findings, .ok, .errors),
               iter_findings(path) -> Iterator[Finding]
"""

from incasso_tui.sepa.amendment import amendment_for_change, check_amendment
from incasso_tui.sepa.batches import group_transactions
from incasso_tui.sepa.calendar import (
    DEFAULT_LEAD_DAYS,
    MIN_LEAD_DAYS,
    CollectionDate,
    add_target_days,
    adjust_collection_date,
    closing_reason,
    earliest_collection_date,
    is_target_day,
    next_target_day,
    validate_lead_days,
)
from incasso_tui.sepa.check import CheckReport, FileChecker, Finding, check_file, iter_findings
from incasso_tui.sepa.errors import SepaError
from incasso_tui.sepa.ids import make_end_to_end_id, make_msg_id, make_pmt_inf_id
from incasso_tui.sepa.model import (
    B2B,
    CORE,
    INSTRUMENTS,
    NOTPROVIDED,
    SMNDA,
    Address,
    Amendment,
    BatchInfo,
    BatchKey,
    BatchSummary,
    Creditor,
    FileHeader,
    Transaction,
    WrittenFile,
)
from incasso_tui.sepa.reader import ReadFile, iter_transactions, read_pain008
from incasso_tui.sepa.schema import NAMESPACES, SchemaInvalid, load_schema, validate_stream
from incasso_tui.sepa.sequence import (
    FNAL,
    FRST,
    MANDATE_KINDS,
    ONE_OFF,
    OOFF,
    POLICIES,
    POLICY_ALWAYS_RCUR,
    POLICY_FRST_FIRST,
    RCUR,
    RECURRENT,
    SEQUENCE_TYPES,
    choose_sequence_type,
    counts_as_use,
)
from incasso_tui.sepa.text import PLACEHOLDER, SEPA_CHARACTERS, TextPreview, preview, transliterate
from incasso_tui.sepa.validate import (
    MAX_AMOUNT_CENTS,
    NAME_MAX,
    PAIN_008_001_02,
    PAIN_008_001_08,
    REMITTANCE_MAX,
    VERSIONS,
    derive_bic,
    format_amount,
    iban_is_valid,
    parse_amount,
    same_bank,
    validate_amount,
    validate_bic,
    validate_country,
    validate_creditor_id,
    validate_currency,
    validate_iban,
    validate_identifier,
    validate_mandate_ref,
    validate_name,
    validate_remittance,
    validate_uetr,
    validate_version,
)
from incasso_tui.sepa.writer import write_pain008

__all__ = [
    "B2B",
    "CORE",
    "DEFAULT_LEAD_DAYS",
    "FNAL",
    "FRST",
    "INSTRUMENTS",
    "MANDATE_KINDS",
    "MAX_AMOUNT_CENTS",
    "MIN_LEAD_DAYS",
    "NAMESPACES",
    "NAME_MAX",
    "NOTPROVIDED",
    "ONE_OFF",
    "OOFF",
    "PAIN_008_001_02",
    "PAIN_008_001_08",
    "PLACEHOLDER",
    "POLICIES",
    "POLICY_ALWAYS_RCUR",
    "POLICY_FRST_FIRST",
    "RCUR",
    "RECURRENT",
    "REMITTANCE_MAX",
    "SEPA_CHARACTERS",
    "SEQUENCE_TYPES",
    "SMNDA",
    "VERSIONS",
    "Address",
    "Amendment",
    "BatchInfo",
    "BatchKey",
    "BatchSummary",
    "CheckReport",
    "CollectionDate",
    "Creditor",
    "FileChecker",
    "FileHeader",
    "Finding",
    "ReadFile",
    "SchemaInvalid",
    "SepaError",
    "TextPreview",
    "Transaction",
    "WrittenFile",
    "add_target_days",
    "adjust_collection_date",
    "amendment_for_change",
    "check_amendment",
    "check_file",
    "choose_sequence_type",
    "closing_reason",
    "counts_as_use",
    "derive_bic",
    "earliest_collection_date",
    "format_amount",
    "group_transactions",
    "iban_is_valid",
    "is_target_day",
    "iter_findings",
    "iter_transactions",
    "load_schema",
    "make_end_to_end_id",
    "make_msg_id",
    "make_pmt_inf_id",
    "next_target_day",
    "parse_amount",
    "preview",
    "read_pain008",
    "same_bank",
    "transliterate",
    "validate_amount",
    "validate_bic",
    "validate_country",
    "validate_creditor_id",
    "validate_currency",
    "validate_iban",
    "validate_identifier",
    "validate_lead_days",
    "validate_mandate_ref",
    "validate_name",
    "validate_remittance",
    "validate_stream",
    "validate_uetr",
    "validate_version",
    "write_pain008",
]
