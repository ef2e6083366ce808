"""One page of a list, fetched from the database (lists never load a whole table)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    total: int
    offset: int
    # The total is a lower bound: the count stopped there (a screen's search that found
    # very many); the list then goes on until a page comes back short.
    capped: bool = False
    # A screen's first page comes before its count: this counts (total, capped) afterwards,
    # so the rows show at once and the line saying how many follows.
    count: Callable[[], tuple[int, bool]] | None = field(default=None, compare=False, repr=False)

    @property
    def more(self) -> bool:
        return self.capped or self.offset + len(self.rows) < self.total
