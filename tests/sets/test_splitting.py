"""A set over its bank group's maximum per file is written as several files, each a complete
pain.008 (own MsgId, group header, SHA-256) that passes the strict check and the XSD; a PmtInf
is split only when it alone exceeds the maximum. Orders point at their own file, regenerating
is byte-identical, sending sends them all, every file gets its own letter, and InitgPty is the
organisation submitting the file, never the bank group."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from incasso_tui.core.errors import Refused
from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.documents.formatting import format_cents, format_count, format_iban
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.sepa import read_pain008, validate_stream
from incasso_tui.sepa.check import CheckReport, FileChecker
from incasso_tui.services.collection import letters, outbox, processing, sending, sets
from incasso_tui.services.collection.splitting import Piece, pack

from .helpers import TODAY, world

LIMIT = 3


def run(actor, set_id, outbox_dir):
    job_id = processing.process_set(actor, set_id, outbox_dir=outbox_dir)
    status = JobRunner().run_one(job_id)
    assert status == "done", m.Job.get_by_id(job_id).error
    return m.Job.get_by_id(job_id)


def live_files(set_id: int) -> list[dict]:
    return [f for f in m.CollectionSet.get_by_id(set_id).files if not f.get("superseded")]


def limit_group(limit: int | None = LIMIT, code: str = "ABN") -> None:
    m.BankGroup.update(max_per_file=limit).where(m.BankGroup.code == code).execute()


def make_recurrent(orders) -> None:
    """These orders' mandates were collected before: RCUR, a PmtInf of their own."""
    ids = [o.mandate_id for o in orders]
    m.Mandate.update(collected=True, last_collection_date=TODAY - dt.timedelta(days=30)).where(
        m.Mandate.id.in_(ids)
    ).execute()


def check_files(files: list[dict], limit: int | None = LIMIT) -> dict[str, str]:
    """Every file: strict check (as `incasso sepa check`, MsgIds shared between the files),
    the real XSD, its recorded SHA-256 and group header, at most `limit` transactions.
    Returns EndToEndId -> the file holding it (each in exactly one file)."""
    msg_ids: dict[str, tuple[str, int]] = {}
    holder: dict[str, str] = {}
    for f in files:
        checker = FileChecker(f["path"], today=TODAY, strict=True, msg_ids=msg_ids)
        findings = list(checker.run())
        assert CheckReport.of(checker, findings).ok, [str(x) for x in findings]
        assert validate_stream(f["path"], f["version"]) == f["count"]
        assert hashlib.sha256(Path(f["path"]).read_bytes()).hexdigest() == f["sha256"]
        read = read_pain008(f["path"])
        assert read.header.msg_id == f["msg_id"]
        assert (read.nb_of_txs, read.ctrl_sum_cents) == (f["count"], f["total_cents"])
        assert limit is None or read.nb_of_txs <= limit
        assert len({info.key.instrument for info, _ in read.batches}) == 1
        for info, txs in read.batches:
            assert info.nb_of_txs == len(txs) and info.ctrl_sum_cents == sum(t.amount_cents for t in txs)
            for tx in txs:
                assert tx.end_to_end_id not in holder, f"{tx.end_to_end_id} in two files"
                holder[tx.end_to_end_id] = f["name"]
    return holder


def check_orders_point_at_their_files(set_id: int, holder: dict[str, str]) -> None:
    rows = list(m.CollectionOrder.select().where(m.CollectionOrder.collection_set == set_id))
    assert rows and {o.end_to_end_id for o in rows} == set(holder)
    assert all(o.status == "underway" and o.file_name == holder[o.end_to_end_id] for o in rows)


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# --------------------------------------------------------------------------- packing, pure


