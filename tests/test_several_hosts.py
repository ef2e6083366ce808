"""Several hosts on one database: one outbox, shared and mounted at the same path everywhere.

Each host here is its own HOME (XDG dirs) and config on the one database; `shared` plays the
mounted share. A host whose outbox is another directory is refused before it processes, sends
or letters anything, and its worker does not start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from incasso_tui.db import models as m
from incasso_tui.db.statuses import SetStatus
from incasso_tui.services.collection.outbox_identity import MARKER, OutboxRefused, require_outbox


def test_first_use_claims_the_outbox_and_another_directory_is_refused_once_files_exist(database, tmp_path):
    first = require_outbox(tmp_path / "outbox")
    assert (first / MARKER).is_file() and oct((first).stat().st_mode & 0o777) == oct(0o700)
    assert require_outbox(tmp_path / "outbox") == first  # the same, again
    # Nothing written yet: a move of the outbox is simply adopted.
    moved = require_outbox(tmp_path / "moved")
    assert (moved / MARKER).read_text() == (first / MARKER).read_text()
    # Once a set has files, only the outbox that holds them is this database's.
    group = m.BankGroup.create(code="G", name="Group")
    user = m.User.create(login="tester", role="admin")
    m.CollectionSet.create(
        bank_group=group, created_by=user, status=SetStatus.PROCESSED, requested_date="2026-12-01"
    )
    with pytest.raises(OutboxRefused, match=r"no marker file .incasso-outbox .* files are in .*moved"):
        require_outbox(tmp_path / "local")
    # Another database's outbox is refused too, naming the difference.
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / MARKER).write_text("0123456789abcdef\n")
    with pytest.raises(OutboxRefused, match="holds another database's marker"):
        require_outbox(tmp_path / "other")
    # The share mounted at another path: its files are recorded by absolute path.
    (tmp_path / "moved").rename(tmp_path / "elsewhere")
    with pytest.raises(OutboxRefused, match="mount it at that same path"):
        require_outbox(tmp_path / "elsewhere")


def _host(tmp_path: Path, name: str, db_url: str, outbox: Path) -> tuple[Path, dict[str, str]]:
    home = tmp_path / name
    config = home / "config.toml"
    home.mkdir()
    config.write_text(
        f'[database]\nurl = "{db_url}"\n\n[auth]\nallow_user_flag = true\n\n'
        f'[paths]\noutbox_dir = "{outbox}"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "HOME": str(home)}
    for var, sub in (("XDG_CONFIG_HOME", "cfg"), ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state")):
        env[var] = str(home / sub)
    return config, env


def _run(host: tuple[Path, dict[str, str]], *args: str) -> subprocess.CompletedProcess[str]:
    config, env = host
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", "tester", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


@pytest.mark.pg
def test_a_set_written_on_one_host_is_lettered_checked_and_sent_from_another(db_url, tmp_path):
    if not db_url.startswith("postgresql"):
        pytest.skip("several hosts share a PostgreSQL server")
    shared, delivery = tmp_path / "mnt" / "outbox", tmp_path / "bank"
    delivery.mkdir()
    a = _host(tmp_path, "host-a", db_url, shared)
    b = _host(tmp_path, "host-b", db_url, shared)
    c = _host(tmp_path, "host-c", db_url, tmp_path / "host-c-local-outbox")
    assert _run(a, "init", "--demo").returncode == 0
    edited = _run(a, "bank-group", "edit", "ING", "--delivery-dir", str(delivery))
    assert edited.returncode == 0, edited.stderr

    made = _run(a, "set", "new", "--bank-group", "ING", "--json")
    set_id = json.loads(made.stdout)["id"]
    done = _run(a, "set", "process", str(set_id), "--wait")
    assert done.returncode == 0, done.stderr
    names = done.stdout.split()
    assert names and all((shared / "ING" / n).is_file() for n in names)

    # Host C's outbox is a local directory: its worker does not start, it processes nothing.
    refused = _run(c, "worker", "--once")
    assert refused.returncode == 1 and "worker not started" in refused.stderr
    assert "Several hosts" in refused.stderr and "Traceback" not in refused.stderr
    second = json.loads(_run(a, "set", "new", "--bank-group", "ABN", "--json").stdout)["id"]
    queued = _run(c, "set", "process", str(second))
    assert queued.returncode == 1 and "no marker file" in queued.stderr
    assert json.loads(_run(b, "set", "show", str(second), "--json").stdout)["status"] == "open"
    assert _run(c, "set", "send", str(set_id)).returncode == 1

    # Host B reaches every file host A wrote: letter, check, send.
    letter = _run(b, "set", "letter", str(set_id), "--out", str(tmp_path / "letters"))
    assert letter.returncode == 0, letter.stderr
    for name in names:
        checked = _run(b, "sepa", "check", str(shared / "ING" / name))
        assert checked.returncode == 0, checked.stdout + checked.stderr
    sent = _run(b, "set", "send", str(set_id))
    assert sent.returncode == 0, sent.stderr
    assert sorted(p.name for p in delivery.iterdir()) == sorted(names)
    assert _run(b, "worker", "--once").returncode == 0
