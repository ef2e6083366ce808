"""Every message a user may see from a refusal is extractable: the template passed to Refused,
NotFound or ValidationError (and their subclasses) is a plain string literal at the raise site,
so gettext extraction (keywords Refused:1, NotFound:1, ValidationError:2) finds it and the
Dutch catalogue can translate it."""

from __future__ import annotations

import ast
from pathlib import Path

import incasso_tui

# Class name -> position of the template argument.
TEMPLATE_ARG = {"Refused": 0, "NotFound": 0, "OutboxRefused": 0, "BackupFileError": 0, "ValidationError": 1}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def non_literal_templates(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or _name(node.func) not in TEMPLATE_ARG:
            continue
        position = TEMPLATE_ARG[_name(node.func)]  # type: ignore[index]
        template = node.args[position] if len(node.args) > position else None
        if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)[:100]}")
    return found


def test_every_refusal_template_is_a_string_literal() -> None:
    root = Path(incasso_tui.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "errors.py" and path.parent.name == "core":
            continue  # the classes themselves
        found += non_literal_templates(path.read_text(encoding="utf-8"), str(path.relative_to(root.parent)))
    assert found == []


def test_the_check_sees_an_f_string_and_a_variable() -> None:
    source = 'raise Refused(f"set {x}")\nraise ValidationError("iban", rule)\nraise NotFound("ok {x}", x=1)\n'
    assert len(non_literal_templates(source, "sample.py")) == 2
