"""Valid identifiers for the set-up tests, computed (never copied from library examples,
several of which fail their own check digits: sepa-rules §2.2)."""

from __future__ import annotations

from schwifty import IBAN
from stdnum.eu import at_02


def creditor_id(kvk: str, business: str = "ZZZ", suffix: str = "0000", country: str = "NL") -> str:
    national = f"{kvk}{suffix}"
    return f"{country}{at_02.calc_check_digits(f'{country}00ZZZ{national}')}{business}{national}"


def iban(bank: str, account: str) -> str:
    return str(IBAN.generate("NL", bank_code=bank, account_code=account))


CI = creditor_id("12345678")  # NL69ZZZ123456780000 (sepa-rules §2.2 gives the same)
CI_2 = creditor_id("30123456")  # NL66ZZZ301234560000
ABN_IBAN = iban("ABNA", "0417164300")
ING_IBAN = iban("INGB", "0001234567")
RABO_IBAN = iban("RABO", "0123456789")
