"""A small world for the pre-notification tests (debtors in nl/en/de, some with an e-mail
address) and a real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from sets.helpers import TODAY, world

__all__ = ["TODAY", "Inbox", "free_port", "notice_world"]

LANGUAGES = ("nl", "en", "de")


def notice_world(n: int = 6, *, emails: int | None = None, days: int = 5):
    """n debtors with one order each (requested TODAY+5: collected Monday 2026-11-30), the
    languages nl, en, de in turn; the first `emails` (default: all but the last) have an
    address. The administration's pre-notification period is `days`."""
    group, adm, account, orders = world(n)
    adm.pre_notification_days = days
    adm.save()
    with_mail = n - 1 if emails is None else emails
    for i, order in enumerate(orders):
        debtor = order.debtor
        debtor.language = LANGUAGES[i % 3]
        debtor.email = f"debtor{i}@example.org" if i < with_mail else ""
        debtor.street, debtor.building_number, debtor.postcode, debtor.town = (
            "Kerkstraat",
            "1",
            "1234 AB",
            "Ede",
        )
        debtor.save()
    return group, adm, account, orders


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    """An aiosmtpd handler: accepts every mail except to addresses in `refuse`."""

    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return [to for _, tos, _ in self.received for to in tos]
