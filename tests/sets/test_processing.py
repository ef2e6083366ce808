"""Processing a set through the queue: files (XSD-valid, one per scheme, byte-identical when
regenerated), the one transaction, re-processing, two users, failures, letter, sending."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import stat
import sys
from pathlib import Path

import pytest

from incasso_tui.core.errors import Refused
from incasso_tui.db import models as m
from incasso_tui.jobs import queue
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.sepa import check_file, read_pain008
from incasso_tui.services import jobs as job_service
from incasso_tui.services.collection import letters, orders, processing, sending, sets
from incasso_tui.services.collection.outbox_identity import MARKER

from .helpers import TODAY, operator, world


def run(actor, set_id, outbox, **kw):
    job_id = processing.process_set(actor, set_id, outbox_dir=outbox, **kw)
    status = JobRunner().run_one(job_id)
    return job_id, status, m.Job.get_by_id(job_id)


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_process_writes_one_valid_file_per_scheme_and_marks_everything(admin, tmp_path):
    _group, _adm, _account, order_list = world(4, with_b2b=2)
    m.Mandate.update(amend_iban="NL69INGB0123456789").where(
        m.Mandate.id == order_list[0].mandate_id
    ).execute()
    created = sets.create_set(admin, "ABN")
    _job_id, status, job = run(admin, created.id, tmp_path)
    assert status == "done", job.error
    cset = m.CollectionSet.get_by_id(created.id)
    assert cset.status == "processed" and cset.processed_by_id == admin.user_id
    files = {f["scheme"]: f for f in cset.files}
    assert set(files) == {"CORE", "B2B"}
    for f in files.values():
        path = Path(f["path"])
        assert path.parent == tmp_path / "ABN" and sha(path) == f["sha256"]
        report = check_file(str(path), today=TODAY)
        assert report.ok, report.errors
        read = read_pain008(str(path))
        assert read.nb_of_txs == f["count"] and read.ctrl_sum_cents == f["total_cents"]
    assert files["CORE"]["count"] == 4 and files["B2B"]["count"] == 2
    rows = list(m.CollectionOrder.select().order_by(m.CollectionOrder.id))
    assert {o.status for o in rows} == {"underway"}
    assert all(o.end_to_end_id == f"{created.id}-{o.id}" and o.sequence_type == "FRST" for o in rows)
    assert {o.file_name for o in rows} == {f["name"] for f in files.values()}
    mandates = list(m.Mandate.select())
    assert all(md.collected and md.last_collection_date == dt.date(2026, 11, 30) for md in mandates)
    # No stray staged or temporary files.
    assert sorted(p.name for p in (tmp_path / "ABN").iterdir() if p.name.startswith(".")) == []
    assert "AmdmntInd>true" in Path(files["CORE"]["path"]).read_text()


def test_regenerating_an_unchanged_set_is_byte_identical(admin, tmp_path):
    world(5)
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path)
    first = {f["name"]: f["sha256"] for f in m.CollectionSet.get_by_id(created.id).files}
    _, status, job = run(admin, created.id, tmp_path)  # re-process a processed (unsent) set
    assert status == "done", job.error
    again = {f["name"]: f["sha256"] for f in m.CollectionSet.get_by_id(created.id).files}
    assert again == first
    assert all(sha(tmp_path / "ABN" / name) == digest for name, digest in first.items())
    assert m.AuditEntry.select().where(m.AuditEntry.action == "set.reprocess").count() == 1


def test_two_users_processing_one_set_one_is_told(admin, tmp_path):
    _group, adm, _, _ = world(2)
    anna = operator("anna", adm)
    created = sets.create_set(admin, "ABN")
    processing.process_set(admin, created.id, outbox_dir=tmp_path)
    with pytest.raises(Refused, match="already queued"):
        processing.process_set(anna, created.id, outbox_dir=tmp_path)
    assert m.Job.select().where(m.Job.kind == "process_set").count() == 1


def test_unwritable_outbox_fails_the_job_and_marks_nothing(admin, tmp_path):
    if os.geteuid() == 0:
        outbox = tmp_path / "file-not-dir"
        outbox.write_text("x")  # a file where the directory should be: even root cannot write
    else:
        outbox = tmp_path / "ro"
        outbox.mkdir()
        outbox.chmod(stat.S_IRUSR | stat.S_IXUSR)
    world(3)
    created = sets.create_set(admin, "ABN")
    # Refused at once when queued: nothing goes into a queue it would fail in.
    with pytest.raises(Refused, match=r"outbox .* (cannot be created or reached|is not writable)"):
        processing.process_set(admin, created.id, outbox_dir=outbox)
    assert m.CollectionSet.get_by_id(created.id).status == "open" and not m.Job.select().exists()
    # The outbox gone by the time the job runs (a share unmounted): the job fails.
    job_id = processing.process_set(admin, created.id, outbox_dir=tmp_path / "good")
    job = m.Job.get_by_id(job_id)
    m.Job.update(payload={**job.payload, "outbox": str(outbox)}).where(m.Job.id == job_id).execute()
    status = JobRunner().run_one(job_id)
    job = m.Job.get_by_id(job_id)
    assert status == "failed" and job.error
    cset = m.CollectionSet.get_by_id(created.id)
    assert cset.status == "failed" and cset.error and not cset.files
    assert {o.status for o in m.CollectionOrder.select()} == {"open"}
    # Retry after the outbox is fixed: the job completes.
    job_service.retry(admin, job.id)
    m.Job.update(payload={**job.payload, "outbox": str(tmp_path / "fixed")}).where(
        m.Job.id == job.id
    ).execute()
    assert JobRunner().run_one(job.id) == "done"
    assert m.CollectionSet.get_by_id(created.id).status == "processed"


def test_cancelling_a_queued_job_puts_the_set_back(admin, tmp_path):
    world(2)
    created = sets.create_set(admin, "ABN")
    job_id = processing.process_set(admin, created.id, outbox_dir=tmp_path)
    assert job_service.request_cancel(admin, job_id) == "cancelled"
    assert m.CollectionSet.get_by_id(created.id).status == "open"
    job_service.retry(admin, job_id)
    assert m.CollectionSet.get_by_id(created.id).status == "queued"
    assert JobRunner().run_one(job_id) == "done"


def test_letter_sending_and_reprocessing_a_sent_set(admin, tmp_path):
    from pypdf import PdfReader

    _group, adm, _account, _order_list = world(3)
    created = sets.create_set(admin, "ABN")
    run(admin, created.id, tmp_path / "out")
    cset = m.CollectionSet.get_by_id(created.id)
    f = cset.files[0]
    pdf = letters.set_letter(admin, created.id, tmp_path / "letter.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert f["msg_id"] in compact and f["sha256"][:16] in compact
    assert f["pmt_inf"][0]["id"] in compact and "A.deVries" in compact
    assert adm.creditor_id in compact
    # Sending: no delivery configured -> refused; a failing command keeps it processed.
    with pytest.raises(Refused):
        sending.send_set(admin, created.id)
    m.BankGroup.update(
        send_command=[sys.executable, "-c", "import sys; sys.exit('bank says no')", "{file}"]
    ).execute()
    with pytest.raises(sending.SendError, match="bank says no"):
        sending.send_set(admin, created.id)
    assert m.CollectionSet.get_by_id(created.id).status == "processed"
    m.BankGroup.update(send_command=None, delivery_dir=str(tmp_path / "missing")).execute()
    with pytest.raises(sending.SendError, match="not reachable"):
        sending.send_set(admin, created.id)
    (tmp_path / "bank").mkdir()
    m.BankGroup.update(
        delivery_dir=str(tmp_path / "bank"),
        send_command=[
            sys.executable,
            "-c",
            "import sys,pathlib; assert pathlib.Path(sys.argv[1]).is_file()",
            "{file}",
        ],
    ).execute()
    result = sending.send_set(admin, created.id)
    cset = m.CollectionSet.get_by_id(created.id)
    assert cset.status == "sent" and cset.sent_by_id == admin.user_id
    assert sha(tmp_path / "bank" / f["name"]) == f["sha256"] and len(result["delivered"]) == 2
    # Re-processing a sent set needs an explicit confirmation and gives a new message id.
    with pytest.raises(Refused, match="already sent"):
        processing.process_set(admin, created.id, outbox_dir=tmp_path / "out")
    _, status, job = run(admin, created.id, tmp_path / "out", confirm_sent=True)
    assert status == "done", job.error
    cset = m.CollectionSet.get_by_id(created.id)
    live = [x for x in cset.files if not x.get("superseded")]
    assert len(live) == 1 and live[0]["msg_id"] != f["msg_id"] and cset.status == "processed"
    # Handling the set marks its orders processed.
    assert orders.handle_orders(admin, set_id=created.id) == 3
    assert {o.status for o in m.CollectionOrder.select()} == {"processed"}


def test_single_order_is_a_set_of_one(admin, tmp_path):
    world(3)
    order = m.CollectionOrder.select().first()
    created, job_id = processing.process_single_order(admin, order.id, outbox_dir=tmp_path)
    assert created.orders == 1
    assert JobRunner().run_one(job_id) == "done"
    assert m.CollectionOrder.get_by_id(order.id).status == "underway"
    assert m.CollectionOrder.select().where(m.CollectionOrder.status == "open").count() == 2


def test_cancelling_a_running_job_leaves_nothing_and_restores_the_set(admin, tmp_path):
    world(3)
    created = sets.create_set(admin, "ABN")
    job_id = processing.process_set(admin, created.id, outbox_dir=tmp_path)
    assert queue.claim(job_id, "test")
    m.Job.update(cancel_requested=True).where(m.Job.id == job_id).execute()

    class Ctx:
        user_id = admin.user_id

        def __init__(self):
            self.job_id = job_id

        def progress(self, *_a, **_k):
            pass

        def cancelled(self):
            return True

    result = processing.run_process_job(Ctx(), m.Job.get_by_id(job_id).payload)
    assert result == {"cancelled": True}
    assert m.CollectionSet.get_by_id(created.id).status == "open"
    assert {o.status for o in m.CollectionOrder.select()} == {"open"}
    assert not list(tmp_path.rglob("*.xml"))
    assert [p.name for p in tmp_path.rglob(".*")] == [MARKER]  # only the outbox's own marker


def test_a_mandate_effective_later_is_never_signed_after_its_file(admin, tmp_path):
    # No signature date known, effective from next week, collected the week after: the file
    # says it was signed today at the latest, so the strict check finds nothing.
    world(1)
    later = TODAY + dt.timedelta(days=3)
    m.Mandate.update(signed_date=None, effective_date=later).execute()
    m.CollectionOrder.update(requested_date=TODAY + dt.timedelta(days=10)).execute()
    created = sets.create_set(admin, "ABN", TODAY + dt.timedelta(days=10))
    assert created.orders == 1
    _job_id, status, job = run(admin, created.id, tmp_path)
    assert status == "done", job.error
    path = Path(m.CollectionSet.get_by_id(created.id).files[0]["path"])
    assert f"<DtOfSgntr>{TODAY.isoformat()}</DtOfSgntr>" in path.read_text()
    report = check_file(str(path), today=TODAY)
    assert report.ok and not [f for f in report.findings if f.rule == "signature-date"], report.findings
