"""CSV import: reading the file, and the all-or-nothing rule around each kind of import.

A file is UTF-8 with or without BOM, `;` or `,` separated (sniffed from the header), with a
header row naming the columns (docs/csv-import.md). Every row is checked before anything is
stored: by default one invalid row means nothing is stored and every error is listed with
its line number, column and rule; with `skip_invalid` the valid rows are stored and the
invalid ones listed.

Kinds of import register here (`register_kind`): debtors and mandates in imports/kinds.py,
orders in collection/orders.py; imports/run.py loads them all and runs an import.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from incasso_tui.core.errors import NotFound, Refused, ValidationError
from incasso_tui.core.terminal_text import fragment, unsafe_rule
from incasso_tui.services.auth import Actor

# The file is streamed (memory stays flat); the bound keeps one import within minutes.
MAX_BYTES = 250 * 1024 * 1024
FRAGMENT = 40  # characters of a bad value or header quoted in an error
_SURROGATE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # "" when the error is about the whole line or file
    rule: str
    value: str | None = None

    def __str__(self) -> str:
        # What came from the file is quoted short and escaped (it may be any file's line).
        where = f"line {self.line}" + (f", column {fragment(self.column)}" if self.column else "")
        shown = f" ('{fragment(self.value)}')" if self.value not in (None, "") else ""
        return f"{where}: {self.rule}{shown}"

    def as_dict(self) -> dict:
        value = self.value
        if value is not None and len(value) > FRAGMENT:
            value = value[:FRAGMENT] + "…"
        return {"line": self.line, "column": self.column, "rule": self.rule, "value": value}


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


@dataclass
class ImportResult:
    kind: str
    file: str
    rows: int = 0
    stored: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "file": self.file,
            "rows": self.rows,
            "stored": self.stored,
            "skipped": self.skipped,
            "errors": [e.as_dict() for e in self.errors],
        }


class ImportKind(Protocol):
    """One kind of import, run a batch of rows at a time (the lookups of a batch are done in
    bulk). `check` validates the rows against the database and the rows before them
    (duplicates within the file, kept in `context`) and returns what `store` needs for the
    valid rows plus the errors of the others; `store` runs inside the import's transaction."""

    name: str
    columns: tuple[Column, ...]

    def check(self, actor: Actor, rows: list[Row], context: dict) -> tuple[list[Any], list[RowError]]: ...

    def store(self, actor: Actor, prepared: list[Any], context: dict) -> None: ...


_KINDS: dict[str, Callable[[], ImportKind]] = {}


def register_kind(name: str, factory: Callable[[], ImportKind]) -> None:
    _KINDS[name] = factory


# --- reading ------------------------------------------------------------------------------


def read_rows(data: bytes, columns: tuple[Column, ...]) -> tuple[list[Row], list[RowError]]:
    """Parse CSV bytes into rows keyed by column name; problems of the file, its header and
    each line come back as RowErrors (a row with an error is left out of the rows)."""
    rows: list[Row] = []
    errors: list[RowError] = []
    for item in iter_rows(io.BytesIO(data), columns):
        (rows if isinstance(item, Row) else errors).append(item)  # type: ignore[arg-type]
    return rows, errors


def iter_rows(stream: BinaryIO, columns: tuple[Column, ...]) -> Iterator[Row | RowError]:
    """The rows of a CSV file read as a stream (memory stays flat whatever its size), in file
    order, each a Row or a RowError; errors of the file or its header end the stream."""
    start_bytes = stream.read(3)
    if start_bytes.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield RowError(1, "", "the file is UTF-16; save it as UTF-8 (CSV UTF-8)")
        return
    # Undecodable bytes survive as surrogates so each is reported on its own line and column.
    text = io.TextIOWrapper(
        io.BufferedReader(_Prefixed(start_bytes.removeprefix(b"\xef\xbb\xbf"), stream)),
        encoding="utf-8",
        errors="surrogateescape",
        newline="",
    )
    lines = iter(text)
    leading: list[str] = []
    for first_line in lines:
        leading.append(first_line)
        if first_line.strip():
            break
    else:
        yield RowError(1, "", "the file is empty (a header row is needed)")
        return
    first_line = leading[0].splitlines()[0] if leading[0].splitlines() else ""
    delimiter = ";" if _outside_quotes(first_line, ";") > _outside_quotes(first_line, ",") else ","
    reader = csv.reader(itertools.chain(leading, lines), delimiter=delimiter, strict=True)
    try:
        header_cells = next(reader)
    except csv.Error as exc:
        yield RowError(1, "", f"the header row cannot be read: {exc}")
        return
    header, header_errors = _header(header_cells, columns)
    if header_errors:
        yield from header_errors
        return
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield RowError(start, "", f"cannot be read as CSV: {exc}")
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are allowed
        if len(cells) != len(header):
            yield RowError(
                start,
                "",
                f"has {len(cells)} fields; the header has {len(header)} (separator {delimiter!r})",
            )
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        row_errors = [
            RowError(start, name, rule) for name, cell in values.items() if (rule := _cell_rule(cell))
        ]
        if row_errors:
            yield from row_errors
            continue
        yield Row(start, values)


