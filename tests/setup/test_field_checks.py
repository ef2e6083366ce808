"""The rule of each set-up field, as a form checks it while the user types (no database)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from incasso_tui.services.organisation import check_field, check_setup_field

from .helpers import ABN_IBAN, CI, ING_IBAN, RABO_IBAN, creditor_id


def test_creditor_identifier_is_normalised_and_its_kvk_derived():
    check = check_field("administration", "creditor_id", " nl69 zzz1234 5678 0000 ")
    assert check.ok and check.value == CI and check.derived == {"kvk": "12345678"}
    assert check.warnings == ()
    # A foreign identifier passes on its own check digits.
    assert check_setup_field("administration", "creditor_id", "DE98ZZZ09999999999") is None


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("NL00ZZZ123456780000", "check digits (ISO 7064 MOD 97-10, business code excluded) do not match"),
        ("NL69ZZZ1234567800", "a Dutch creditor identifier is NLkkZZZ + KvK number (8 digits) + 4 digits"),
        ("NL69ZZZ12345678000A", "a Dutch creditor identifier is NLkkZZZ + KvK number (8 digits) + 4 digits"),
        ("69ZZZ123", "format is country code, 2 check digits, 3-character business code"),
        ("", "is empty"),
    ],
)
def test_a_bad_creditor_identifier_names_the_field_and_the_rule(value, rule):
    error = check_setup_field("administration", "creditor_id", value)
    assert error is not None and error.startswith("creditor identifier") and rule in error


def test_a_dutch_identifier_without_zzz_or_0000_is_a_warning_not_an_error():
    other_code = creditor_id("12345678", business="ABC")  # same check digits: code excluded
    check = check_field("administration", "creditor_id", other_code)
    assert check.ok and len(check.warnings) == 1
    assert "business code ABC is not ZZZ" in str(check.warnings[0])
    suffix = creditor_id("12345678", suffix="0001")
    check = check_field("administration", "creditor_id", suffix)
    assert check.ok and "ends in 0001, not the usual 0000" in str(check.warnings[0])


def test_kvk_is_eight_digits_and_matches_the_dutch_identifier():
    assert check_field("administration", "kvk", "1234 5678").value == "12345678"
    assert "must be 8 digits" in check_setup_field("administration", "kvk", "1234567")
    error = check_setup_field("administration", "kvk", "87654321", creditor_id=CI)
    assert error == (
        f"KvK number '87654321': does not match the KvK number 12345678 inside the creditor identifier {CI}"
    )
    assert check_setup_field("administration", "kvk", "12345678", creditor_id=CI.lower()) is None
    assert check_setup_field("administration", "kvk", "87654321", creditor_id="DE98ZZZ09999999999") is None


def test_iban_is_checked_its_bic_derived_and_its_bank_recognised():
    check = check_field("bank_account", "iban", ABN_IBAN.lower())
    assert check.ok and check.value == ABN_IBAN
    assert check.derived == {"bic": "ABNANL2A", "bank": "ABN AMRO", "profile": "ABN"}
    bad = ABN_IBAN[:-1] + str((int(ABN_IBAN[-1]) + 1) % 10)
    assert (
        check_setup_field("bank_account", "iban", bad) == f"IBAN {bad!r}: checksum (MOD 97-10) does not match"
    )
    # An account at another bank than its bank group's profile: a warning naming both.
    check = check_field("bank_account", "iban", ABN_IBAN, bank_group="ING", bank_group_profile="ING")
    assert check.ok and "at ABN AMRO, but bank group ING has profile ING" in str(check.warnings[0])
    assert (
        check_field("bank_account", "iban", ABN_IBAN, bank_group="E", bank_group_profile="EQUENS").warnings
        == ()
    )
    assert (
        check_field("bank_account", "iban", ING_IBAN, bank_group="I", bank_group_profile="ING").warnings == ()
    )


def test_pain_version_must_be_one_the_profile_accepts():
    assert check_field("bank_group", "pain", "08", profile="ING").value == "pain.008.001.08"
    assert check_field("bank_group", "pain", "pain.008.001.02", profile="RABO").value == "pain.008.001.02"
    error = check_setup_field("bank_group", "pain", "08", profile="RABO")
    assert error.startswith(
        "pain version 'pain.008.001.08': Rabobank (profile RABO) accepts only pain.008.001.02"
    )
    assert "must be 02 or 08" in check_setup_field("bank_group", "pain", "09")
    assert "must be one of ABN, ING, RABO, EQUENS, OTHER" in check_setup_field(
        "bank_group", "profile", "bunq"
    )


def test_file_limit_and_lead_days_are_positive_whole_numbers():
    assert check_field("bank_group", "max_per_file", "1500", profile="RABO").value == 1500
    check = check_field("bank_group", "max_per_file", "2000", profile="RABO")
    assert check.ok and "above the 1500 transactions per file Rabobank accepts" in str(check.warnings[0])
    assert "from 1 to" in check_setup_field("bank_group", "max_per_file", "-3")
    assert "from 1 to" in check_setup_field("bank_group", "max_per_file", "1.5")
    assert check_field("bank_group", "max_per_file", "").value is None  # back to the profile's
    assert check_field("bank_group", "lead_days", "3").value == 3
    assert "lead days '0': must be a whole number of TARGET2 days from 1" in check_setup_field(
        "bank_group", "lead_days", "0"
    )


def test_send_command_is_an_argument_list_with_file_split_like_a_shell():
    check = check_field("bank_group", "send_command", "scp -q '{file}' 'bank host:in box/'")
    assert check.value == ["scp", "-q", "{file}", "bank host:in box/"]
    # Several arguments (the CLI's nargs) stay as they are; one is split.
    assert check_field("bank_group", "send_command", ["cp", "{file}", "/a b/"]).value == [
        "cp",
        "{file}",
        "/a b/",
    ]
    assert check_field("bank_group", "send_command", ["cp {file} /x"]).value == ["cp", "{file}", "/x"]
    assert "must contain {file}" in check_setup_field("bank_group", "send_command", "scp x host:")
    assert "check the quotes" in check_setup_field("bank_group", "send_command", "scp '{file}")
    check = check_field("bank_group", "send_command", "no-such-program-here {file}")
    assert check.ok and "'no-such-program-here' is not found on this host" in str(check.warnings[0])
    assert check_field("bank_group", "send_command", [sys.executable, "{file}"]).warnings == ()
    assert check_field("bank_group", "send_command", "").value is None


def test_delivery_directory_must_exist_and_be_writable(tmp_path):
    check = check_field("bank_group", "delivery_dir", str(tmp_path))
    assert check.ok and check.value == str(tmp_path)
    missing = tmp_path / "missing"
    assert check_setup_field("bank_group", "delivery_dir", str(missing)) == (
        f"delivery directory {str(missing)!r}: does not exist (create it first, or mount the share)"
    )
    (tmp_path / "file").write_text("x")
    assert "is not a directory" in check_setup_field("bank_group", "delivery_dir", str(tmp_path / "file"))
    # Not writable: a directory of the kernel's (even root may not create files there).
    if Path("/proc/1").is_dir() and not os.access("/proc/1", os.W_OK):
        assert "is not writable" in check_setup_field("bank_group", "delivery_dir", "/proc/1")


def test_amounts_in_dutch_or_english_notation_become_cents():
    for text in ("2.500,00", "2500.00", "2500", "2500,0"):
        assert check_field("bank_account", "max_per_transaction", text).value == 250000, text
    assert check_field("bank_account", "max_per_month", "").value is None
    error = check_setup_field("bank_account", "max_per_month", "twee")
    assert error.startswith("maximum per month 'twee': ")


def test_codes_names_and_the_letter_template():
    assert check_field("administration", "code", " zon-1 ").value == "ZON-1"
    assert "use 1-20 letters" in check_setup_field("administration", "code", "Z ON")
    assert "is required" in check_setup_field("administration", "name", "  ")
    assert "maximum 70" in check_setup_field("administration", "name", "x" * 71)
    assert "letters or digits" in check_setup_field("organisation", "name", "???")
    assert "must be one of standard, compact" in check_setup_field("bank_account", "letter_template", "fancy")
    assert "control characters" in check_setup_field("bank_account", "contact", "a\x1b[2Jb")
    with pytest.raises(ValueError):
        check_field("administration", "colour", "blue")


def test_rabo_iban_recognised_for_a_rabo_group():
    assert (
        check_field("bank_account", "iban", RABO_IBAN, bank_group="R", bank_group_profile="RABO").warnings
        == ()
    )


def test_the_amount_rule_is_the_public_one_of_the_orders():
    from incasso_tui.services.collection.orders import parse_cents

    assert parse_cents("2.500,00", "maximum per month") == 250000 == parse_cents(250000)
    assert check_setup_field("bank_account", "max_per_month", "0") == (
        "maximum per month '0': must be between 0,01 and 999.999.999,99"
    )


def test_the_set_up_services_import_no_private_name_of_another_module():
    import ast

    package = Path(check_field.__code__.co_filename).parent
    private = []
    for path in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                private += [
                    f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")
                ]
    assert private == []
