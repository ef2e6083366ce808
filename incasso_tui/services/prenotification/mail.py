"""Sending a pre-notification by e-mail: the [smtp] settings, the password (from an environment
variable or a private file, never from the configuration itself), the message (text in the
debtor's language + the PDF) and one SMTP connection reused for a job's mails."""

from __future__ import annotations

import os
import smtplib
import ssl
import stat
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

from incasso_tui.core.config import SmtpConfig
from incasso_tui.core.errors import ConfigError, Refused


def require_configured(smtp: SmtpConfig) -> None:
    if not smtp.configured:
        raise Refused(
            "e-mail is not configured: add an [smtp] section with host and from_address to the "
            "configuration (see config.example.toml)"
        )
    password(smtp)  # a missing or unsafe password is said now, not by the job later


def password(smtp: SmtpConfig) -> str:
    """The SMTP password: "" without a login; from smtp.password_env or smtp.password_file."""
    if smtp.password_env:
        value = os.environ.get(smtp.password_env)
        if value is None:
            raise ConfigError(
                f"smtp.password_env names the environment variable {smtp.password_env}, which is not set"
            )
        return value
    if smtp.password_file:
        path = Path(smtp.password_file).expanduser()
        try:
            mode = path.stat().st_mode
            if mode & (stat.S_IROTH | stat.S_IWOTH):
                raise ConfigError(
                    f"smtp.password_file {path} may be read by other users (mode "
                    f"{stat.S_IMODE(mode):04o}): chmod 600 {path}"
                )
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"smtp.password_file {path}: cannot read: {exc.strerror or exc}") from None
        return lines[0] if lines else ""
    if smtp.user:
        raise ConfigError("smtp.user is set but neither smtp.password_env nor smtp.password_file")
    return ""


def connect(smtp: SmtpConfig) -> smtplib.SMTP:
    """An SMTP connection, secured as configured and logged in when a user is set."""
    context = ssl.create_default_context()
    try:
        client: smtplib.SMTP
        if smtp.security == "ssl":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
            if smtp.security == "starttls":
                client.starttls(context=context)
        if smtp.user:
            client.login(smtp.user, password(smtp))
    except (OSError, smtplib.SMTPException) as exc:
        raise Refused(
            "SMTP server {host}:{port}: {reason}", host=smtp.host, port=smtp.port, reason=exc
        ) from None
    return client


def message(
    smtp: SmtpConfig,
    *,
    to: str,
    to_name: str,
    sender_name: str,
    subject: str,
    body: str,
    pdf: bytes,
    pdf_name: str,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((smtp.from_name or sender_name, smtp.from_address))
    msg["To"] = formataddr((to_name, to))
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain=smtp.from_address.rpartition("@")[2] or None)
    msg.set_content(body)
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return msg


# Errors where the server answered that it does not take this mail: nothing was delivered.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
