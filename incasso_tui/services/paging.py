"""One page of a list, fetched from the database (lists never load a whole table)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    total: int
    offset: int

    @property
    def more(self) -> bool:
        return self.offset + len(self.rows) < self.total
