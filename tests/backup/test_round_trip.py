"""`incasso db backup` and `incasso db restore` on both back-ends: a round trip gives the same
database, a database with data is replaced only with --force (by an admin), and a backup of an
older schema is restored and upgraded."""

from __future__ import annotations

import json
import os
import re
import stat
import tarfile

from incasso_tui.db import database as db
from incasso_tui.db import migrations
from incasso_tui.db import models as m

from .helpers import connected, contents, fresh_database, need_pg_tools, run, write_config


def _manifest(path) -> dict:
    with tarfile.open(path) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names == ["manifest.json", manifest["payload"]]
    return manifest


def _audit_actions(url: str) -> list[str]:
    with connected(url) as database:
        return [r[0] for r in database.execute_sql("SELECT action FROM audit_entry ORDER BY id").fetchall()]


def test_round_trip_gives_the_same_database(demo, config_file, db_url, tmp_path):
    need_pg_tools(db_url)
    cfg = config_file()
    db.close()
    folder = tmp_path / "backups"
    folder.mkdir()
    out = folder / "nightly.tar.gz"
    result = run(cfg, "db", "backup", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"backup written to {out}: ")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # personal data
    assert os.listdir(folder) == ["nightly.tar.gz"]  # no temporary file left beside it
    manifest = _manifest(out)
    assert manifest["backend"] == ("postgresql" if db_url.startswith("postgresql") else "sqlite")
    assert manifest["schema_version"] == migrations.LATEST
    assert manifest["format"] == "incasso-tui backup" and manifest["size"] > 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", manifest["created_at"])
    before = contents(db_url)
    assert _audit_actions(db_url)[-1] == "db.backup"  # audited in the database it copied

    with fresh_database(db_url, tmp_path) as target:
        cfg2 = write_config(tmp_path / "restore.toml", target)
        result = run(cfg2, "db", "restore", str(out))
        assert result.returncode == 0, result.stderr
        assert f"restored {out}" in result.stdout
        assert f"schema version {migrations.LATEST}" in result.stdout
        after = contents(target)
        actions = _audit_actions(target)
        users = run(cfg2, "user", "list")
    assert after["rows"] == before["rows"]
    # The backup's own entry was written after the copy; the restore adds its entry.
    assert {**after["counts"], "audit_entry": 0} == {**before["counts"], "audit_entry": 0}
    assert actions[-1] == "db.restore" and "db.backup" not in actions
    assert users.returncode == 0 and "anna" in users.stdout  # the restored database works


def test_a_database_with_data_is_replaced_only_with_force_by_an_admin(demo, config_file, db_url, tmp_path):
    need_pg_tools(db_url)
    cfg = config_file()
    out = tmp_path / "b.tar.gz"
    db.close()
    assert run(cfg, "db", "backup", str(out)).returncode == 0
    m.Administration.update(name="Changed after the backup").where(m.Administration.code == "ZON").execute()
    db.close()
    changed = contents(db_url)

    refused = run(cfg, "db", "restore", str(out))
    assert refused.returncode == 1
    assert re.search(r"holds 300 debtors, \d+ sets, \d+ users; --force replaces it", refused.stderr)
    assert "Traceback" not in refused.stderr
    operator = run(cfg, "db", "restore", "--force", str(out), user="anna")
    assert operator.returncode == 1
    assert "may not administer the database (restore over it)" in operator.stderr
    assert contents(db_url) == changed  # both refusals left it as it was

    forced = run(cfg, "db", "restore", "--force", str(out))
    assert forced.returncode == 0, forced.stderr
    assert "replaced what" in forced.stdout and "300 debtors" in forced.stdout
    with connected(db_url) as database:
        names = [r[0] for r in database.execute_sql("SELECT name FROM administration").fetchall()]
    assert "Changed after the backup" not in names


def test_a_backup_of_an_older_schema_is_restored_and_upgraded(demo, database, config_file, db_url, tmp_path):
    need_pg_tools(db_url)
    migrations.downgrade(database, 5)
    assert migrations.current_version(database) == 5
    db.close()
    cfg = config_file()
    out = tmp_path / "v5.tar.gz"
    made = run(cfg, "db", "backup", "--json", str(out))
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["schema_version"] == 5
    before = contents(db_url)

    with fresh_database(db_url, tmp_path) as target:
        result = run(write_config(tmp_path / "restore.toml", target), "db", "restore", str(out))
        assert result.returncode == 0, result.stderr
        assert f"schema upgraded from version 5 to {migrations.LATEST}" in result.stdout
        with connected(target) as restored:
            version = restored.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()[0]
            kvk = restored.execute_sql("SELECT kvk FROM administration").fetchall()
        after = contents(target)
    assert version == migrations.LATEST
    assert {r[0] for r in kvk} == {""}  # version 6's column, added by the upgrade
    assert len(after["rows"]["debtor"]) == len(before["rows"]["debtor"]) == 300
    assert [r[:3] for r in after["rows"]["debtor"]] == [r[:3] for r in before["rows"]["debtor"]]
    assert after["counts"]["collection_order"] == before["counts"]["collection_order"]