def test_packing_keeps_pmt_infs_whole_unless_one_alone_is_too_big():
    assert pack([("a", 3)], 3) == [[Piece("a", 0, 3)]]
    assert pack([("a", 2), ("b", 2)], 3) == [[Piece("a", 0, 2)], [Piece("b", 0, 2)]]
    assert pack([("a", 1), ("b", 2), ("c", 3)], 3) == [
        [Piece("a", 0, 1), Piece("b", 0, 2)],
        [Piece("c", 0, 3)],
    ]
    # Too big alone: fills what the current file has left, then whole files, the rest starts the next.
    assert pack([("a", 2), ("b", 7), ("c", 1)], 3) == [
        [Piece("a", 0, 2), Piece("b", 0, 1)],
        [Piece("b", 1, 4)],
        [Piece("b", 4, 7)],
        [Piece("c", 0, 1)],
    ]
    assert pack([("a", 7)], 3) == [[Piece("a", 0, 3)], [Piece("a", 3, 6)], [Piece("a", 6, 7)]]
    assert pack([("a", 5), ("b", 5)], None) == [[Piece("a", 0, 5), Piece("b", 0, 5)]]
    assert pack([], 3) == []
    with pytest.raises(ValueError, match="1 or more"):
        pack([("a", 1)], 0)


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 8])
def test_packing_never_exceeds_the_limit_nor_repeats_a_pmt_inf_in_a_file(limit):
    pmt_infs = [(k, n) for k, n in enumerate([1, 4, 2, 9, 3, 3, 1, 12])]
    files = pack(pmt_infs, limit)
    assert all(0 < sum(p.count for p in f) <= limit for f in files)
    assert all(len({p.key for p in f}) == len(f) for f in files)
    for key, count in pmt_infs:  # each PmtInf covered exactly, in order
        pieces = [p for f in files for p in f if p.key == key]
        assert pieces[0].start == 0 and pieces[-1].stop == count
        assert all(a.stop == b.start for a, b in itertools.pairwise(pieces))
        assert len(pieces) == 1 or count > limit


# --------------------------------------------------------------------------- files


def test_exactly_the_maximum_is_one_file_named_as_without_a_limit(admin, tmp_path):
    world(LIMIT)
    limit_group()
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path)
    (f,) = live_files(created.id)
    cset = m.CollectionSet.get_by_id(created.id)
    stamp = dt.datetime.fromisoformat(cset.selection["_created_at"])
    assert f["msg_id"] == f"INC-{created.id}-{stamp:%Y%m%d%H%M%S}" and f["name"] == f"ABN_{f['msg_id']}.xml"
    check_orders_point_at_their_files(created.id, check_files([f]))
    limit_group(None)  # the same set without a limit: the very same file
    run(admin, created.id, tmp_path)
    (again,) = live_files(created.id)
    assert (again["name"], again["sha256"]) == (f["name"], f["sha256"])


def test_one_over_the_maximum_is_two_files_with_whole_pmt_infs(admin, tmp_path):
    _group, _adm, _account, order_list = world(LIMIT + 1)
    make_recurrent(order_list[2:])  # FRST 2, RCUR 2: the RCUR PmtInf does not fit the first file
    limit_group()
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path)
    files = live_files(created.id)
    assert [f["name"] for f in files] == [f"ABN_{files[0]['msg_id']}.xml", f"ABN_{files[0]['msg_id']}-2.xml"]
    assert files[1]["msg_id"] == files[0]["msg_id"] + "-2" and len(files[1]["msg_id"]) <= 35
    assert [[p["sequence_type"] for p in f["pmt_inf"]] for f in files] == [["FRST"], ["RCUR"]]
    assert [f["count"] for f in files] == [2, 2]
    check_orders_point_at_their_files(created.id, check_files(files))
    assert sorted(p.name for p in (tmp_path / "ABN").iterdir() if p.suffix == ".xml") == sorted(
        f["name"] for f in files
    )
    assert not [p for p in (tmp_path / "ABN").iterdir() if p.name.startswith(".")]


def test_a_pmt_inf_over_the_maximum_becomes_several_pmt_infs(admin, tmp_path):
    _group, _adm, _account, order_list = world(2 * LIMIT + 2)
    make_recurrent(order_list[:2])  # FRST 6 (too big alone), RCUR 2
    limit_group()
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path)
    files = live_files(created.id)
    layout = [[(p["sequence_type"], p["count"]) for p in f["pmt_inf"]] for f in files]
    assert layout == [[("FRST", 3)], [("FRST", 3)], [("RCUR", 2)]]
    holder = check_files(files)
    check_orders_point_at_their_files(created.id, holder)
    frst = sorted(o.amount_cents for o in order_list[2:])
    assert sum(f["total_cents"] for f in files[:2]) == sum(frst)
    assert files[0]["pmt_inf"][0]["total_cents"] == sum(frst[:3])  # per-piece totals, id order
    assert len({p["id"] for f in files for p in f["pmt_inf"]}) == 3  # PmtInfIds unique


