"""What a set-up change gives back: the stored object's detail, the warnings it raised and
the fields it changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar


class _Detail(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


D = TypeVar("D", bound=_Detail)


@dataclass(frozen=True)
class SetupWarning:
    """Something allowed but worth a second look (a Dutch creditor identifier without ZZZ,
    an account at another bank than its bank group's): shown, never blocking."""

    field: str
    rule: str
    value: str = ""

    def __str__(self) -> str:
        shown = f" {self.value!r}" if self.value else ""
        return f"{self.field}{shown}: {self.rule}"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule, "value": self.value, "message": str(self)}


@dataclass(frozen=True)
class Saved(Generic[D]):
    """The result of an add or edit: `detail` as stored now, `warnings`, and `changed`, the
    fields whose value changed (empty: nothing was stored)."""

    detail: D
    warnings: tuple[SetupWarning, ...] = ()
    changed: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """The object, with "warnings" (messages) and "changed" (field names) added."""
        return {
            **self.detail.as_dict(),
            "warnings": [str(w) for w in self.warnings],
            "changed": list(self.changed),
        }


def stored_fields(values: dict[str, Any]) -> tuple[str, ...]:
    """The fields a new object was given a value for (its "changed" on creation)."""
    return tuple(k for k, v in values.items() if v not in ("", None, ()))
