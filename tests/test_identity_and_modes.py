"""Who is acting, and who may read what the app writes (issue 11, "Who is acting").

The acting user is the OS account of the process's real uid, never LOGNAME or USER; the
explicit mandate check needs an operator or admin while the one at TUI start runs as the
system; files holding personal data are created 0600 in 0700 directories (0640/0750 with
`[files] group_readable = true`), whatever the umask.

The identity tests run `incasso` as a real process with LOGNAME and USER naming an admin,
while the real uid's login (whatever it is: root in CI containers) is only a support user.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pwd
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from incasso_tui.core import config as config_mod
from incasso_tui.core import files
from incasso_tui.core.clock import today as clock_today
from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.db.statuses import MandateStatus, Role
from incasso_tui.services import auth, setup, users

REAL = pwd.getpwuid(os.getuid()).pw_name  # who the process really is
BOSS = "boss" if REAL != "boss" else "boss2"  # the admin LOGNAME/USER pretend to be


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def umask_022():
    """The usual umask: what used to make every file 0644 and every directory 0755."""
    old = os.umask(0o022)
    yield
    os.umask(old)
    files.set_group_readable(False)  # config.load sets it for the process; no leaking


@pytest.fixture
def world(database, tmp_path, db_url):
    """Demo data with BOSS as admin; the real login is a support user of ZON; one ZON mandate
    expires at the next daily check. Returns a config writer (allow_user_flag off by default)."""
    setup.initialise(database, BOSS, demo=True)
    boss = auth.actor_for(m.User.get(m.User.login == BOSS))
    if m.User.get_or_none(m.User.login == REAL) is None:
        users.add_user(boss, REAL, Role.SUPPORT)
    else:
        m.User.update(role=Role.SUPPORT).where(m.User.login == REAL).execute()
    users.grant(boss, REAL, ["ZON"])

    def write(extra: str = "", *, allow_user_flag: bool = False, name: str = "config.toml") -> Path:
        path = tmp_path / name
        path.write_text(
            f'[database]\nurl = "{db_url}"\n\n[auth]\n'
            f"allow_user_flag = {'true' if allow_user_flag else 'false'}\n{extra}",
            encoding="utf-8",
        )
        return path

    db.close()  # the processes below open the database themselves
    return write


def run(
    config: Path, *args: str, pretend: str = BOSS, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """`incasso` as a real process whose environment claims to be `pretend`."""
    env = {**os.environ, "LOGNAME": pretend, "USER": pretend}
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def _due_mandate() -> m.Mandate:
    """A ZON mandate, active and never collected for 2000 days: the daily check expires it."""
    mandate = (
        m.Mandate.select()
        .join(m.Administration)
        .where(m.Administration.code == "ZON")
        .order_by(m.Mandate.id)
        .get()
    )
    effective = clock_today() - dt.timedelta(days=2000)  # conftest pins today
    m.Mandate.update(
        status=MandateStatus.ACTIVE,
        status_reason="",
        recurrent=True,
        collected=False,
        final_collected=False,
        end_date=None,
        last_collection_date=None,
        effective_date=effective,
    ).where(m.Mandate.id == mandate.id).execute()
    m.AppMeta.delete().where(m.AppMeta.key == "mandates_check_date").execute()
    return mandate


def _status_and_audit(db_url: str, mandate_id: int) -> tuple[str, list[str]]:
    db.bind(db_url)
    try:
        status = m.Mandate.get_by_id(mandate_id).status
        who = [
            e.user
            for e in m.AuditEntry.select().where(
                (m.AuditEntry.action == "mandate.status") & (m.AuditEntry.object_id == str(mandate_id))
            )
        ]
        return status, who
    finally:
        db.close()


# --- who is acting -----------------------------------------------------------------------


def test_the_login_is_the_real_uids_never_the_environment(monkeypatch):
    monkeypatch.setenv("LOGNAME", BOSS)
    monkeypatch.setenv("USER", BOSS)
    assert auth.os_login() == REAL


def test_logname_and_user_do_not_make_anyone_an_admin(world, db_url):
    cfg = world()
    listed = run(cfg, "user", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [u["login"] for u in json.loads(listed.stdout)] == [REAL]  # a non-admin sees itself only
    added = run(cfg, "user", "add", "mallory", "--role", "admin")
    assert added.returncode == 1 and added.stderr.count("\n") == 1
    assert added.stderr.startswith(f"incasso: user {REAL} (support) may not administer")
    assert "Traceback" not in added.stderr
    # --user stays the only override, and only where the configuration allows it
    flagged = run(cfg, "--user", BOSS, "user", "list")
    assert flagged.returncode == 2 and "auth.allow_user_flag" in flagged.stderr
    allowed = run(world(allow_user_flag=True, name="allow.toml"), "--user", BOSS, "user", "list", "--json")
    assert allowed.returncode == 0 and "mallory" not in allowed.stdout
    assert {u["login"] for u in json.loads(allowed.stdout)} >= {BOSS, REAL}


def test_init_makes_the_real_login_the_admin(db_url, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "{db_url}"\n', encoding="utf-8")
    result = run(cfg, "init", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["admin"] == REAL


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_first_tui_start_refuses_an_unhonoured_user_flag_before_creating_anything(db_url, tmp_path):
    from incasso_tui.db import migrations

    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "{db_url}"\n', encoding="utf-8")
    result = run(cfg, "--user", BOSS, "--demo", "--headless")
    assert result.returncode == 2 and "auth.allow_user_flag" in result.stderr
    database = db.bind(db_url)
    try:
        assert migrations.current_version(database) == 0  # no schema, no admin, no demo
    finally:
        db.close()


# --- the daily mandate check ---------------------------------------------------------------


def test_a_support_user_cannot_run_the_mandate_check(world, db_url):
    cfg = world()
    db.bind(db_url)
    mandate_id = _due_mandate().id
    db.close()
    result = run(cfg, "mandates", "check")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr == (
        f"incasso: user {REAL} (support) may not run the mandate check: "
        "it changes mandate statuses, which needs an operator or admin\n"
    )
    assert _status_and_audit(db_url, mandate_id) == ("active", [])
    # an operator may; the changes are audited under the operator
    operator = run(
        world(allow_user_flag=True, name="allow.toml"), "--user", "anna", "mandates", "check", "--json"
    )
    assert operator.returncode == 0, operator.stderr
    assert json.loads(operator.stdout)["changes"].get("active->expired", 0) >= 1
    assert _status_and_audit(db_url, mandate_id) == ("expired", ["anna"])


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_check_at_tui_start_runs_as_the_system_for_a_support_user(world, db_url):
    cfg = world()
    db.bind(db_url)
    mandate_id = _due_mandate().id
    db.close()
    result = run(cfg, "--headless")  # LOGNAME says admin; the real login is support
    assert result.returncode == 0, result.stderr
    assert f"started headless as {REAL};" in result.stdout
    assert _status_and_audit(db_url, mandate_id) == ("expired", ["system"])


# --- file modes ----------------------------------------------------------------------------


def test_state_file_and_log_are_private(isolated_env):
    from incasso_tui.core.logfile import log_exception
    from incasso_tui.core.state import update_state

    cfg = config_mod.load(None)
    update_state(cfg.state_file, theme="nord")
    assert mode(cfg.state_file) == 0o600
    assert mode(cfg.state_file.parent) == 0o700  # ~/.local/state/incasso-tui
    assert mode(cfg.state_file.parent.parent) == 0o700  # and XDG_STATE_HOME, created by us too
    try:
        raise ValueError("NL91ABNA0417164300 in a traceback")
    except ValueError as exc:
        assert log_exception(exc) == str(cfg.log_file)
    assert mode(cfg.log_file) == 0o600
    # a log written world-readable before the fix loses its world bits at the next entry
    os.chmod(cfg.log_file, 0o644)
    log_exception(RuntimeError("again"))
    assert mode(cfg.log_file) == 0o600 and cfg.log_file.read_text().count("ERROR") == 2


def test_group_readable_state_and_log(isolated_env, tmp_path):
    from incasso_tui.core.logfile import log_exception
    from incasso_tui.core.state import update_state

    path = tmp_path / "config.toml"
    path.write_text("[files]\ngroup_readable = true\n", encoding="utf-8")
    cfg = config_mod.load(str(path))
    assert cfg.group_readable
    update_state(cfg.state_file, theme="nord")
    log_exception(ValueError("x"))
    assert (mode(cfg.state_file), mode(cfg.log_file), mode(cfg.state_file.parent)) == (0o640, 0o640, 0o750)


def test_group_readable_must_be_a_boolean(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[files]\ngroup_readable = "yes"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(path), "user", "list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert (
        result.stderr == f"incasso: config {path}: files.group_readable must be true or false (got 'yes')\n"
    )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_mandate_forms_are_private(world, db_url, tmp_path):
    cfg = world(allow_user_flag=True)
    db.bind(db_url)
    zon = m.Mandate.select().join(m.Administration).where(m.Administration.code == "ZON")
    first = zon.order_by(m.Mandate.id).get()
    m.Mandate.update(form_printed_at=dt.datetime(2026, 1, 1)).where(m.Mandate.id != first.id).execute()
    m.Mandate.update(form_printed_at=None).where(m.Mandate.id == first.id).execute()
    db.close()
    # many forms in one PDF, over a file that was world-readable: it loses its world bits
    many = tmp_path / "forms" / "all.pdf"
    many.parent.mkdir()
    many.write_bytes(b"old")
    os.chmod(many, 0o644)
    result = run(
        cfg, "--user", BOSS, "mandates", "forms", "--unprinted", "--out", str(many), "--administration", "ZON"
    )
    assert result.returncode == 0, result.stderr
    assert mode(many) == 0o600 and many.read_bytes()[:5] == b"%PDF-"
    # one form, into directories that do not exist yet
    out = tmp_path / "forms" / "new" / "deeper" / "form.pdf"
    result = run(cfg, "--user", BOSS, "mandate", "form", first.reference, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (mode(out), mode(out.parent), mode(out.parent.parent)) == (0o600, 0o700, 0o700)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pain008_files_and_letters_follow_group_readable(world, db_url, tmp_path):
    outbox = tmp_path / "outbox"
    cfg = world(
        f'\n[paths]\noutbox_dir = "{outbox}"\n\n[files]\ngroup_readable = true\n', allow_user_flag=True
    )
    created = run(cfg, "--user", "anna", "set", "new", "--bank-group", "ING", "--json")
    assert created.returncode == 0, created.stderr
    set_id = str(json.loads(created.stdout)["id"])
    done = run(cfg, "--user", "anna", "set", "process", set_id, "--wait")
    assert done.returncode == 0, done.stderr
    names = done.stdout.split()
    assert names and all(mode(outbox / "ING" / name) == 0o640 for name in names)
    assert (mode(outbox / "ING"), mode(outbox)) == (0o750, 0o750)  # the outbox directories too
    letters = tmp_path / "letters" / "ING"  # a directory: the set has a CORE and a B2B file
    result = run(cfg, "--user", "anna", "set", "letter", set_id, "--out", str(letters))
    assert result.returncode == 0, result.stderr
    made = [Path(p) for p in result.stdout.split()]
    assert len(made) == len(names) and all(mode(p) == 0o640 for p in made)
    assert (mode(letters), mode(letters.parent)) == (0o750, 0o750)


def test_the_helpers_other_writers_use(tmp_path):
    """private_mode/dir_mode/ensure_private_file: what the database file's creator calls."""
    assert (files.private_mode(), files.dir_mode()) == (0o600, 0o700)
    target = files.make_private_dir(tmp_path / "a" / "b") / "incasso.sqlite3"
    assert files.ensure_private_file(target) and mode(target) == 0o600
    assert mode(tmp_path / "a") == 0o700 and mode(tmp_path / "a" / "b") == 0o700
    os.chmod(target, 0o644)
    assert not files.ensure_private_file(target) and mode(target) == 0o644  # existing: untouched
    files.set_group_readable(True)
    assert (files.private_mode(), files.dir_mode()) == (0o640, 0o750)
    assert mode(files.write_atomic(tmp_path / "x", b"x")) == 0o640
