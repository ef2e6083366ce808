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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from incasso_tui.core.errors import NotFound, Refused, ValidationError
from incasso_tui.core.terminal_text import fragment, unsafe_rule
from incasso_tui.services.auth import Actor

MAX_BYTES = 50 * 1024 * 1024
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
    """One kind of import. `check` validates a row against the database and the rows before
    it (duplicates within the file) and returns what `store` needs; `store` runs inside the
    import's transaction."""

    name: str
    columns: tuple[Column, ...]

    def check(self, actor: Actor, row: Row, context: dict) -> Any: ...

    def store(self, actor: Actor, prepared: Any, context: dict) -> None: ...


_KINDS: dict[str, Callable[[], ImportKind]] = {}


def register_kind(name: str, factory: Callable[[], ImportKind]) -> None:
    _KINDS[name] = factory


# --- reading ------------------------------------------------------------------------------


def read_rows(data: bytes, columns: tuple[Column, ...]) -> tuple[list[Row], list[RowError]]:
    """Parse CSV bytes into rows keyed by column name; problems of the file, its header and
    each line come back as RowErrors (a row with an error is left out of the rows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [], [RowError(1, "", "the file is UTF-16; save it as UTF-8 (CSV UTF-8)")]
    data = data.removeprefix(b"\xef\xbb\xbf")
    # Undecodable bytes survive as surrogates so each is reported on its own line and column.
    content = data.decode("utf-8", errors="surrogateescape")
    if not content.strip():
        return [], [RowError(1, "", "the file is empty (a header row is needed)")]
    first_line = content.splitlines()[0]
    delimiter = ";" if _outside_quotes(first_line, ";") > _outside_quotes(first_line, ",") else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)
    errors: list[RowError] = []
    try:
        header_cells = next(reader)
    except csv.Error as exc:
        return [], [RowError(1, "", f"the header row cannot be read: {exc}")]
    header, header_errors = _header(header_cells, columns)
    if header_errors:
        return [], header_errors
    rows: list[Row] = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(start, "", f"cannot be read as CSV: {exc}"))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are allowed
        if len(cells) != len(header):
            errors.append(
                RowError(
                    start,
                    "",
                    f"has {len(cells)} fields; the header has {len(header)} (separator {delimiter!r})",
                )
            )
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        row_errors = [
            RowError(start, name, rule) for name, cell in values.items() if (rule := _cell_rule(cell))
        ]
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(Row(start, values))
    return rows, errors


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


def read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise Refused(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB; split the file")
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"{path}: file not found") from None
    except IsADirectoryError:
        raise NotFound(f"{path}: is a directory, not a CSV file") from None
    except PermissionError:
        raise Refused(f"{path}: no permission to read it") from None


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
                    line, columns.get(e.field, e.field), e.rule, None if e.value is None else str(e.value)
                )
                for e in errors
            ]
        )