def test_regenerating_a_split_set_is_byte_identical_and_sending_sends_every_file(admin, tmp_path):
    world(2 * LIMIT + 1)
    limit_group()
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path)
    first = [(f["name"], f["sha256"]) for f in live_files(created.id)]
    assert len(first) == 3
    run(admin, created.id, tmp_path)  # re-process the processed (unsent) set
    assert [(f["name"], f["sha256"]) for f in live_files(created.id)] == first
    assert not [f for f in m.CollectionSet.get_by_id(created.id).files if f.get("superseded")]
    (tmp_path / "bank").mkdir()
    m.BankGroup.update(delivery_dir=str(tmp_path / "bank")).execute()
    result = sending.send_set(admin, created.id, outbox_dir=tmp_path)
    assert len(result["delivered"]) == 3 and m.CollectionSet.get_by_id(created.id).status == "sent"
    for name, digest in first:
        assert hashlib.sha256((tmp_path / "bank" / name).read_bytes()).hexdigest() == digest


def test_sending_again_after_a_failure_half_way_never_sends_a_file_twice(admin, tmp_path):
    world(LIMIT + 1)
    limit_group()
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path)
    files = live_files(created.id)
    log = tmp_path / "sent.log"
    script = (
        "import sys, pathlib, os; f = pathlib.Path(sys.argv[1]);"
        f"open({str(log)!r}, 'a').write(f.name + '\\n');"
        "sys.exit('bank offline' if f.name.endswith('-2.xml') and not os.path.exists(sys.argv[2]) else 0)"
    )
    ok = tmp_path / "online"
    m.BankGroup.update(send_command=[sys.executable, "-c", script, "{file}", str(ok)]).execute()
    with pytest.raises(sending.SendError, match=f"bank offline.*delivered before it: {files[0]['name']}"):
        sending.send_set(admin, created.id, outbox_dir=tmp_path)
    assert m.CollectionSet.get_by_id(created.id).status == "processed"
    ok.write_text("")
    result = sending.send_set(admin, created.id, outbox_dir=tmp_path)
    assert result["delivered"][0].startswith(f"{files[0]['name']} already delivered")
    assert m.CollectionSet.get_by_id(created.id).status == "sent"
    assert log.read_text().split() == [files[0]["name"], files[1]["name"], files[1]["name"]]


def test_a_file_failing_its_xsd_check_commits_nothing(admin, tmp_path, monkeypatch):
    from incasso_tui.sepa import SepaError

    world(LIMIT + 1)
    limit_group()
    created = sets.create_set(admin, "ABN")

    class SecondFails(processing.Validation):
        def result(self):
            if self.written.msg_id.endswith("-2"):
                raise SepaError("file", "is not valid against the XSD (test)")
            return super().result()

    monkeypatch.setattr(processing, "Validation", SecondFails)
    job_id = processing.process_set(admin, created.id, outbox_dir=tmp_path)
    assert JobRunner().run_one(job_id) == "failed"
    error = m.Job.get_by_id(job_id).error
    assert "-2.xml not written" in error and "XSD (test)" in error
    cset = m.CollectionSet.get_by_id(created.id)
    assert cset.status == "failed" and not cset.files
    assert {o.status for o in m.CollectionOrder.select()} == {"open"}
    assert not list((tmp_path / "ABN").glob("*.xml")) and not list((tmp_path / "ABN").glob(".*.staged"))


def test_recovery_finishes_every_file_and_removes_unrecorded_ones(admin, tmp_path):
    world(2 * LIMIT)
    limit_group()
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path)
    files = live_files(created.id)
    assert len(files) == 2
    for f in files:  # as a worker killed between the commit and the renames leaves them
        os.replace(f["path"], outbox.staged_path(Path(f["path"])))
    stray = tmp_path / "ABN" / f".ABN_{files[0]['msg_id']}-9.xml.staged"
    stray.write_text("<half/>")
    actions = outbox.recover_set_files(m.CollectionSet.get_by_id(created.id), tmp_path / "ABN")
    assert sorted(actions) == sorted(
        [f"completed {f['name']}" for f in files] + [f"removed unrecorded {stray.name}"]
    )
    assert all(Path(f["path"]).is_file() for f in files) and not stray.exists()


