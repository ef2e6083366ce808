"""Every rule text the set-up checks can give has a Dutch translation that keeps its values.

The rule texts are collected from the sources that raise them (the field checks and the
text, SEPA and amount rules they call, and the set-up services), each filled with a sample
value, and must each be taken apart into a template of services/organisation/rule_texts.py
that the Dutch catalogue translates with the same placeholders."""

from __future__ import annotations

import ast
import inspect
import string
import textwrap

import pytest

from incasso_tui import i18n
from incasso_tui.core import terminal_text
from incasso_tui.sepa import validate
from incasso_tui.services import input_rules
from incasso_tui.services.collection import orders
from incasso_tui.services.organisation import (
    administrations,
    bank_accounts,
    bank_groups,
    check_field,
    field_checks,
    invoice_types,
    rule_parts,
)
from incasso_tui.services.organisation.rule_texts import FIELD_RULES, FIELD_WARNINGS, TEMPLATES

from .helpers import ABN_IBAN, CI

NL = i18n.catalogue("nl")  # the Dutch .po (incasso_tui/locale)

SAMPLE = "7"  # what each value of a rule is filled with


def _names(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def _skeleton(node: ast.expr) -> str | None:
    """A rule as the code builds it, with SAMPLE for each value; None when not built here."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else SAMPLE for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _skeleton(node.left), _skeleton(node.right)
        if left is None and right is None:
            return None
        return (left if left is not None else SAMPLE) + (right if right is not None else SAMPLE)
    return None


def _rules_in(source: str) -> set[str]:
    """The rules of ValidationError/SepaError/SetupWarning(field, rule, …) and c.add(field,
    rule, …) calls, of `rule = …` assignments and of returned texts (unsafe_rule)."""
    found = set()
    for node in ast.walk(ast.parse(textwrap.dedent(source))):
        rule: ast.expr | None = None
        if isinstance(node, ast.Call) and len(node.args) >= 2:
            callee = node.func
            name = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", "")
            if name in ("ValidationError", "SepaError", "SetupWarning", "add"):
                rule = node.args[1]
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "rule" for target in node.targets
        ):
            rule = node.value
        elif isinstance(node, ast.Return) and node.value is not None:
            rule = node.value if isinstance(node.value, ast.JoinedStr) else None
        text = _skeleton(rule) if rule is not None else None
        if text is not None:
            found.add(text)
    return found


def raised_rules() -> set[str]:
    """Every rule text the set-up checks and services can give, with sample values."""
    sources = [
        inspect.getsource(field_checks),
        inspect.getsource(administrations),
        inspect.getsource(bank_accounts),
        inspect.getsource(bank_groups),
        inspect.getsource(invoice_types),
        inspect.getsource(orders.parse_cents),
        inspect.getsource(input_rules.text),
        inspect.getsource(input_rules.from_sepa),
        inspect.getsource(terminal_text.unsafe_rule),
        *(
            inspect.getsource(fn)
            for fn in (
                validate.validate_creditor_id,
                validate.validate_iban,
                validate.validate_bic,
                validate._check_version,
                validate.validate_name,
                validate.validate_country,
                validate.parse_amount,
            )
        ),
    ]
    found: set[str] = set()
    for source in sources:
        found |= _rules_in(source)
    # Texts that are not rules: the field labels, a derived BIC's own message.
    return {text for text in found if " " in text}


def test_every_template_has_its_dutch_with_the_same_values():
    assert [x for x in TEMPLATES if x not in NL] == []
    assert [x for x in TEMPLATES if _names(x) != _names(NL[x])] == []
    assert len(set(TEMPLATES)) == len(TEMPLATES)


def test_every_rule_text_the_set_up_can_give_is_a_translated_template():
    rules = raised_rules()
    assert len(rules) > 50  # the collection found the rules (a broken one finds few)
    unknown = sorted(rule for rule in rules if rule_parts(rule)[0] not in TEMPLATES)
    assert unknown == []


# A value for each rule of the field checks that breaks it: (kind, field, value, context).
BROKEN = [
    ("organisation", "name", "", {}),
    ("organisation", "name", "x" * 71, {}),
    ("organisation", "name", "???", {}),
    ("administration", "code", "Z ON", {}),
    ("administration", "name", "a\x1bb", {}),
    ("administration", "name", "a\u202eb", {}),
    ("administration", "name", "a\udcffb", {}),
    ("administration", "creditor_id", "", {}),
    ("administration", "creditor_id", "NL69ZZZ12345678000000000000000000000", {}),
    ("administration", "creditor_id", "69ZZZ123", {}),
    ("administration", "creditor_id", "NL69ZZZ1234567800", {}),
    ("administration", "creditor_id", "NL00ZZZ123456780000", {}),
    ("administration", "kvk", "1234567", {}),
    ("administration", "kvk", "87654321", {"creditor_id": CI}),
    ("administration", "country", "Nederland", {}),
    ("bank_group", "profile", "bunq", {}),
    ("bank_group", "pain", "09", {}),
    ("bank_group", "pain", "08", {"profile": "RABO"}),
    ("bank_group", "max_per_file", "-3", {}),
    ("bank_group", "lead_days", "0", {}),
    ("bank_group", "delivery_dir", "/no/such/directory/here", {}),
    ("bank_group", "delivery_dir", "/etc/hostname", {}),
    ("bank_group", "send_command", "scp '{file}", {}),
    ("bank_group", "send_command", "scp x host:", {}),
    ("bank_group", "send_command", "''", {}),
    ("bank_group", "send_command", 42, {}),
    ("bank_account", "iban", ABN_IBAN[:-1] + str((int(ABN_IBAN[-1]) + 1) % 10), {}),
    ("bank_account", "iban", "XX91ABNA0417164300", {}),
    ("bank_account", "iban", ABN_IBAN + "1", {}),
    ("bank_account", "iban", "NL91ABNA04171643AB", {}),
    ("bank_account", "iban", "BR1500000000000010932840814P2", {}),
    ("bank_account", "bic", "ABNANL2", {}),
    ("bank_account", "bic", "ABNAXX2A", {}),
    ("bank_account", "bic", "ABNA1L2A", {}),
    ("bank_account", "bic", "A1NANL2A", {"pain_version": "pain.008.001.02"}),
    ("bank_account", "bic", "ABNANL2A", {"pain_version": "pain.008.001.09"}),
    ("bank_account", "letter_template", "fancy", {}),
    ("bank_account", "signatories", 42, {}),
    ("bank_account", "max_per_month", "twee", {}),
    ("bank_account", "max_per_month", "0", {}),
]


@pytest.mark.parametrize(("kind", "field", "value", "context"), BROKEN)
def test_a_broken_rule_reads_in_dutch_with_its_values_kept(kind, field, value, context):
    check = check_field(kind, field, value, **context)
    assert check.error is not None
    template, values = rule_parts(check.error.rule)
    assert template in FIELD_RULES, check.error.rule
    i18n.set_language("nl")
    dutch = i18n.t(template, **values) if values else i18n.t(template)
    assert dutch == (NL[template].format(**values) if values else NL[template])
    assert dutch != check.error.rule  # not left in English
    for value_given in values.values():
        assert value_given in dutch


def test_the_warnings_while_typing_read_in_dutch_too():
    from .helpers import RABO_IBAN, creditor_id

    checks = [
        check_field("administration", "creditor_id", creditor_id("12345678", business="ABC")),
        check_field("administration", "creditor_id", creditor_id("12345678", suffix="0001")),
        check_field("bank_group", "max_per_file", "2000", profile="RABO"),
        check_field("bank_group", "lead_days", "1", profile="ABN"),
        check_field("bank_group", "send_command", "no-such-program-here {file}"),
        check_field("bank_account", "iban", RABO_IBAN, bank_group="A", bank_group_profile="ABN"),
    ]
    templates = []
    for check in checks:
        assert check.ok and len(check.warnings) == 1
        template, values = rule_parts(check.warnings[0].rule)
        assert values  # each names what it is about
        templates.append(template)
    assert sorted(templates) == sorted(FIELD_WARNINGS)


def test_an_unknown_rule_comes_back_as_it_is():
    assert rule_parts("is round") == ("is round", {})
    # A literal {file} in a rule is no value: the rule is a template as it stands.
    rule = "must contain {file}, where the path of the file goes (arguments, no shell)"
    assert rule_parts(rule) == (rule, {})