class _Prefixed(io.RawIOBase):
    """`stream` with `prefix` (bytes already read from it) in front again."""

    def __init__(self, prefix: bytes, stream: BinaryIO):
        self._prefix, self._stream = prefix, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n], self._prefix = self._prefix[:n], self._prefix[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == char and not quoted:
            count += 1
    return count


def _header(cells: list[str], columns: tuple[Column, ...]) -> tuple[list[str], list[RowError]]:
    known = {c.name for c in columns}
    names = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in cells]
    errors = []
    for name, cell in zip(names, cells, strict=False):
        if rule := _cell_rule(cell.strip()):
            errors.append(RowError(1, fragment(cell.strip(), FRAGMENT), rule))
        elif name not in known:
            errors.append(
                RowError(
                    1,
                    fragment(cell.strip(), FRAGMENT) or "(empty)",
                    "unknown column; known: " + ", ".join(c.name for c in columns),
                )
            )
    for name in {n for n in names if names.count(n) > 1}:
        errors.append(RowError(1, name, "column appears twice"))
    for column in columns:
        if column.required and column.name not in names:
            errors.append(RowError(1, column.name, "required column is missing"))
    return names, errors


def _cell_rule(cell: str) -> str | None:
    """The rule a (stripped) cell or header breaks as text: bytes that are not UTF-8, control
    characters, bidirectional overrides (the same rule as services.input_rules.check_text)."""
    if cell.isascii() and cell.isprintable():
        return None  # the common case, and none of those characters is printable ASCII
    if found := _SURROGATE.search(cell):
        return _bad_bytes(found.group())
    return unsafe_rule(cell)


def _bad_bytes(bad: str) -> str:
    """The rule for a cell holding `bad`, a byte UTF-8 cannot decode (kept as a surrogate)."""
    return (
        f"not UTF-8 text (byte 0x{ord(bad) - 0xDC00:02X}); save the file as UTF-8 "
        f'("CSV UTF-8"), not Windows-1252/Latin-1'
    )


# --- running ------------------------------------------------------------------------------


def open_file(path: Path) -> BinaryIO:
    """The file opened for streaming, or NotFound/Refused saying why it cannot be read."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise Refused(
                "{path}: larger than {megabytes} MB; split the file",
                path=path,
                megabytes=MAX_BYTES // (1024 * 1024),
            )
        if path.is_dir():
            raise NotFound("{path}: is a directory, not a CSV file", path=path)
        return path.open("rb")
    except FileNotFoundError:
        raise NotFound("{path}: file not found", path=path) from None
    except IsADirectoryError:
        raise NotFound("{path}: is a directory, not a CSV file", path=path) from None
    except PermissionError:
        raise Refused("{path}: no permission to read it", path=path) from None


class RowErrors(Exception):
    """Raised by ImportKind.check: every problem of one row."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors

    @classmethod
    def from_validation(cls, line: int, errors: list[ValidationError], columns: dict[str, str]) -> RowErrors:
        """Form-style field errors as row errors; `columns` maps field names to CSV columns."""
        return cls(
            [
                RowError(
                    line,
                    columns.get(e.field, e.field),
                    e.rule,
                    None if e.value is None else str(e.value),
                )
                for e in errors
            ]
        )
