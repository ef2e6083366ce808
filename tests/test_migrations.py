"""Versioned schema on both back-ends: fresh, from the previous version, refusing newer."""

from __future__ import annotations

import peewee as pw
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


def test_version_5_keeps_earlier_feedback_and_adds_the_identity(database):
    import datetime as dt

    import peewee as pw

    migrations.downgrade(database, 4)
    assert "sender" not in {c.name for c in database.get_columns("feedback_file")}
    assert "administration_id" not in {c.name for c in database.get_columns("bank_feedback")}
    # Before version 5 the same message could be imported twice (re-encoded): both are kept.
    for n in (1, 2):
        m.FeedbackFile.insert(
            name=f"f{n}.xml", sha256=str(n) * 64, format="pain.002", version="v", message_id="M-1"
        ).execute()
    m.BankFeedback.insert(
        kind="reject", date=dt.date(2026, 11, 24), matched=False, needs_decision=True
    ).execute()
    assert [x.version for x in migrations.upgrade(database, 5)] == [5]
    assert [f.sender for f in m.FeedbackFile.select()] == [None, None]
    assert m.BankFeedback.get().administration_id is None  # unmatched before: admins decide
    assert "feedback_file_format_message_id_sender" in {i.name for i in database.get_indexes("feedback_file")}
    values = {"format": "pain.002", "version": "v", "message_id": "M-1", "sender": "BANK"}
    m.FeedbackFile.create(name="g.xml", sha256="3" * 64, **values)
    with pytest.raises(pw.IntegrityError), database.atomic():
        m.FeedbackFile.create(name="h.xml", sha256="4" * 64, **values)
    migrations.downgrade(database, 4)
    assert m.FeedbackFile.select().count() == 3 and m.BankFeedback.select().count() == 1
    migrations.upgrade(database)
    assert migrations.current_version(database) == migrations.LATEST == 9


def test_version_6_adds_set_up_columns_with_their_defaults(database):
    migrations.downgrade(database, 5)
    assert "profile" not in {c.name for c in database.get_columns("bank_group")}
    database.execute_sql(
        "INSERT INTO bank_group (code, name, pain_version, lead_days, batch_booking, created_at) "
        "VALUES ('G', 'Group', 'pain.008.001.02', 2, TRUE, '2026-11-30 10:00:00')"
    )
    assert [x.version for x in migrations.upgrade(database, 6)] == [6]
    group = m.BankGroup.get(m.BankGroup.code == "G")
    assert (group.profile, group.max_per_file, group.initiating_party) == ("OTHER", None, "")
    assert {"max_per_transaction_cents", "max_per_month_cents"} <= {
        c.name for c in database.get_columns("bank_account")
    }
    assert "final" in {c.name for c in database.get_columns("collection_order")}
    assert "kvk" in {c.name for c in database.get_columns("administration")}


def test_upgrade_from_5_with_data_referring_to_rebuilt_tables(demo, database):
    """Version 6 adds a NOT NULL column to administration, which SQLite adds by rebuilding the
    table; with debtors, mandates and orders referring to it that failed on a foreign key."""
    counts = {model: model.select().count() for model in (m.Administration, m.Debtor, m.Mandate)}
    migrations.downgrade(database, 5)
    assert [x.version for x in migrations.upgrade(database)] == list(range(6, migrations.LATEST + 1))
    assert {model: model.select().count() for model in counts} == counts
    if isinstance(database, pw.SqliteDatabase):
        assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_version_8_adds_the_reports_index(database):
    migrations.downgrade(database, 7)
    assert "collection_order_collected" not in {i.name for i in database.get_indexes("collection_order")}
    migrations.upgrade(database)
    assert "collection_order_collected" in {i.name for i in database.get_indexes("collection_order")}
