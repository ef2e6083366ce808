"""The one place that says what day it is.

`INCASSO_TODAY=YYYY-MM-DD` pins the date for demos, screenshots and tests; the
time of day keeps running so timestamps stay ordered. `INCASSO_NOW=YYYY-MM-DDTHH:MM` pins
the time too, for screen snapshots that must come out the same on every run.
"""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    pinned = os.environ.get("INCASSO_TODAY")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.date.today()


def now() -> dt.datetime:
    frozen = os.environ.get("INCASSO_NOW")
    if frozen:
        return dt.datetime.fromisoformat(frozen)
    current = dt.datetime.now().replace(microsecond=0)
    pinned = os.environ.get("INCASSO_TODAY")
    if pinned:
        return dt.datetime.combine(dt.date.fromisoformat(pinned), current.time())
    return current