def test_two_accounts_and_two_schemes(admin, tmp_path):
    world(2, with_b2b=2)
    world(4, adm_code="ZUN", account_no="0417164301")
    limit_group()
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path)
    files = live_files(created.id)
    schemes = [f["scheme"] for f in files]
    assert sorted(schemes) == ["B2B", "CORE", "CORE"]
    assert [f["name"].split("_")[1].split("-")[0] for f in files] == [
        "INCB" if s == "B2B" else "INC" for s in schemes
    ]
    holder = check_files(files)
    check_orders_point_at_their_files(created.id, holder)
    core = [f for f in files if f["scheme"] == "CORE"]
    # ZON's 2 CORE orders and 1 of ZUN's 4 share the first file: ZUN's PmtInf (over 3) is split.
    assert [len({p["bank_account_id"] for p in f["pmt_inf"]}) for f in core] == [2, 1]


# --------------------------------------------------------------------------- letters


def test_every_file_gets_its_own_letter_with_its_own_totals(admin, tmp_path):
    world(2 * LIMIT + 1)
    limit_group()
    created = sets.create_set(admin, "ABN")
    job = run(admin, created.id, tmp_path)
    files = live_files(created.id)
    assert "3 letters beside the files" in job.result["message"]
    for f in files:
        letter = Path(f["path"]).with_name(Path(f["name"]).stem + "-opdrachtbrief.pdf")
        text = pdf_text(letter)
        assert f["name"] in text and f["msg_id"] in text and f["sha256"] in text
        assert f"Totaal {format_count(f['count'], 'nl')} {format_cents(f['total_cents'], 'nl')}" in text
        assert "ten gunste van onze rekening" in text and "Subtotaal" not in text
        others = [g["msg_id"] for g in files if g is not f and g["msg_id"] not in f["msg_id"]]
        assert not [o for o in others if o in text]


def test_a_file_of_two_accounts_has_one_letter_with_its_total_and_a_subtotal_per_account(admin, tmp_path):
    _g, _a, first, _o = world(2)
    _g, _a, second, _o = world(1, adm_code="ZUN", account_no="0417164301")
    m.CollectionOrder.update(amount_cents=50_000).where(m.CollectionOrder.bank_account == second.id).execute()
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path)
    (f,) = live_files(created.id)
    read = read_pain008(f["path"])
    letters_made = letters.set_letters(admin, created.id, language="en")
    assert letters_made == [Path(f["path"]).with_name(Path(f["name"]).stem + "-opdrachtbrief.pdf")]
    text = pdf_text(letters_made[0])
    grand = f"File total (group header) {format_count(read.nb_of_txs, 'en')} {format_cents(read.ctrl_sum_cents, 'en')}"
    assert grand in text
    per = {p["bank_account_id"]: p for p in f["pmt_inf"]}
    for account in (first, second):
        p = per[account.id]
        assert format_iban(account.iban) in text
        assert f"Subtotal {format_count(p['count'], 'en')} {format_cents(p['total_cents'], 'en')}" in text
    # No sentence claims one account, nor that a subtotal is the group header.
    assert "our account" not in text and "more than one account" in text
    assert "Stichting ZON" in text and "Stichting ZUN" in text
    nl = pdf_text(letters.set_letters(admin, created.id, tmp_path / "nl.pdf", language="nl")[0])
    assert "onze rekening" not in nl and "meer dan één rekening" in nl
    m.BankAccount.update(letter_layout="compact").execute()
    compact = pdf_text(letters.set_letters(admin, created.id, tmp_path / "c.pdf", language="nl")[0])
    assert "bevoegd namens de hierboven genoemde incassanten" in compact
    assert "bevoegd namens Stichting" not in compact and "Subtotaal" in compact


def test_letter_out_is_the_pdf_for_one_file_and_a_directory_for_several(admin, tmp_path):
    world(LIMIT)
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path / "out")
    (one,) = letters.set_letters(admin, created.id, tmp_path / "single.pdf")
    assert one == tmp_path / "single.pdf" and one.read_bytes()[:5] == b"%PDF-"
    world(LIMIT + 2, adm_code="ZUN", account_no="0417164301")
    limit_group()
    split = sets.create_set(admin, "ABN")
    run(admin, split.id, tmp_path / "out")
    files = live_files(split.id)
    assert len(files) == 2
    made = letters.set_letters(admin, split.id, tmp_path / "letters" / "new")  # created when missing
    assert made == [
        tmp_path / "letters" / "new" / (Path(f["name"]).stem + "-opdrachtbrief.pdf") for f in files
    ]
    assert all(p.read_bytes()[:5] == b"%PDF-" for p in made)
    assert letters.set_letter(admin, split.id, tmp_path / "letters" / "new") == tmp_path / "letters" / "new"
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(Refused, match="directory"):
        letters.set_letters(admin, split.id, tmp_path / "a-file")


