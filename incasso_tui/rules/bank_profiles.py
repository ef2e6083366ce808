"""Built-in bank profiles: what a creditor bank accepts in a pain.008 file, with where each
value comes from. A bank group names its profile and may override any value.

The per-file maxima are the ones AFAS Profit documents for "Bankopdrachtset inrichten"
(cited in issue #10); pain versions, B2B and lead days follow sepa-rules.md §1.1, §4.1, §7.
"""

from __future__ import annotations

from dataclasses import dataclass

PAIN_02 = "pain.008.001.02"
PAIN_08 = "pain.008.001.08"
# The short forms `--pain 02|08` accepts.
PAIN_SHORT = {"02": PAIN_02, "08": PAIN_08}

_AFAS = 'AFAS Profit documentation, "Bankopdrachtset inrichten" (per-file maximum per bank)'
_LEAD = "sepa-rules §4.1: app default 2 TARGET2 days (interbank D-1; banks keep their own cut-off)"


@dataclass(frozen=True)
class BankProfile:
    code: str  # ABN / ING / RABO / EQUENS / OTHER
    name: str
    max_per_file: int | None  # transactions per file; None: no limit known
    pain_versions: tuple[str, ...]  # what the bank accepts
    default_pain: str
    b2b: bool  # offers the B2B scheme (Zakelijke Europese incasso)
    lead_days: int
    bank_codes: tuple[str, ...]  # the bank code in a Dutch IBAN (NLkk BANK …)
    sources: dict[str, str]  # value name -> where it comes from

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "max_per_file": self.max_per_file,
            "pain_versions": list(self.pain_versions),
            "default_pain": self.default_pain,
            "b2b": self.b2b,
            "lead_days": self.lead_days,
            "bank_codes": list(self.bank_codes),
            "sources": dict(self.sources),
        }


PROFILES: dict[str, BankProfile] = {
    p.code: p
    for p in (
        BankProfile(
            "ABN",
            "ABN AMRO",
            3000,
            (PAIN_02, PAIN_08),
            PAIN_02,
            True,
            2,
            ("ABNA",),
            {
                "max_per_file": _AFAS,
                "pain_versions": "sepa-rules §1.1: NL IG pain.008.001.02; EPC 2023 rulebooks pain.008.001.08",
                "b2b": "sepa-rules §7: 'SEPA Incasso Bedrijven' at ABN AMRO",
                "lead_days": _LEAD,
            },
        ),
        BankProfile(
            "ING",
            "ING",
            5000,
            (PAIN_02, PAIN_08),
            PAIN_02,
            True,
            2,
            ("INGB",),
            {
                "max_per_file": _AFAS,
                "pain_versions": "sepa-rules §1.1 [ING-2019]: 2019 version next to the 2009 version since 17-03-2024",
                "b2b": "sepa-rules §7: Zakelijke Europese incasso",
                "lead_days": _LEAD,
            },
        ),
        BankProfile(
            "RABO",
            "Rabobank",
            1500,
            (PAIN_02,),
            PAIN_02,
            True,
            2,
            ("RABO",),
            {
                "max_per_file": _AFAS,
                "pain_versions": "sepa-rules §1.1 [RABO-DD]: Rabobank format description v2.6 documents pain.008.001.02",
                "b2b": "sepa-rules §7 [RABO-manual]: 'Business Euro Direct Debit'",
                "lead_days": "sepa-rules §4.1 [allsolutions]: Rabobank kept 2 working days",
            },
        ),
        BankProfile(
            "EQUENS",
            "equensWorldline",
            100000,
            (PAIN_02,),
            PAIN_02,
            True,
            2,
            (),
            {
                "max_per_file": _AFAS,
                "pain_versions": "sepa-rules §7 [EQUENS]: Corporate Payment Services, NL IG pain.008.001.02",
                "b2b": "sepa-rules §7: forwarded to the account-holding bank",
                "lead_days": _LEAD,
            },
        ),
        BankProfile(
            "OTHER",
            "Other bank",
            None,
            (PAIN_02, PAIN_08),
            PAIN_02,
            True,
            2,
            (),
            {
                "max_per_file": "no limit known: set --max-per-file from the bank's documentation",
                "pain_versions": "sepa-rules §1.1: default pain.008.001.02, option pain.008.001.08",
                "b2b": "sepa-rules §5.3: B2B where the contract allows it",
                "lead_days": _LEAD,
            },
        ),
    )
}
PROFILE_CODES = tuple(PROFILES)


def get_profile(code: str) -> BankProfile:
    return PROFILES.get((code or "").upper(), PROFILES["OTHER"])


def profile_for_iban(iban: str) -> str | None:
    """The profile of the bank holding a Dutch IBAN (ABN, ING, RABO), else None."""
    compact = (iban or "").replace(" ", "").upper()
    if not compact.startswith("NL") or len(compact) < 8:
        return None
    bank = compact[4:8]
    for profile in PROFILES.values():
        if bank in profile.bank_codes:
            return profile.code
    return None


def max_per_file(profile_code: str, override: int | None) -> int | None:
    """The transactions one file may hold for a bank group: its own value, else its profile's."""
    return override if override else get_profile(profile_code).max_per_file
