"""Plain data the document renderers take. No database, no UI, no fpdf."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime

MANDATE_LANGUAGES = ("nl", "en", "de")
LETTER_LANGUAGES = ("nl", "en")
SCHEMES = ("CORE", "B2B")
SEQUENCE_TYPES = ("FRST", "RCUR", "FNAL", "OOFF")

# The instruction-letter layouts the UI can offer, with a description per language.
LAYOUTS: dict[str, dict[str, str]] = {
    "standard": {
        "nl": "Formele brief: adresblok, aanhef, tabel per batch en twee handtekeningblokken",
        "en": "Formal letter: address block, salutation, table per batch and two signature blocks",
    },
    "compact": {
        "nl": "Beknopt formulier op één pagina: gegevens in vakken, tabel en handtekeningregels",
        "en": "Compact one-page form: boxed fields, table and signature rows",
    },
}


def _require(value: str, allowed: Collection[str], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}; got {value!r}")


@dataclass(frozen=True)
class Party:
    """A creditor, debtor or bank as printed: name and postal address."""

    name: str
    street: str = ""
    building_number: str = ""
    postcode: str = ""
    town: str = ""
    country: str = ""  # ISO 3166 alpha-2, e.g. "NL"


@dataclass(frozen=True)
class MandateFormData:
    """Everything printed on one mandate form (machtigingsformulier)."""

    language: str  # 'nl' | 'en' | 'de': the debtor's language
    scheme: str  # 'CORE' | 'B2B'
    recurrent: bool
    creditor: Party
    creditor_id: str
    reference: str
    reason: str  # incassoreden: from the mandate or its invoice type
    debtor: Party
    debtor_iban: str = ""  # empty for a blank form the debtor fills in
    debtor_bic: str = ""
    signed_place: str = ""
    signed_date: date | None = None

    def __post_init__(self) -> None:
        _require(self.language, MANDATE_LANGUAGES, "language")
        _require(self.scheme, SCHEMES, "scheme")


@dataclass(frozen=True)
class LetterBatch:
    """One PmtInf block of the file, as one line of the instruction letter."""

    pmt_inf_id: str
    scheme: str  # 'CORE' | 'B2B'
    seq_type: str  # FRST | RCUR | FNAL | OOFF
    collection_date: date
    count: int
    total_cents: int

    def __post_init__(self) -> None:
        _require(self.scheme, SCHEMES, "scheme")
        _require(self.seq_type, SEQUENCE_TYPES, "seq_type")
        for name in ("count", "total_cents"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(
                    f"{name} of batch {self.pmt_inf_id} must be a whole number "
                    f">= 0 (cents for amounts), got {value!r}"
                )


@dataclass(frozen=True)
class LetterAccount:
    """One creditor bank account of a file that holds several (two administrations in one
    bank group): its part of the file, printed as a section with its subtotal."""

    creditor: Party
    creditor_id: str
    iban: str
    bic: str
    batches: list[LetterBatch]
    total_count: int
    total_cents: int


@dataclass(frozen=True)
class LetterData:
    """The instruction letter (opdrachtbrief) of one pain.008 file.

    A file of one creditor bank account: `creditor`, `creditor_id`, `account_*` describe it
    and `accounts` is empty. A file of several: `creditor` is the organisation submitting
    the file, `accounts` has a section per account (its batches and subtotal) and the
    `account_*` / `creditor_id` fields are empty. Either way `batches` are all the file's
    PmtInfs and `total_count` / `total_cents` the file's group header (NbOfTxs / CtrlSum).
    """

    language: str  # 'nl' | 'en'
    layout: str  # a key of LAYOUTS
    creditor: Party
    creditor_id: str
    account_iban: str
    account_bic: str
    bank_name: str
    file_name: str
    msg_id: str
    created_at: datetime
    pain_version: str
    batches: list[LetterBatch]
    total_count: int
    total_cents: int
    sha256: str
    letter_date: date
    place: str = ""
    bank_address: Party | None = None
    contact: str = ""
    signatories: list[str] = field(default_factory=list)
    # The bank account's letter template may replace built-in texts: {text key: template}.
    text_overrides: dict[str, str] = field(default_factory=dict)
    accounts: list[LetterAccount] = field(default_factory=list)  # a file of several accounts

    def __post_init__(self) -> None:
        _require(self.language, LETTER_LANGUAGES, "language")
        _require(self.layout, LAYOUTS, "layout")
