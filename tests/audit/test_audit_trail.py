"""The audit trail as users read it: every kind of object, filters, rights, old -> new, and the
`incasso audit` command (a real process) with --json and exports."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys

import pytest

from incasso_tui.core.errors import NotFound, ValidationError
from incasso_tui.db import models as m
from incasso_tui.services import audit, users
from incasso_tui.services.audit_trail import AuditFilter, audit_trail, make_filter, object_history
from incasso_tui.services.debtors import DebtorInput, update_debtor
from incasso_tui.services.organisation import edit_administration, edit_bank_group


def run(config, *args, user="tester"):
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", user, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _adm(code: str) -> m.Administration:
    return m.Administration.get(m.Administration.code == code)


@pytest.fixture
def trail(demo):
    """Real edits by the services: a debtor of ZON and of RIJN, an administration, a bank
    group, a user's role; and one entry of KLIM recorded directly."""
    admin = demo()
    zon = m.Debtor.select().where(m.Debtor.administration == _adm("ZON")).order_by(m.Debtor.id).first()
    rijn = m.Debtor.select().where(m.Debtor.administration == _adm("RIJN")).order_by(m.Debtor.id).first()
    old_name = zon.name
    update_debtor(
        admin, zon.id, DebtorInput(**{**DebtorInput.from_debtor(zon).__dict__, "name": "Peña Renamed"})
    )
    update_debtor(
        admin, rijn.id, DebtorInput(**{**DebtorInput.from_debtor(rijn).__dict__, "town": "Utrecht"})
    )
    edit_administration(admin, "RIJN", name="Rijnland Nieuw")
    group = m.BankGroup.select().order_by(m.BankGroup.id).first()
    edit_bank_group(admin, group.code, name="Groep Nieuw")
    users.set_role(admin, "bram", "operator")
    users.set_role(admin, "bram", "support")
    klim = m.Debtor.select().where(m.Debtor.administration == _adm("KLIM")).first()
    audit.record("anna", "note.klim", klim, summary="a note on a KLIM debtor")
    return {"admin": admin, "demo": demo, "zon": zon, "rijn": rijn, "old_name": old_name, "group": group}


def test_an_edited_debtor_shows_old_and_new(trail):
    history = object_history(trail["admin"], "debtor", trail["zon"].id)
    assert len(history) == 1
    assert history[0]["user"] == "tester"
    assert history[0]["changes"]["name"] == [trail["old_name"], "Peña Renamed"]


def test_every_kind_of_object_has_its_history(trail):
    admin = trail["admin"]
    rijn = _adm("RIJN")
    adm_history = object_history(admin, "administration", rijn.id)
    assert adm_history and adm_history[0]["changes"]["name"][1] == "Rijnland Nieuw"
    group_history = object_history(admin, "bank-group", trail["group"].id)
    assert group_history and group_history[0]["changes"]["name"][1] == "Groep Nieuw"
    bram = m.User.get(m.User.login == "bram")
    roles = [h["changes"]["role"] for h in object_history(admin, "user", bram.id)]
    assert roles == [["operator", "support"], ["support", "operator"]]  # newest first


def test_filters_kind_user_since_and_paging(trail):
    admin = trail["admin"]
    everything = audit_trail(admin, AuditFilter(), 0, 1000)
    assert everything.total == len(everything.rows) >= 7
    ats = [(e.at, e.id) for e in everything.rows]
    assert ats == sorted(ats, reverse=True)  # newest first
    debtors = audit_trail(admin, AuditFilter("debtor"), 0, 1000).rows
    assert {e.kind for e in debtors} == {"debtor"} and len(debtors) == 3
    by_anna = audit_trail(admin, AuditFilter(user="anna"), 0, 1000).rows
    assert [e.action for e in by_anna] == ["note.klim"]
    assert audit_trail(admin, AuditFilter(since=dt.date(2099, 1, 1)), 0, 10).total == 0
    assert audit_trail(admin, AuditFilter(since=dt.date(2000, 1, 1)), 0, 1000).total == everything.total
    page = audit_trail(admin, AuditFilter(), 2, 3)
    assert [e.id for e in page.rows] == [e.id for e in everything.rows[2:5]] and page.more


