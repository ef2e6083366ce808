"""Validators: the normalised value, or a SepaError naming the field and the rule."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from schwifty import IBAN
from schwifty import registry as schwifty_registry

from incasso_tui.sepa import (
    SepaError,
    derive_bic,
    format_amount,
    iban_is_valid,
    make_end_to_end_id,
    make_msg_id,
    make_pmt_inf_id,
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


def rule_of(excinfo) -> str:
    return excinfo.value.rule


# ------------------------------------------------------------------ SepaError


def test_sepa_error_names_field_and_rule():
    with pytest.raises(SepaError) as e:
        validate_iban("NL91ABNA0417164301", "debtor IBAN")
    assert str(e.value) == "debtor IBAN 'NL91ABNA0417164301': checksum (MOD 97-10) does not match"
    assert e.value.field == "debtor IBAN"
    assert e.value.rule == "checksum (MOD 97-10) does not match"
    assert e.value.value == "NL91ABNA0417164301"
    assert isinstance(e.value, ValueError)
    located = e.value.located("transaction 3")
    assert str(located).startswith("transaction 3: debtor IBAN 'NL91ABNA0417164301'")


# ------------------------------------------------------------------ IBAN


def test_iban_is_normalised():
    assert validate_iban("nl91 abna 0417 1643 00") == "NL91ABNA0417164300"
    assert validate_iban("  DE89 3704 0044 0532 0130 00\t") == "DE89370400440532013000"


@pytest.mark.parametrize(
    "value, rule",
    [
        ("NL91ABNA0417164301", "checksum (MOD 97-10) does not match"),
        ("NL91ABNA041716430", "has 17 characters; a NL IBAN has 18"),
        ("XX91ABNA0417164300", "unknown country code 'XX'"),
        ("NL91ABNA04171643OO", "invalid structure"),
        ("", "is empty"),
        ("   ", "is empty"),
    ],
)
def test_iban_refusals(value, rule):
    with pytest.raises(SepaError) as e:
        validate_iban(value, "debtor IBAN")
    assert rule_of(e).startswith(rule)
    assert e.value.field == "debtor IBAN"


def test_fast_iban_check_agrees_with_schwifty():
    rng = random.Random(7)
    countries = (
        sorted(schwifty_registry.get_countries())
        if hasattr(schwifty_registry, "get_countries")
        else ["NL", "DE", "BE", "FR", "GB", "IT", "ES"]
    )
    for cc in countries:
        for i in range(30):
            try:
                iban = str(IBAN.random(country_code=cc, random=rng))
            except Exception:  # countries schwifty cannot generate
                break
            if i % 2:  # a mutation: mostly invalid, sometimes still valid
                pos = rng.randrange(len(iban))
                iban = iban[:pos] + rng.choice("0123456789ABCDEFXYZ") + iban[pos + 1 :]
            try:
                IBAN(iban)
                expected = True
            except Exception:
                expected = False
            assert iban_is_valid(iban) is expected, iban


@settings(max_examples=300, deadline=None)
@given(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=5, max_size=34))
def test_fast_iban_check_agrees_with_schwifty_on_noise(text):
    try:
        IBAN(text)
        expected = True
    except Exception:
        expected = False
    assert iban_is_valid(text) is expected


def test_fast_iban_check_wants_normalised_input():
    assert iban_is_valid("NL91ABNA0417164300")
    assert not iban_is_valid("nl91abna0417164300")
    assert not iban_is_valid("NL91 ABNA 0417 1643 00")


def test_same_bank():
    assert same_bank("NL91ABNA0417164300", "NL02ABNA0123456789")
    assert not same_bank("NL91ABNA0417164300", "NL20INGB0001234567")


# ------------------------------------------------------------------ BIC


def test_bic_is_normalised():
    assert validate_bic("ingb nl2a") == "INGBNL2A"
    assert validate_bic("RABONL2UXXX") == "RABONL2UXXX"


@pytest.mark.parametrize(
    "value, rule",
    [
        ("INGBNL2", "must be 8 or 11 characters"),
        ("INGBXX2A", "unknown country code 'XX'"),
        ("ING!NL2A", "is not a BIC"),
        ("", "is empty"),
    ],
)
def test_bic_refusals(value, rule):
    with pytest.raises(SepaError) as e:
        validate_bic(value, "debtor BIC")
    assert rule_of(e).startswith(rule)


def test_bic_version_patterns():
    # ISO 9362:2014 allows digits in the bank code: fine for .08, not for the .02 XSD
    assert validate_bic("1NGBNL2A", version="pain.008.001.08") == "1NGBNL2A"
    with pytest.raises(SepaError) as e:
        validate_bic("1NGBNL2A", "debtor BIC", version="pain.008.001.02")
    assert "pain.008.001.02" in rule_of(e)


def test_derive_bic_from_dutch_iban():
    assert derive_bic("NL91ABNA0417164300") == "ABNANL2A"
    assert derive_bic("nl20 ingb 0001 2345 67") == "INGBNL2A"
    assert derive_bic("DE89370400440532013000") is None  # only Dutch by default
    assert derive_bic("DE89370400440532013000", any_country=True) == "COBADEFFXXX"
    assert derive_bic("NL91ABNA0417164301") is None  # invalid IBAN: nothing derived


# ------------------------------------------------------------------ creditor identifier


@pytest.mark.parametrize(
    "value",
    [
        "NL16ZZZ300384870000",
        "DE98ZZZ09999999999",
        "NL69ZZZ123456780000",
        "NL66ZZZ301234560000",
        "ES23ZZZ47690558N",
    ],
)
def test_valid_creditor_ids(value):
    assert validate_creditor_id(value) == value


def test_creditor_id_normalised_and_business_code_excluded():
    assert validate_creditor_id(" nl16 zzz 3003 8487 0000 ") == "NL16ZZZ300384870000"
    # the business code is not part of the checksum: another code is still valid
    assert validate_creditor_id("NL16ABC300384870000") == "NL16ABC300384870000"


@pytest.mark.parametrize(
    "value, rule",
    [
        ("NL97ZZZ123456780001", "check digits (ISO 7064 MOD 97-10, business code excluded) do not match"),
        ("DE26ZZZ00000000000", "check digits"),
        ("NL16ZZZ30038487000", "a Dutch creditor identifier is NLkkZZZ"),
        ("NL16ZZZ3003848700AB", "a Dutch creditor identifier is NLkkZZZ"),
        ("16NLZZZ300384870000", "format is country code"),
        ("NL16ZZZ" + "1" * 29, "is 36 characters long"),
        ("", "is empty"),
    ],
)
def test_creditor_id_refusals(value, rule):
    with pytest.raises(SepaError) as e:
        validate_creditor_id(value)
    assert rule_of(e).startswith(rule)
    assert e.value.field == "creditor identifier"


# ------------------------------------------------------------------ identifiers


@pytest.mark.parametrize("value", ["E2E-42-000001", "A", "a b/c?d:e(f)g.h,i'j+k-l", "X" * 35])
def test_valid_identifiers(value):
    assert validate_identifier(value, "EndToEndId") == value


@pytest.mark.parametrize(
    "value, rule",
    [
        ("", "is empty"),
        ("X" * 36, "is 36 characters long (maximum 35)"),
        ("E2E_1", "contains '_'"),
        ("Fa\u00e7ade", "contains 'ç'"),
        ("/E2E-1", "must not start or end with '/'"),
        ("E2E-1/", "must not start or end with '/'"),
        ("E2E//1", "must not contain '//'"),
    ],
)
def test_identifier_refusals(value, rule):
    with pytest.raises(SepaError) as e:
        validate_identifier(value, "EndToEndId")
    assert rule_of(e).startswith(rule)


def test_mandate_reference_allows_no_space():
    assert validate_mandate_ref("MDT-2026/001") == "MDT-2026/001"
    with pytest.raises(SepaError) as e:
        validate_mandate_ref("MDT 2026")
    assert rule_of(e) == "contains a space (not allowed in a mandate reference)"
    for bad in ("/MDT", "MDT//1", "MDT&1", "M" * 36):
        with pytest.raises(SepaError):
            validate_mandate_ref(bad)


def test_id_helpers_make_valid_ids():
    import datetime as dt

    msg_id = make_msg_id(42, dt.datetime(2026, 3, 2, 10, 15))
    assert msg_id == "INC-42-20260302101500"
    assert make_pmt_inf_id(msg_id, 3) == "INC-42-20260302101500-3"
    long = make_pmt_inf_id("M" * 35, 12)
    assert len(long) == 35 and long.endswith("-12")
    assert make_end_to_end_id(42, 1001) == "42-1001"


# ------------------------------------------------------------------ amounts


@pytest.mark.parametrize("cents", [1, 100, 99_999_999_999])
def test_valid_amounts(cents):
    assert validate_amount(cents) == cents


@pytest.mark.parametrize(
    "value, rule",
    [
        (0, "must be at least 0.01 EUR"),
        (-5, "must be at least 0.01 EUR"),
        (100_000_000_000, "must be at most 999999999.99 EUR"),
        (12.5, "must be an integer number of cents, not float"),
        (True, "must be an integer number of cents, not bool"),
        ("1250", "must be an integer number of cents, not str"),
    ],
)
def test_amount_refusals(value, rule):
    with pytest.raises(SepaError) as e:
        validate_amount(value, "amount")
    assert rule_of(e).startswith(rule)


def test_amount_text():
    assert format_amount(1) == "0.01"
    assert format_amount(1250) == "12.50"
    assert format_amount(99_999_999_999) == "999999999.99"
    assert parse_amount("12.5") == 1250 and parse_amount("12") == 1200
    assert parse_amount("0.01") == 1
    for bad in ("12.345", "-1.00", "1,00", "abc", ""):
        with pytest.raises(SepaError):
            parse_amount(bad)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_amount_text_round_trip(cents):
    assert parse_amount(format_amount(cents)) == cents


def test_currency_is_eur_only():
    assert validate_currency("EUR") == "EUR"
    with pytest.raises(SepaError) as e:
        validate_currency("USD")
    assert rule_of(e) == "SEPA direct debits are in EUR only"


# ------------------------------------------------------------------ text fields


def test_names_and_remittance():
    assert validate_name("José Müller", "debtor name") == "Jose Muller"
    assert len(validate_name("Vereniging " * 10, "debtor name")) <= 70
    with pytest.raises(SepaError) as e:
        validate_name("  ", "debtor name")
    assert rule_of(e) == "is empty"
    with pytest.raises(SepaError) as e:
        validate_name("★★★", "debtor name")
    assert "no letters or digits" in rule_of(e)
    assert validate_remittance("Factuur — 12 € & meer " * 10).startswith("Factuur - 12 EUR + meer")
    assert len(validate_remittance("x" * 300)) == 140
    assert validate_remittance(None) is None and validate_remittance("   ") is None


def test_other_fields():
    assert (
        validate_uetr("8A562C67-CA16-48BA-B074-65581BE6F001".lower())
        == "8a562c67-ca16-48ba-b074-65581be6f001"
    )
    with pytest.raises(SepaError):
        validate_uetr("8a562c67-ca16-38ba-b074-65581be6f001")  # not version 4
    assert validate_country("nl") == "NL"
    with pytest.raises(SepaError):
        validate_country("NLD")
    assert validate_version("pain.008.001.08") == "pain.008.001.08"
    with pytest.raises(SepaError) as e:
        validate_version("pain.008.001.09")
    assert e.value.field == "pain.008 version"
