"""Errors a user may see. Each carries its exit status; none is shown with a traceback."""

from __future__ import annotations


class IncassoError(Exception):
    """Base for every error that is reported to the user as one clear line."""

    exit_code = 1


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
    """Input breaks a rule; names the field and the rule."""

    def __init__(self, field: str, rule: str, value: object = None):
        self.field = field
        self.rule = rule
        self.value = value
        shown = f" {value!r}" if value not in (None, "") else ""
        super().__init__(f"{field}{shown}: {rule}")


class ValidationErrors(IncassoError):
    """Several field errors at once (forms and imports show them all)."""

    def __init__(self, errors: list[ValidationError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))
