"""`iban_is_valid` (the checker's and writer's fast path) gives schwifty's verdict."""

from hypothesis import given, settings
from hypothesis import strategies as st
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from incasso_tui.sepa import iban_is_valid

VALID = [
    "NL91ABNA0417164300",
    "DE89370400440532013000",
    "BE68539007547034",
    "FR1420041010050500013M02606",
    "GB29NWBK60161331926819",
    "IT60X0542811101000000123456",
    "ES9121000418450200051332",
    "AT611904300234573201",
    "CH9300762011623852957",
    "MT84MALT011000012345MTLCAST001S",
]


def schwifty_ok(iban: str) -> bool:
    try:
        IBAN(iban)
        return True
    except SchwiftyException:
        return False


@settings(max_examples=400, deadline=None)
@given(base=st.sampled_from(VALID), pos=st.integers(0, 33), char=st.sampled_from("0123456789ABCZ"))
def test_same_verdict_as_schwifty_on_mutations(base, pos, char):
    mutated = base[:pos] + char + base[pos + 1 :] if pos < len(base) else base + char
    assert iban_is_valid(mutated) == schwifty_ok(mutated), mutated


def test_valid_examples():
    assert all(iban_is_valid(i) and schwifty_ok(i) for i in VALID)
