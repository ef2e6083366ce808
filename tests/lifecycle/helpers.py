"""Builders for the lifecycle tests: the set tests' small world, a set processed through the
job queue (and sent), the file read back as XML and checked as `incasso sepa check` does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lxml import etree
from sets.helpers import TODAY, world

from incasso_tui.db import models as m
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.services.collection import processing, sending, sets

__all__ = ["TODAY", "files_of", "process", "send", "sepa_check", "transactions", "world"]


def process(actor, set_id: int, outbox: Path) -> m.CollectionSet:
    job_id = processing.process_set(actor, set_id, outbox_dir=outbox)
    status = JobRunner().run_one(job_id)
    assert status == "done", m.Job.get_by_id(job_id).error
    return m.CollectionSet.get_by_id(set_id)


def new_set_processed(actor, outbox: Path, group: str = "ABN") -> m.CollectionSet:
    created = sets.create_set(actor, group)
    assert created.orders > 0
    return process(actor, created.id, outbox)


def send(actor, set_id: int, bank: Path) -> None:
    bank.mkdir(exist_ok=True)
    cset = m.CollectionSet.get_by_id(set_id)
    m.BankGroup.update(delivery_dir=str(bank)).where(m.BankGroup.id == cset.bank_group_id).execute()
    sending.send_set(actor, set_id)


def files_of(cset: m.CollectionSet) -> list[Path]:
    return [Path(f["path"]) for f in (cset.files or []) if not f.get("superseded")]


def _local(element) -> str:
    return etree.QName(element).localname


def transactions(path: Path) -> list[dict]:
    """Each DrctDbtTxInf of the file with what the tests look at, read as plain XML."""
    out = []
    root = etree.parse(str(path)).getroot()
    for pmt in root.iter("{*}PmtInf"):
        seq = next(pmt.iter("{*}SeqTp")).text
        for tx in pmt.iter("{*}DrctDbtTxInf"):
            mandate = next(tx.iter("{*}MndtRltdInf"))
            address = next(iter(tx.find("{*}Dbtr").iter("{*}PstlAdr")), None)
            out.append(
                {
                    "e2e": next(tx.iter("{*}EndToEndId")).text,
                    "seq": seq,
                    "mandate": next(mandate.iter("{*}MndtId")).text,
                    "amended": next(mandate.iter("{*}AmdmntInd")).text,
                    "original_mandate": next((e.text for e in mandate.iter("{*}OrgnlMndtId")), None),
                    "address": None if address is None else {_local(e): e.text for e in address},
                }
            )
    return out


def sepa_check(*paths: Path) -> dict:
    """`incasso sepa check --json` on the files, as a separate process (the strict checker)."""
    done = subprocess.run(
        [sys.executable, "-m", "incasso_tui.cli.sepa", "check", "--json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(done.stdout)
    assert done.returncode == (0 if report["ok"] else 1), done.stderr
    return report
