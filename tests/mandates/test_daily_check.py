"""The daily status check (cron and TUI start) and schema version 3 (the reference index)."""

from __future__ import annotations

import datetime as dt

from incasso_tui.db import migrations
from incasso_tui.db import models as m
from incasso_tui.services.mandates import daily_check as mandate_check
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates.lifecycle import MandateInput

from .conftest import TODAY


def _status(mandate) -> str:
    return m.Mandate.get_by_id(mandate.id).status


def test_statuses_move_when_a_day_passes(world):
    admin = world.actor()
    starts = mandates.create_mandate(
        admin, world.private.id, MandateInput(effective_date=TODAY + dt.timedelta(days=1))
    )
    ends = mandates.create_mandate(
        admin, world.private.id, MandateInput(effective_date=TODAY, end_date=TODAY)
    )
    expires = mandates.create_mandate(
        admin, world.private.id, MandateInput(effective_date=TODAY - dt.timedelta(days=1094))
    )
    collected = mandates.create_mandate(
        admin, world.private.id, MandateInput(effective_date=TODAY - dt.timedelta(days=2000))
    )
    m.Mandate.update(
        last_collection_date=TODAY - dt.timedelta(days=1094), collected=True, status="active"
    ).where(m.Mandate.id == collected.id).execute()
    blocked = mandates.create_mandate(
        admin, world.private.id, MandateInput(effective_date=TODAY - dt.timedelta(days=2000))
    )
    m.Mandate.update(status="blocked", status_reason="AC06").where(m.Mandate.id == blocked.id).execute()
    assert [_status(x) for x in (starts, ends, expires, collected)] == [
        "inactive",
        "active",
        "active",
        "active",
    ]

    result = mandate_check.check_all(TODAY)  # nothing is due today
    assert result.changes == {}
    tomorrow = TODAY + dt.timedelta(days=1)
    result = mandate_check.check_all(tomorrow)
    assert result.changes == {"inactive->active": 1, "active->ended": 1, "active->expired": 2}
    assert [_status(x) for x in (starts, ends, expires, collected)] == [
        "active",
        "ended",
        "expired",
        "expired",
    ]
    assert _status(blocked) == "blocked"  # bank feedback is never lifted by dates
    entry = (
        m.AuditEntry.select()
        .where((m.AuditEntry.object_id == str(expires.id)) & (m.AuditEntry.action == "mandate.status"))
        .get()
    )
    assert entry.user == "system" and entry.changes == {"status": ["active", "expired"]}
    assert "36 months" in entry.summary
    assert mandate_check.check_all(tomorrow).checked == 0  # done: nothing selected again


def test_runs_once_a_day_and_remembers_the_date(world):
    assert mandate_check.last_check_date() is None
    first = mandate_check.run_daily_check(TODAY)
    assert first.ran and mandate_check.last_check_date() == TODAY
    assert not mandate_check.run_daily_check(TODAY).ran
    assert mandate_check.run_daily_check(TODAY, force=True).ran
    assert mandate_check.run_daily_check(TODAY + dt.timedelta(days=1)).ran
    assert m.AppMeta.get_by_id("mandates_check_date").value == (TODAY + dt.timedelta(days=1)).isoformat()


def test_schema_3_adds_the_reference_index_and_steps_back(database):
    def indexes() -> set[str]:
        return {i.name for i in database.get_indexes("mandate")}

    assert migrations.LATEST >= 3 and "mandate_reference_key" in indexes()
    migrations.downgrade(database, 2)
    assert migrations.current_version(database) == 2 and "mandate_reference_key" not in indexes()
    assert [x.version for x in migrations.upgrade(database)] == list(range(3, migrations.LATEST + 1))
    assert "mandate_reference_key" in indexes()


def test_the_tui_runs_the_check_at_start_when_it_has_not_run_today(world, config_file):
    import os
    import subprocess
    import sys

    due = mandates.create_mandate(
        world.actor(), world.private.id, MandateInput(effective_date=TODAY - dt.timedelta(days=1094))
    )
    m.Mandate.update(effective_date=TODAY - dt.timedelta(days=1095)).where(m.Mandate.id == due.id).execute()
    env = dict(os.environ)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "incasso_tui",
            "--config",
            str(config_file()),
            "--user",
            "tester",
            "--headless",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert _status(due) == "expired"
    assert mandate_check.last_check_date() == TODAY
