"""What the readiness report says: groups of problems, each with its count, the first few
objects and what to do. Texts are English templates with their values apart, so the TUI
translates them (t(why, **values)) and the CLI prints them as they are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

BLOCKING = "blocking"  # the next collection cannot be made (or sent) until it is solved
WARNING = "warning"  # it can, but something is about to go wrong


@dataclass(frozen=True)
class Item:
    """One object with a problem. `kind` says where the UI can open it: administration,
    bank_group, debtor, mandate, order (an order opens its debtor: `debtor_id`)."""

    kind: str
    id: int
    code: str  # administration or bank group code, debtor number, mandate reference, order #id
    name: str  # its name; for a mandate or an order the debtor's name
    administration: str  # the administration's code; "" for a bank group
    why: str  # English template
    values: dict[str, object] = field(default_factory=dict, compare=False)
    debtor_id: int | None = None

    @property
    def reason(self) -> str:
        return self.why.format(**self.values) if self.values else self.why

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "administration": self.administration,
            "why": self.reason,
        }


@dataclass(frozen=True)
class Group:
    key: str  # stable, for programs and tests
    title: str  # English
    severity: str  # BLOCKING or WARNING
    count: int
    items: tuple[Item, ...]  # the first `limit` of them
    fix: str  # what to do about it (English)

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING and self.count > 0

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "title": self.title,
            "severity": self.severity,
            "count": self.count,
            "fix": self.fix,
            "objects": [item.as_dict() for item in self.items],
        }


@dataclass(frozen=True)
class Report:
    date: dt.date
    groups: tuple[Group, ...]

    @property
    def problems(self) -> tuple[Group, ...]:
        """The groups that found something, in report order."""
        return tuple(g for g in self.groups if g.count)

    @property
    def blocking(self) -> int:
        """How many groups block the next collection."""
        return sum(1 for g in self.groups if g.blocking)

    @property
    def warnings(self) -> int:
        return sum(1 for g in self.groups if g.severity == WARNING and g.count)

    @property
    def ready(self) -> bool:
        return self.blocking == 0

    def as_dict(self) -> dict[str, object]:
        return {
            "ready": self.ready,
            "date": self.date.isoformat(),
            "blocking": self.blocking,
            "warnings": self.warnings,
            "groups": [g.as_dict() for g in self.groups],
        }
