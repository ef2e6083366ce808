"""Reports: collected per month, R-transactions with the reject rate, mandates over time.

Each is computed in the database (GROUP BY) within the administrations the user may see, and
returned as a Report (common.py) that the CLI prints or writes and the screen charts.
"""

from __future__ import annotations

from collections.abc import Callable

from incasso_tui.services.reports.collected import collected_report, collected_trend
from incasso_tui.services.reports.common import Chart, Column, Report, Series, Table
from incasso_tui.services.reports.mandates import mandates_report
from incasso_tui.services.reports.rejects import rejects_report

REPORTS: dict[str, Callable[..., Report]] = {
    "collected": collected_report,
    "rejects": rejects_report,
    "mandates": mandates_report,
}
TITLES = {
    "collected": "Collected",
    "rejects": "Rejects",
    "mandates": "Mandates",
}

__all__ = [
    "REPORTS",
    "TITLES",
    "Chart",
    "Column",
    "Report",
    "Series",
    "Table",
    "collected_report",
    "collected_trend",
    "mandates_report",
    "rejects_report",
]
