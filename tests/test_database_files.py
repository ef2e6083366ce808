"""The SQLite database file itself: a file that is not a database, or a damaged one, is one
clear line and exit 2 (as every configuration problem), for the CLI and the TUI start; the
database and its -wal/-shm are readable by their owner only. Real processes, real files."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest


def write_config(tmp_path: Path, db_path: Path, extra: str = "") -> Path:
    path = tmp_path / f"config-{db_path.stem}.toml"
    path.write_text(
        f'[database]\nurl = "sqlite:///{db_path}"\n\n[auth]\nallow_user_flag = true\n{extra}',
        encoding="utf-8",
    )
    return path


def incasso(config: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", "tester", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "USER": "tester", "LOGNAME": "tester"},
        timeout=timeout,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(scope="module")
def real_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real database made by `incasso init --demo`, all of it in the main file."""
    home = tmp_path_factory.mktemp("real")
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(home / "cfg"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "INCASSO_TODAY": "2026-11-24",
        "USER": "tester",
        "LOGNAME": "tester",
    }
    path = home / "real.sqlite3"
    config = write_config(home, path)
    result = subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", "tester", "init", "--demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


def assert_one_clear_line(result: subprocess.CompletedProcess[str], path: Path) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"incasso: database sqlite:///{path} cannot be used: ")
    assert "not an SQLite database, or a damaged one" in lines[0]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def damaged_copies(tmp_path: Path, real: Path) -> dict[str, Path]:
    text = tmp_path / "notes.sqlite3"
    text.write_text("Dit is geen database maar een boodschappenlijst.\n" * 20, encoding="utf-8")
    data = real.read_bytes()
    half = tmp_path / "half.sqlite3"
    half.write_bytes(data[: len(data) // 2])
    return {"text": text, "truncated": half}


@pytest.mark.parametrize("kind", ["text", "truncated"])
def test_a_file_that_is_not_a_usable_database_is_exit_2_with_one_line(kind, real_database, tmp_path):
    path = damaged_copies(tmp_path, real_database)[kind]
    before = path.read_bytes()
    config = write_config(tmp_path, path)
    assert_one_clear_line(incasso(config, "debtor", "list"), path)
    assert_one_clear_line(incasso(config, "--headless"), path)  # the TUI start
    assert path.read_bytes() == before  # nothing written into it


def test_damage_found_by_a_later_query_is_the_same_line(real_database, tmp_path):
    """The file opens (its header and table list are intact) but the debtors' table is
    overwritten: the query that reads it gives the same one line, exit 2."""
    path = tmp_path / "scribbled.sqlite3"
    path.write_bytes(real_database.read_bytes())
    con = sqlite3.connect(path)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'debtor'").fetchone()[0]
    con.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(bytes(range(256)) * (page_size // 256))
    config = write_config(tmp_path, path)
    assert incasso(config, "db", "version").returncode == 0  # opening it is fine
    assert_one_clear_line(incasso(config, "debtor", "list"), path)


def test_the_database_is_created_for_its_owner_only(tmp_path):
    path = tmp_path / "new" / "dir" / "incasso.sqlite3"
    config = write_config(tmp_path, path)
    result = incasso(config, "init")
    assert result.returncode == 0, result.stderr
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700
    # -wal and -shm exist while a process has the database open: a worker waiting for jobs.
    worker = subprocess.Popen(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", "tester", "worker"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "USER": "tester", "LOGNAME": "tester"},
    )
    try:
        assert worker.stderr is not None and "waiting for jobs" in worker.stderr.readline()
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        for _ in range(200):
            if wal.exists() and shm.exists():
                break
            time.sleep(0.05)
        assert mode(wal) == 0o600 and mode(shm) == 0o600
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.communicate(timeout=60)
    assert worker.returncode == 0


def test_group_readable_when_the_configuration_allows_it(tmp_path):
    path = tmp_path / "shared.sqlite3"
    config = write_config(tmp_path, path, extra="\n[files]\ngroup_readable = true\n")
    result = incasso(config, "init")
    assert result.returncode == 0, result.stderr
    assert mode(path) == 0o640


def test_a_world_readable_database_of_before_is_narrowed(tmp_path):
    path = tmp_path / "old.sqlite3"
    config = write_config(tmp_path, path)
    assert incasso(config, "init").returncode == 0
    os.chmod(path, 0o644)  # as versions before this one created it
    result = incasso(config, "db", "version")
    assert result.returncode == 0, result.stderr
    assert mode(path) == 0o600
