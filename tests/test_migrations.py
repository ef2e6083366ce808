"""Versioned schema on both back-ends: fresh, from the previous version, refusing newer."""

from __future__ import annotations

import pytest

from incasso_tui.core.errors import ConfigError
from incasso_tui.db import database as db
from incasso_tui.db import migrations
from incasso_tui.db import models as m
from incasso_tui.services.session import require_current_schema


def test_empty_database_upgrades_to_latest(db_url):
    database = db.bind(db_url)
    assert migrations.current_version(database) == 0
    applied = migrations.upgrade(database)
    assert [x.version for x in applied] == [x.version for x in migrations.MIGRATIONS]
    assert migrations.current_version(database) == migrations.LATEST
    for model in m.ALL_MODELS:
        assert database.table_exists(model._meta.table_name), model.__name__
    assert migrations.upgrade(database) == []  # idempotent
    db.close()


def test_previous_version_upgrades_and_keeps_data(db_url):
    database = db.bind(db_url)
    migrations.upgrade(database, target=1)
    assert not database.table_exists("app_meta")
    adm = m.Administration.create(code="A", name="Alpha", creditor_id="NL69ZZZ123456780000")
    with pytest.raises(ConfigError, match="run `incasso db upgrade`"):
        require_current_schema(database)
    applied = migrations.upgrade(database)
    assert [x.version for x in applied] == list(range(2, migrations.LATEST + 1))
    assert database.table_exists("app_meta")
    assert "collection_order_bank_account_id_status" in {
        i.name for i in database.get_indexes("collection_order")
    }
    assert m.Administration.get_by_id(adm.id).name == "Alpha"
    require_current_schema(database)
    db.close()


def test_downgrade_then_upgrade_round_trip(database):
    migrations.downgrade(database, 1)
    assert migrations.current_version(database) == 1
    migrations.upgrade(database)
    assert migrations.current_version(database) == migrations.LATEST


def test_newer_database_is_refused(database):
    m.SchemaVersion.create(version=migrations.LATEST + 1)
    with pytest.raises(ConfigError, match=f"schema version {migrations.LATEST + 1}, newer than"):
        require_current_schema(database)
    with pytest.raises(ConfigError):
        migrations.upgrade(database)


def test_empty_database_is_explained(db_url):
    database = db.bind(db_url)
    with pytest.raises(ConfigError, match="run `incasso init`"):
        require_current_schema(database)
    db.close()
