"""The lifecycle commands on the command line: `incasso order final ID [--undo] [--json]` and
`incasso mandate replace-reference REF NEW [--administration CODE] [--json]`, run as the
user would (a separate process on the test database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from incasso_tui.db import database as db

from .helpers import world


def run(config, *args, user="tester"):
    env = {**os.environ, "USER": user, "LOGNAME": user}
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", user, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


def test_order_final_and_replace_reference_on_the_command_line(admin, config_file):
    from incasso_tui.db import models as m

    _group, adm, _account, orders = world(2)
    first, second = orders[0].id, orders[1].id
    bram = m.User.create(login="bram", name="Bram", role="support")
    m.UserAdministration.create(user=bram, administration=adm)
    cfg = config_file()
    db.close()

    marked = run(cfg, "order", "final", str(first), "--json")
    assert marked.returncode == 0, marked.stderr
    assert json.loads(marked.stdout) == {
        "order_id": first,
        "final": True,
        "mandate": "000001-1",
        "refused": "",
    }
    text = run(cfg, "order", "final", str(second))
    assert text.returncode == 0 and "final collection (FNAL) of mandate 000002-1" in text.stdout
    undone = run(cfg, "order", "final", str(second), "--undo")
    assert undone.returncode == 0 and "not the final collection" in undone.stdout
    missing = run(cfg, "order", "final", "999999")
    assert missing.returncode == 1 and "order 999999 does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr
    shown = json.loads(run(cfg, "set", "new", "--bank-group", "ABN", "--json").stdout)
    detail = json.loads(run(cfg, "set", "show", str(shown["id"]), "--json").stdout)
    assert {o["id"]: o["sequence_type"] for o in detail["order_rows"]} == {first: "FNAL", second: "FRST"}

    replaced = run(cfg, "mandate", "replace-reference", "000001-1", "LID-0001", "--administration", "ZON")
    assert replaced.returncode == 0, replaced.stderr
    assert "mandate 000001-1 is now LID-0001; no amendment pending" in replaced.stdout
    as_json = run(cfg, "mandate", "replace-reference", "lid-0001", "LID-0002", "--json")
    assert as_json.returncode == 0, as_json.stderr
    detail = json.loads(as_json.stdout)
    assert detail["reference"] == "LID-0002" and detail["amendment"] is None
    history = run(cfg, "mandate", "history", "LID-0002")
    assert "replaced by LID-0002" in history.stdout
    taken = run(cfg, "mandate", "replace-reference", "LID-0002", "000002-1")
    assert taken.returncode == 1 and "new reference '000002-1': is already used" in taken.stderr
    bad = run(cfg, "mandate", "replace-reference", "LID-0002", "a b")
    assert bad.returncode == 1 and "new reference" in bad.stderr and "Traceback" not in bad.stderr
    support = run(cfg, "order", "final", str(first), "--undo", user="bram")
    assert support.returncode == 1 and "may not" in support.stderr
    support = run(cfg, "mandate", "replace-reference", "LID-0002", "LID-0003", user="bram")
    assert support.returncode == 1 and "may not" in support.stderr
