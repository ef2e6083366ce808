"""The forms' tests run on the demo data at a fixed moment (its dates are relative to now)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCASSO_NOW", "2026-11-24T09:30:00")


@pytest.fixture(autouse=True)
def dutch_afterwards():
    """A test that switched the UI to English leaves the default behind for the next one."""
    yield
    from incasso_tui.i18n import set_language

    set_language("nl")
