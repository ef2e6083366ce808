"""Splitting a set over several files when its bank group allows fewer transactions per file
than the set holds (rules/bank_profiles.max_per_file; None: no limit).

The PmtInfs of one scheme are packed into files in their sorted order, each one whole into
the current file when it still has room, else into a new file: a PmtInf is split only when it
alone holds more than a file may. Then it becomes pieces of at most the maximum: the first
fills what the current file has left, the middle ones fill a file each, the last one starts
the next file. So two pieces of one PmtInf never share a file (a file holds each PmtInf key
once), and a set that fits gives one file, laid out as without a limit.

Pure: no database, no files; `processing` writes what this plans.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Piece(Generic[K]):
    """Orders [start, stop) of the PmtInf `key`, in the order the plan holds them."""

    key: K
    start: int
    stop: int

    @property
    def count(self) -> int:
        return self.stop - self.start


def pack(pmt_infs: Sequence[tuple[K, int]], limit: int | None) -> list[list[Piece[K]]]:
    """The files for (PmtInf key, order count) pairs of one scheme, in the given order: each
    file a list of pieces, at most `limit` orders per file."""
    if limit is not None and limit < 1:
        raise ValueError(f"the maximum per file must be 1 or more, got {limit}")
    if limit is None:
        return [[Piece(key, 0, count) for key, count in pmt_infs]] if pmt_infs else []
    files: list[list[Piece[K]]] = []
    current: list[Piece[K]] = []
    room = limit
    for key, count in pmt_infs:
        if count <= room:
            current.append(Piece(key, 0, count))
            room -= count
            continue
        if count <= limit:  # fits a file of its own: never split
            files.append(current)
            current, room = [Piece(key, 0, count)], limit - count
            continue
        start = room  # larger than any file: fill what is left, then whole files
        if start:
            current.append(Piece(key, 0, start))
        if current:
            files.append(current)
        while count - start > limit:
            files.append([Piece(key, start, start + limit)])
            start += limit
        current, room = [Piece(key, start, count)], limit - (count - start)
    if current:
        files.append(current)
    return files
