"""Shared fixtures: an isolated environment, and the database on both back-ends.

`database` is parametrised over SQLite (a file in tmp_path, never :memory:, because
the app uses thread workers) and PostgreSQL (the server `.ci/run` starts; its URL
comes in INCASSO_TEST_PG_URL). Without that URL the PostgreSQL cases are skipped
with a visible reason — except under CI=true, where a missing server is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import peewee as pw
import pytest

from incasso_tui.db import database as db
from incasso_tui.db import migrations
from incasso_tui.services.auth import actor_for

TODAY = "2026-11-24"
PG_URL = os.environ.get("INCASSO_TEST_PG_URL", "")
_worker_url: str | None = None


def _pg_url() -> str:
    """The server's test database, or under pytest-xdist one database per worker (created once):
    every PostgreSQL test drops and recreates its schema, so workers must not share one."""
    global _worker_url
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker:
        return PG_URL
    if _worker_url is None:
        import psycopg

        base, _, name = PG_URL.rpartition("/")
        own = f"{name}_{worker}"
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (own,)).fetchone():
                conn.execute(f'CREATE DATABASE "{own}"')
        _worker_url = f"{base}/{own}"
    return _worker_url


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's config, data or state."""
    home = tmp_path / "home"
    for var, sub in (("XDG_CONFIG_HOME", "cfg"), ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("INCASSO_CONFIG", raising=False)
    monkeypatch.setenv("INCASSO_TODAY", TODAY)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("LOGNAME", "tester")
    return home


def _reset_pg(url: str) -> None:
    database = db.make_database(url)
    database.connect()
    database.execute_sql("DROP SCHEMA public CASCADE")
    database.execute_sql("CREATE SCHEMA public")
    database.close()


@pytest.fixture(params=["sqlite", "pg"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each back-end."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'incasso.sqlite3'}"
    if not PG_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but INCASSO_TEST_PG_URL is not set: PostgreSQL tests cannot run")
        pytest.skip("PostgreSQL not available: set INCASSO_TEST_PG_URL (see .ci/run)")
    url = _pg_url()
    _reset_pg(url)
    return url


@pytest.fixture
def database(db_url: str):
    """An empty, current-schema database bound to the models."""
    database = db.bind(db_url)
    migrations.upgrade(database)
    yield database
    db.close()


@pytest.fixture
def admin(database: pw.Database):
    from incasso_tui.db import models as m

    return actor_for(m.User.create(login="tester", name="Test Admin", role="admin"))


@pytest.fixture
def demo(database: pw.Database):
    """Demo data (tester is admin); returns a function giving the Actor for a login."""
    from incasso_tui.db import models as m
    from incasso_tui.services import setup

    setup.initialise(database, "tester", demo=True)
    return lambda login="tester": actor_for(m.User.get(m.User.login == login))


@pytest.fixture
def config_file(tmp_path: Path, db_url: str):
    """Write a config for a CLI/TUI test; returns a function taking extra TOML text."""

    def write(extra: str = "", allow_user_flag: bool = True) -> Path:
        path = tmp_path / "config.toml"
        path.write_text(
            f'[database]\nurl = "{db_url}"\n\n[auth]\n'
            f"allow_user_flag = {'true' if allow_user_flag else 'false'}\n{extra}",
            encoding="utf-8",
        )
        return path

    return write
