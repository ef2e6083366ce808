"""`incasso feedback import|list|codes|decide|history` and `incasso order reverse` as a user
runs them: whole processes against the test database."""

from __future__ import annotations

import json

from sets.test_cli_sets import run

from feedback.fixtures import write
from feedback.test_feedback_service import ids_for, sent_set
from incasso_tui.db import database as db
from incasso_tui.db import models as m


def test_import_preview_apply_again_list_and_decide(admin, config_file, tmp_path):
    _cset, orders, core = sent_set(admin, tmp_path)
    path = write(tmp_path, "pain002_10_tx_rejects.xml", **ids_for(orders, core))
    cfg = config_file()
    db.close()

    dry = run(cfg, "feedback", "import", str(path), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    (report,) = json.loads(dry.stdout)
    assert report["dry_run"] and len(report["effects"]) == 6 and report["needs_decision"] == 1
    assert m.CollectionOrder.get_by_id(orders[0].id).status == "underway"

    done = run(cfg, "feedback", "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "changed 6 order(s) and 4 mandate(s)" in done.stdout
    assert "AC06" in done.stdout and "block_mandate" in done.stdout
    again = run(cfg, "feedback", "import", str(path))
    assert again.returncode == 0 and "already imported" in again.stdout
    assert "nothing changed" in again.stdout

    listed = run(cfg, "feedback", "list", "--open", "--json")
    rows = json.loads(listed.stdout)
    assert [r["reason_code"] for r in rows] == ["XX99"]
    refused = run(cfg, "feedback", "decide", str(rows[0]["id"]), "--note", " ")
    assert refused.returncode == 1 and "note is required" in refused.stderr
    decided = run(cfg, "feedback", "decide", str(rows[0]["id"]), "--note", "bank called: MS03")
    assert decided.returncode == 0, decided.stderr
    assert json.loads(run(cfg, "feedback", "list", "--open", "--json").stdout) == []
    by_kind = json.loads(run(cfg, "feedback", "list", "--reason", "AC06", "--json").stdout)
    assert [r["order_id"] for r in by_kind] == [orders[0].id]

    history = run(cfg, "feedback", "history", "--mandate", orders[0].mandate.reference)
    assert history.returncode == 0 and "AC06" in history.stdout and "collection" in history.stdout


def test_order_reverse_codes_and_bad_files(admin, config_file, tmp_path):
    _cset, orders, _core = sent_set(admin, tmp_path, n=2)
    cfg = config_file()
    db.close()
    day = orders[0].collection_date.isoformat()
    out = run(
        cfg,
        "order",
        "reverse",
        str(orders[0].id),
        "--kind",
        "refund",
        "--reason",
        "MD06",
        "--date",
        day,
        "--collect-again",
        "--new-date",
        "2026-12-31",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["order_status"] == ["underway", "reversed"] and result["new_order_id"]
    late = run(
        cfg,
        "order",
        "reverse",
        str(orders[1].id),
        "--kind",
        "reversal",
        "--reason",
        "MS02",
        "--date",
        "2027-02-01",
    )
    assert late.returncode == 1 and "5 TARGET2 days" in late.stderr
    assert "Traceback" not in late.stderr

    codes = run(cfg, "feedback", "codes", "--json")
    table = {r["code"]: r["action"] for r in json.loads(codes.stdout)}
    assert table["AC04"] == "block_mandate" and table["MD06"] == "refund"

    broken = write(tmp_path, "broken.xml")
    bad = run(cfg, "feedback", "import", str(broken))
    assert bad.returncode == 1 and "not well-formed" in bad.stderr
    assert "nothing was imported" in bad.stderr and "Traceback" not in bad.stderr
    missing = run(cfg, "feedback", "import", str(tmp_path / "nope.xml"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr
