"""Files a restore refuses, and backups that are refused or fail: each a clear one-line message
naming the file and the rule, exit 1, no traceback, and nothing stored changed or left behind."""

from __future__ import annotations

import dataclasses
import io
import os
import stat
import tarfile

import pytest

from incasso_tui.core import config as config_mod
from incasso_tui.core.errors import Refused
from incasso_tui.db import database as db
from incasso_tui.db import migrations
from incasso_tui.services import backup
from incasso_tui.services.backup import archive

from .helpers import contents, is_pg, need_pg_tools, run


def _parts(path):
    """The manifest and the payload bytes of a backup."""
    manifest = backup.read_manifest(path)
    buffer = io.BytesIO()
    archive.extract_payload(path, manifest, buffer)
    return manifest, buffer.getvalue()


def _rewrite(out, manifest, payload: bytes, tmp_path, **changes):
    """A backup file with this payload and the manifest changed as given."""
    raw = tmp_path / "payload.bin"
    raw.write_bytes(payload)
    size, sha = archive.digest(raw)
    fields = {"size": size, "sha256": sha, **changes}
    archive.write(out, dataclasses.replace(manifest, **fields), raw, overwrite=True)


def _corrupt_start(payload: bytes) -> bytes:
    return b"\xff" * 100 + payload[100:]


