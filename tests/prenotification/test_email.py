"""Pre-notifications by e-mail through a real SMTP server (aiosmtpd on 127.0.0.1): the right
recipients, the text and PDF in the debtor's language, and after a crash nobody gets a
second mail (a row left 'sending' becomes 'unknown', never sent again)."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys

import pypdf
import pytest

from incasso_tui.core import config as config_mod
from incasso_tui.core.errors import ConfigError, Refused
from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.jobs import queue
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.services import prenotification as pn
from incasso_tui.services.collection import sets
from incasso_tui.services.prenotification import mail

from .conftest import SMTP_PASSWORD, SMTP_USER
from .helpers import notice_world


def _pdf_text(msg) -> str:
    [attachment] = [part for part in msg.iter_attachments() if part.get_content_type() == "application/pdf"]
    reader = pypdf.PdfReader(io.BytesIO(attachment.get_content()))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def _queue(admin, config_file, smtp_toml):
    cfg = config_mod.load(str(config_file(smtp_toml)))  # the worker's own settings
    created = sets.create_set(admin, "ABN")
    result = pn.prenotify_set(admin, created.id, email=True, smtp=cfg.smtp)
    return created, result


def test_each_debtor_with_an_address_gets_one_mail_with_the_pdf(admin, config_file, smtp_server, smtp_toml):
    inbox, _ = smtp_server
    _, _, _, orders = notice_world(4)  # the last debtor has no e-mail address
    created, result = _queue(admin, config_file, smtp_toml)
    assert result.job_id and result.emails == 3
    assert [d["debtor_number"] for d in result.to_print] == [orders[3].debtor.number]
    assert inbox.received == []  # queued, not sent yet
    assert JobRunner().run_one(result.job_id) == "done"
    assert sorted(inbox.recipients()) == ["debtor0@example.org", "debtor1@example.org", "debtor2@example.org"]
    by_to = {tos[0]: (sender, msg) for sender, tos, msg in inbox.received}
    sender, nl = by_to["debtor0@example.org"]
    assert sender == "incasso@example.org" and "Stichting ZON" in nl["From"]
    assert nl["Subject"] == "Vooraankondiging incasso Stichting ZON"
    assert "30 november 2026" in nl.get_body().get_content() and "€ 10,00" in nl.get_body().get_content()
    assert orders[0].debtor.name in _pdf_text(nl)
    _, en = by_to["debtor1@example.org"]
    assert en["Subject"] == "Pre-notification of direct debit from Stichting ZON"
    assert "€10.01" in en.get_body().get_content() and "30 November 2026" in _pdf_text(en)
    _, de = by_to["debtor2@example.org"]
    assert "30. November 2026" in _pdf_text(de) and "€ 10,02" in de.get_body().get_content()
    rows = list(m.PreNotification.select().where(m.PreNotification.channel == "email"))
    assert {(r.status, r.job_id) for r in rows} == {("sent", result.job_id)} and len(rows) == 3
    assert all(r.sent_at is not None for r in rows)
    job = m.Job.get_by_id(result.job_id)
    assert job.result["sent"] == 3 and job.result["unknown_recipients"] == []
    assert sets.set_detail(admin, created.id).prenotification["sent_by_channel"] == {"email": 3}


def test_a_refused_address_fails_alone(admin, config_file, smtp_server, smtp_toml):
    inbox, _ = smtp_server
    inbox.refuse.add("debtor1@example.org")
    notice_world(4)
    _, result = _queue(admin, config_file, smtp_toml)
    assert JobRunner().run_one(result.job_id) == "done"
    assert sorted(inbox.recipients()) == ["debtor0@example.org", "debtor2@example.org"]
    failed = m.PreNotification.get(m.PreNotification.recipient == "debtor1@example.org")
    assert failed.status == "failed" and "550" in failed.error
    assert m.Job.get_by_id(result.job_id).result["failed"] == 1


def test_a_row_left_sending_is_never_sent_again(admin, config_file, smtp_server, smtp_toml):
    """What a crash during an SMTP transaction leaves: resume sends the pending ones only."""
    inbox, _ = smtp_server
    notice_world(4)
    _, result = _queue(admin, config_file, smtp_toml)
    rows = list(m.PreNotification.select().order_by(m.PreNotification.id))
    m.PreNotification.update(status="sent", sent_at=dt.datetime(2026, 11, 24, 9)).where(
        m.PreNotification.id == rows[0].id
    ).execute()
    m.PreNotification.update(status="sending").where(m.PreNotification.id == rows[1].id).execute()
    assert JobRunner().run_one(result.job_id) == "done"
    assert inbox.recipients() == ["debtor2@example.org"]
    assert m.PreNotification.get_by_id(rows[1].id).status == "unknown"
    job = m.Job.get_by_id(result.job_id)
    assert job.result["unknown_recipients"] == ["debtor1@example.org"]
    assert "1 maybe sent before a crash" in job.message


def _worker(config, crash_at: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "INCASSO_TEST_CRASH_AT": crash_at}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "incasso_tui",
            "--config",
            str(config),
            "--user",
            "tester",
            "worker",
            "--once",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_kill_after_k_mails_then_resume_sends_nobody_a_second_mail(
    admin, config_file, smtp_server, smtp_toml
):
    inbox, _ = smtp_server
    notice_world(6)  # 5 debtors with an address
    path = config_file(smtp_toml)
    created = sets.create_set(admin, "ABN")
    job_id = pn.prenotify_set(admin, created.id, email=True, smtp=config_mod.load(str(path)).smtp).job_id
    db.close()
    proc = _worker(path, "mail_sent:2")  # killed after the 2nd SMTP transaction, before recording it
    assert proc.returncode == -9, proc.stderr[-2000:]
    assert len(inbox.received) == 2
    statuses = [r.status for r in m.PreNotification.select().order_by(m.PreNotification.id)]
    assert statuses == ["sent", "sending", "pending", "pending", "pending"]
    assert m.Job.get_by_id(job_id).status == "running"
    # Any worker finds the dead worker's job and runs it again.
    assert queue.recover_stale(dt.timedelta(seconds=-1)) == [job_id]
    assert JobRunner().run_pending(once=True) == 1
    recipients = inbox.recipients()
    assert len(recipients) == len(set(recipients)) == 5  # everyone once, nobody twice
    statuses = [r.status for r in m.PreNotification.select().order_by(m.PreNotification.id)]
    assert statuses == ["sent", "unknown", "sent", "sent", "sent"]
    job = m.Job.get_by_id(job_id)
    assert job.status == "done" and job.result["unknown_recipients"] == ["debtor1@example.org"]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_with_the_password_from_a_private_file(
    admin, config_file, smtp_login_server, tmp_path, monkeypatch
):
    inbox, port = smtp_login_server
    secret = tmp_path / "smtp-password"
    secret.write_text(SMTP_PASSWORD + "\n")
    secret.chmod(0o644)
    toml = (
        f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nuser = "{SMTP_USER}"\n'
        f'password_file = "{secret}"\nfrom_address = "incasso@example.org"\n'
    )
    notice_world(2)
    cfg = config_mod.load(str(config_file(toml)))
    created = sets.create_set(admin, "ABN")
    with pytest.raises(ConfigError, match=r"may be read by other users.*chmod 600"):
        pn.prenotify_set(admin, created.id, email=True, smtp=cfg.smtp)
    assert m.Job.select().count() == 0 and m.PreNotification.select().count() == 0
    secret.chmod(0o600)
    job_id = pn.prenotify_set(admin, created.id, email=True, smtp=cfg.smtp).job_id
    assert JobRunner().run_one(job_id) == "done"
    assert inbox.recipients() == ["debtor0@example.org"]
    # The wrong password: the server refuses the login and the job says so.
    monkeypatch.setenv("WRONG_SMTP", "nope")
    wrong = config_mod.SmtpConfig(
        host="127.0.0.1",
        port=port,
        security="none",
        user=SMTP_USER,
        password_env="WRONG_SMTP",
        from_address="incasso@example.org",
    )
    with pytest.raises(Refused, match=r"SMTP server 127\.0\.0\.1"):
        mail.connect(wrong)


def test_password_env_must_be_set():
    smtp = config_mod.SmtpConfig(host="h", user="u", password_env="INCASSO_NO_SUCH_VAR", from_address="a@b.c")
    with pytest.raises(ConfigError, match="INCASSO_NO_SUCH_VAR, which is not set"):
        mail.require_configured(smtp)
    with pytest.raises(ConfigError, match="give one of them, not both"):
        config_mod.from_dict({"smtp": {"password_env": "X", "password_file": "/x"}})
    with pytest.raises(ConfigError, match=r"smtp\.security must be one of"):
        config_mod.from_dict({"smtp": {"security": "tls"}})
