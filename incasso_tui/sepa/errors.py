"""The one exception type of the SEPA engine.

Every refusal names the field and the rule it broke, so the UI and the CLI can
show the message as-is, e.g.::

    debtor IBAN 'NL91ABNA0417164301': checksum (MOD 97-10) does not match
"""

from __future__ import annotations

# "No value given" (None is a value that can be shown); for subclasses' signatures too.
NO_VALUE = object()


class SepaError(ValueError):
    """Invalid SEPA data.

    Attributes:
        field: human name of the field ("debtor IBAN", "EndToEndId", ...).
        rule:  the rule that was broken, in words.
        value: the offending value (None when there is none to show).
        where: optional context, e.g. "transaction E2E-1" or "PmtInf 3".
    """

    def __init__(self, field: str, rule: str, value: object = NO_VALUE, where: str | None = None) -> None:
        self.field = field
        self.rule = rule
        self.value = None if value is NO_VALUE else value
        self.where = where
        subject = field if value is NO_VALUE else f"{field} {_show(value)}"
        message = f"{subject}: {rule}"
        if where:
            message = f"{where}: {message}"
        super().__init__(message)

    def located(self, where: str) -> SepaError:
        """The same error with context added (used by the writer per transaction)."""
        if self.where:
            where = f"{where}: {self.where}"
        if self.value is None:
            return SepaError(self.field, self.rule, where=where)
        return SepaError(self.field, self.rule, self.value, where=where)


def _show(value: object) -> str:
    # Quote strings the way the messages in the docs do: 'NL91...'.
    if isinstance(value, str):
        if len(value) > 80:
            value = value[:77] + "..."
        return "'" + value + "'"
    return repr(value)
