"""The admin screens call the same services on both back-ends, and tests/setup runs those on
SQLite and PostgreSQL; here only the whole process through the screens runs on both. The
other Pilot tests run on SQLite: each costs 5-17 s, and the suite must stay within CI's time."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = __file__.rsplit("/", 1)[0]
    keep, drop = [], []
    for item in items:
        on_pg = "[pg" in item.nodeid
        if on_pg and str(item.fspath).startswith(here) and "test_end_to_end" not in item.nodeid:
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
