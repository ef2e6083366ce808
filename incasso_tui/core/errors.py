"""Errors a user may see. Each carries its exit status; none is shown with a traceback.

A message is an English template plus values: `Refused("Set {set} is {status}", set=ref,
status=...)`. str(error) is the English text (the CLI prints it); the TUI translates
`error.template` and fills in `error.values` (see screens/base.py error_message). The template
must be a plain string literal at the raise site, so gettext extraction finds it.
"""

from __future__ import annotations

from typing import Any


def _fill(template: str, values: dict[str, Any]) -> str:
    return template.format(**values) if values else template


class IncassoError(Exception):
    """Base for every error that is reported to the user as one clear line."""

    exit_code = 1

    def __init__(self, template: str = "", *args: object, **values: Any):
        self.template = template
        self.values = values
        super().__init__(_fill(template, values), *args)


class ConfigError(IncassoError):
    """The configuration file or the database it names cannot be used."""

    exit_code = 2


class UsageError(IncassoError):
    """The command line asks for something that is not allowed as given."""

    exit_code = 2


class Refused(IncassoError):
    """The operation is not allowed (rights, state of the object, business rule)."""


class NotFound(IncassoError):
    """The object the user named does not exist (or is not visible to them)."""


class ValidationError(IncassoError):
    """Input breaks a rule; names the field and the rule. `rule` is the English text,
    `template` and `values` what it was made of (for translation); the value as typed is
    shown apart from it."""

    def __init__(self, field: str, rule: str, value: object = None, **values: Any):
        self.field = field
        self.rule = _fill(rule, values)  # the English rule as the CLI and the imports show it
        self.value = value
        self.template = rule
        self.values = values
        shown = f" {value!r}" if value not in (None, "") else ""
        Exception.__init__(self, f"{field}{shown}: {self.rule}")

    @classmethod
    def forward(cls, field: str, rule: str, value: object = None, **values: Any) -> ValidationError:
        """A rule written (and extracted for translation) elsewhere, e.g. by the SEPA engine
        (SepaError) or unsafe_rule, reported for one of our fields."""
        return cls(field, rule, value, **values)


class ValidationErrors(IncassoError):
    """Several field errors at once (forms and imports show them all)."""

    def __init__(self, errors: list[ValidationError]):
        self.errors = errors
        self.template = "; ".join(str(e) for e in errors)
        self.values = {}
        Exception.__init__(self, self.template)