def test_set_letter_on_the_command_line(admin, config_file, tmp_path):
    world(LIMIT + 1)
    limit_group()
    created = sets.create_set(admin, "ABN")
    out = tmp_path / "outbox"
    run(admin, created.id, out)
    files = live_files(created.id)
    cfg = config_file(f'\n[paths]\noutbox_dir = "{out}"\n')
    db.close()

    def cli(*args):
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "incasso_tui",
                "--config",
                str(cfg),
                "--user",
                "tester",
                "set",
                "letter",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )

    done = cli(str(created.id), "--out", str(tmp_path / "dir"))
    assert done.returncode == 0, done.stderr
    expected = [tmp_path / "dir" / (Path(f["name"]).stem + "-opdrachtbrief.pdf") for f in files]
    assert done.stdout.split() == [str(p) for p in expected] and all(p.is_file() for p in expected)
    beside = cli(str(created.id))
    assert beside.returncode == 0, beside.stderr
    assert beside.stdout.split() == [
        str(Path(f["path"]).with_name(p.name)) for f, p in zip(files, expected, strict=True)
    ]
    # Several files: PATH is a directory whatever its name (one rule for scripts).
    named = cli(str(created.id), "--out", str(tmp_path / "all.pdf"))
    assert named.returncode == 0, named.stderr
    assert (tmp_path / "all.pdf").is_dir() and len(named.stdout.split()) == len(files)
    for f, path in zip(files, named.stdout.split(), strict=True):
        text = PdfReader(path).pages[0].extract_text().replace("\n", " ")
        assert f"{f['msg_id']}-1" in text
    (tmp_path / "plain").write_text("x")
    refused = cli(str(created.id), "--out", str(tmp_path / "plain"))
    assert refused.returncode == 1 and "directory" in refused.stderr and "Traceback" not in refused.stderr


async def test_the_set_screen_letter_action_writes_every_files_letter_and_says_where(
    admin, database, tmp_path
):
    from pilot_helpers import make_app, settle

    from screens.set_detail import SetDetailScreen

    world(LIMIT + 1)
    limit_group()
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path)
    files = live_files(created.id)
    beside = [Path(f["path"]).with_name(Path(f["name"]).stem + "-opdrachtbrief.pdf") for f in files]
    for pdf in beside:
        pdf.unlink()
    app = make_app(database)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.push_screen(SetDetailScreen(created.id))
        await settle(pilot)
        assert app.screen.check_action("letter", ()) is True
        await pilot.press("l")
        await settle(pilot)
        assert all(p.read_bytes()[:5] == b"%PDF-" for p in beside)
        said = [n.message for n in app._notifications]
        assert any(str(tmp_path / "ABN") in text and "2" in text for text in said), said


# --------------------------------------------------------------------------- InitgPty


def initiating_party(set_id: int) -> list[str]:
    return [read_pain008(f["path"]).header.initiating_party_name for f in live_files(set_id)]


def test_initiating_party_is_the_organisation_never_the_bank_group(admin, tmp_path):
    world(2)
    world(2, adm_code="ZUN", account_no="0417164301")
    group = m.BankGroup.get(m.BankGroup.code == "ABN")
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path)
    assert initiating_party(created.id) == ["Stichting ZON"]  # two administrations: the first
    m.AppMeta.create(key="organisation.name", value="Vereniging Samen")
    run(admin, created.id, tmp_path)
    assert initiating_party(created.id) == ["Vereniging Samen"]
    m.BankGroup.update(initiating_party="Samen Incasso BV").execute()
    run(admin, created.id, tmp_path)
    assert initiating_party(created.id) == ["Samen Incasso BV"]
    assert live_files(created.id)[0]["initiating_party"] == "Samen Incasso BV"
    assert group.name not in initiating_party(created.id)


def test_initiating_party_of_one_administration_is_its_name(admin, tmp_path):
    world(LIMIT + 1)
    limit_group()
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path)
    assert initiating_party(created.id) == ["Stichting ZON", "Stichting ZON"]
