"""What every report is: a period, a table (columns and rows), a summary table and a chart.

The CLI prints or writes the tables (--json, --csv, --xlsx), the Reports screen shows the
chart above the table; neither computes anything. Money is integer cents, a rate a fraction.
Titles are English; the screen translates them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# How a column's values are shown and typed in a spreadsheet.
TEXT, MONTH, COUNT, CENTS, RATE = "text", "month", "count", "cents", "rate"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def dicts(self) -> list[dict[str, Any]]:
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Series:
    name: str  # English, the legend
    values: list[int | float]  # one per month of the chart; cents for amounts


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar" (series side by side), "stacked" or "line"
    unit: str  # "cents", "rate" or "count": how the screen scales and labels the axis
    months: list[str]
    series: list[Series]


@dataclass(frozen=True)
class Report:
    name: str  # collected / rejects / mandates
    title: str
    date_from: dt.date
    date_to: dt.date
    administration: str | None  # the code filtered on, None for every visible one
    table: Table
    summary: Table
    chart: Chart

    def as_dict(self) -> dict[str, Any]:
        return {
            "report": self.name,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "administration": self.administration,
            "rows": self.table.dicts(),
            "summary": self.summary.dicts(),
        }


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole as a fraction rounded to 4 decimals (0.0123 = 1.23 %); None without a whole."""
    return round(part / whole, 4) if whole else None