def test_rights_a_user_sees_only_the_administrations_they_may_see(trail):
    demo = trail["demo"]
    zon, klim, rijn = _adm("ZON").id, _adm("KLIM").id, _adm("RIJN").id
    seen = {
        login: {e.administration_id for e in audit_trail(demo(login), AuditFilter(), 0, 1000).rows}
        for login in ("bram", "anna", "chris", "dirk", "tester")
    }
    assert seen["bram"] == {zon}
    assert seen["anna"] == {zon, klim}
    assert seen["chris"] == {rijn}
    assert seen["dirk"] == {zon, klim, rijn}
    assert None in seen["tester"]  # users, bank groups: admins only
    # An object of another administration: its history is empty, not an error that names it.
    assert object_history(demo("bram"), "debtor", trail["rijn"].id) == []
    assert object_history(demo("bram"), "bank-group", trail["group"].id) == []


def test_the_filter_from_text(trail):
    admin = trail["admin"]
    mandate = m.Mandate.select().order_by(m.Mandate.id).first()
    assert make_filter(admin, f"mandate:{mandate.reference}").object_id == str(mandate.id)
    assert make_filter(admin, "bank-group:3") == AuditFilter("bank-group", "3")
    assert make_filter(admin, since="24-11-2026").since == dt.date(2026, 11, 24)
    assert make_filter(admin, since="2026-11-24").since == dt.date(2026, 11, 24)
    with pytest.raises(ValidationError, match="kind must be one of"):
        make_filter(admin, "invoice:1")
    with pytest.raises(ValidationError, match="ID must be a number"):
        make_filter(admin, "debtor:abc")
    with pytest.raises(ValidationError, match="since"):
        make_filter(admin, since="31-02-2026")
    with pytest.raises(NotFound):
        make_filter(trail["demo"]("chris"), f"mandate:{mandate.reference}")  # a ZON mandate


def _cli_world(config_file):
    cfg = config_file()
    assert run(cfg, "init", "--demo").returncode == 0
    assert run(cfg, "user", "role", "bram", "operator").returncode == 0
    assert run(cfg, "administration", "edit", "ZON", "--name", "Zonnepark Nieuw").returncode == 0
    return cfg


def test_cli_audit_filters_json_and_rights(db_url, config_file, tmp_path):
    cfg = _cli_world(config_file)
    result = run(cfg, "audit", "--json")
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    actions = [e["action"] for e in entries]
    assert actions[0] == "administration.edit" and "user.role" in actions  # newest first
    edit = entries[0]
    assert edit["object"] == "administration" and edit["changes"]["name"][1] == "Zonnepark Nieuw"

    zon_id = edit["object_id"]
    one = json.loads(run(cfg, "audit", "--object", f"administration:{zon_id}", "--json").stdout)
    assert [e["action"] for e in one] == ["administration.edit"]
    users_only = json.loads(run(cfg, "audit", "--object", "user", "--json").stdout)
    assert users_only and {e["object"] for e in users_only} == {"user"}
    assert json.loads(run(cfg, "audit", "--user", "nobody", "--json").stdout) == []
    assert len(json.loads(run(cfg, "audit", "--limit", "1", "--json").stdout)) == 1
    assert json.loads(run(cfg, "audit", "--since", "01-01-2099", "--json").stdout) == []
    assert len(json.loads(run(cfg, "audit", "--since", "2000-01-01", "--json").stdout)) == len(entries)

    text = run(cfg, "audit").stdout
    assert "administration:" in text and "Zonnepark Nieuw" in text and " -> " in text

    # bram (support, ZON) sees the ZON edit, not the user entries (no administration);
    # chris (RIJN) sees neither.
    bram = json.loads(run(cfg, "audit", "--json", user="bram").stdout)
    assert bram[0]["action"] == "administration.edit"
    assert {e["administration_id"] for e in bram} == {int(zon_id)}
    chris = json.loads(run(cfg, "audit", "--json", user="chris").stdout)
    assert all(e["administration_id"] not in (None, int(zon_id)) for e in chris)

    bad = run(cfg, "audit", "--object", "thing:1")
    assert bad.returncode != 0 and "kind must be one of" in bad.stderr and "Traceback" not in bad.stderr
    bad = run(cfg, "audit", "--since", "yesterday")
    assert bad.returncode != 0 and "since" in bad.stderr and "Traceback" not in bad.stderr


def test_cli_audit_exports_csv_one_line_per_changed_field(db_url, config_file, tmp_path):
    cfg = _cli_world(config_file)
    out = tmp_path / "audit.csv"
    result = run(cfg, "audit", "--object", "user", "--csv", str(out))
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    header, lines = rows[0], rows[1:]
    assert header[:3] == ["When", "User", "Object"] or header[:3] == ["Wanneer", "Gebruiker", "Object"]
    role_line = next(r for r in lines if r[-2:] == ["support", "operator"])
    assert role_line[1] == "tester" and role_line[2].startswith("user:")