CASES = {
    "missing": "does not exist",
    "not_a_tar": "is not an incasso-tui backup: not a (compressed) tar archive",
    "foreign_tar": "is not an incasso-tui backup: it does not start with manifest.json",
    "truncated": "is damaged or incomplete (truncated?)",
    "checksum": "does not match the checksum in manifest.json",
    "corrupt_payload": "backup file",  # and what each back-end found: below
    "newer_schema": f"holds schema version {migrations.LATEST + 1}, newer than this incasso-tui knows",
    "other_backend": "a backup is restored only into the kind of database it was taken from",
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_restore_refuses_a_file_it_cannot_trust(demo, config_file, db_url, tmp_path, case):
    need_pg_tools(db_url)
    cfg = config_file()
    db.close()
    good = tmp_path / "good.tar.gz"
    assert run(cfg, "db", "backup", str(good)).returncode == 0
    manifest, payload = _parts(good)
    bad = tmp_path / f"{case}.tar.gz"
    if case == "not_a_tar":
        bad.write_text("name;iban\nJan;NL91ABNA0417164300\n")
    elif case == "foreign_tar":
        with tarfile.open(bad, "w:gz") as tar:
            tar.add(cfg, arcname="config.toml")
    elif case == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif case == "checksum":
        (tmp_path / "payload.bin").write_bytes(payload)
        wrong = dataclasses.replace(manifest, sha256="0" * 64)
        archive.write(bad, wrong, tmp_path / "payload.bin", overwrite=True)
    elif case == "corrupt_payload":
        _rewrite(bad, manifest, _corrupt_start(payload), tmp_path)
    elif case == "newer_schema":
        _rewrite(bad, manifest, payload, tmp_path, schema_version=migrations.LATEST + 1)
    elif case == "other_backend":
        other = "sqlite" if is_pg(db_url) else "postgresql"
        _rewrite(bad, manifest, payload, tmp_path, backend=other)
    before = contents(db_url)

    # --force: the file is refused before the database's content is even considered.
    result = run(cfg, "db", "restore", "--force", str(bad))
    assert result.returncode == 1, result
    message = result.stderr.strip()
    assert message.startswith("incasso: ") and "\n" not in message and "Traceback" not in message
    assert str(bad) in message
    assert CASES[case] in message
    if case == "corrupt_payload":
        assert (
            "pg_dump archive cannot be read" if is_pg(db_url) else "the database in it is damaged"
        ) in message
    assert contents(db_url) == before
    assert not [p for p in os.listdir(tmp_path) if ".restore-" in p]  # no temporary copy left


def test_a_backup_is_refused_for_an_empty_database_and_a_user_who_is_not_admin(db_url, config_file, tmp_path):
    cfg = config_file()
    out = tmp_path / "b.tar.gz"
    empty = run(cfg, "db", "backup", str(out))
    assert empty.returncode == 1 and "is empty: there is nothing to back up" in empty.stderr
    assert run(cfg, "init", "--demo").returncode == 0
    operator = run(cfg, "db", "backup", str(out), user="anna")
    assert operator.returncode == 1
    assert "user anna (operator) may not administer the database (backup)" in operator.stderr
    assert not out.exists()


def test_an_existing_file_is_replaced_only_with_force_and_modes_follow_the_config(
    demo, config_file, db_url, tmp_path
):
    need_pg_tools(db_url)
    db.close()
    out = tmp_path / "b.tar.gz"
    out.write_text("yesterday's")
    os.chmod(out, 0o644)
    cfg = config_file()
    refused = run(cfg, "db", "backup", str(out))
    assert refused.returncode == 1 and f"{out} exists already; --force replaces it" in refused.stderr
    assert out.read_text() == "yesterday's"
    assert run(cfg, "db", "backup", "--force", str(out)).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # not the old file's 0644
    assert backup.read_manifest(out).schema_version == migrations.LATEST
    group = config_file("\n[files]\ngroup_readable = true\n")
    assert run(group, "db", "backup", "--force", str(out)).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_an_interrupted_backup_leaves_no_file(demo, database, config_file, db_url, tmp_path, monkeypatch):
    """The archive fails while the payload goes in: neither the backup nor a temporary file
    remains (a half-written backup never looks complete)."""
    need_pg_tools(db_url)
    cfg = config_mod.load(str(config_file()))
    folder = tmp_path / "backups"
    folder.mkdir()
    real = tarfile.TarFile.addfile

    def failing(self, info, fileobj=None, **kwargs):
        if info.name != "manifest.json":
            raise OSError(28, "No space left on device")
        return real(self, info, fileobj, **kwargs)

    monkeypatch.setattr(tarfile.TarFile, "addfile", failing)
    with pytest.raises(Refused, match="No space left on device"):
        backup.make_backup(database, cfg, "tester", folder / "b.tar.gz")
    assert os.listdir(folder) == []


def test_pg_dump_missing_is_said_clearly(demo, config_file, db_url, tmp_path):
    if not is_pg(db_url):
        pytest.skip("PostgreSQL only: SQLite needs no tool")
    db.close()
    out = tmp_path / "b.tar.gz"
    result = run(config_file(), "db", "backup", str(out), env={"PATH": "/nonexistent"})
    assert result.returncode == 1
    assert "pg_dump not found on PATH: install the PostgreSQL client tools" in result.stderr
    assert os.listdir(tmp_path).count("b.tar.gz") == 0
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".payload")]


def test_a_postgresql_restore_failing_midway_leaves_the_database_as_it_was(
    demo, config_file, db_url, tmp_path
):
    """The dump's table of contents reads, but a row near its end does not load: the one
    transaction (drops included) is rolled back."""
    if not is_pg(db_url):
        pytest.skip("PostgreSQL only: an SQLite copy is checked whole before it goes in")
    need_pg_tools(db_url)
    cfg = config_file()
    db.close()
    good = tmp_path / "good.tar.gz"
    assert run(cfg, "db", "backup", str(good)).returncode == 0
    manifest, payload = _parts(good)
    damaged = bytearray(payload)
    damaged[-3000:-1000] = b"A" * 2000
    bad = tmp_path / "bad.tar.gz"
    _rewrite(bad, manifest, bytes(damaged), tmp_path)
    before = contents(db_url)
    result = run(cfg, "db", "restore", "--force", str(bad))
    assert result.returncode == 1
    assert f"restoring {bad} into" in result.stderr and "the database was left as it was" in result.stderr
    assert contents(db_url) == before
