"""Administrations and bank groups as lists, for everyone within their rights."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import cast

import peewee as pw

from incasso_tui.core.errors import NotFound
from incasso_tui.db import models as m
from incasso_tui.rules.bank_profiles import max_per_file
from incasso_tui.services.auth import PROCESS, VIEW, Actor


@dataclass(frozen=True)
class AdministrationRow:
    id: int
    code: str
    name: str
    creditor_id: str
    town: str
    mandate_scope: str
    auto_create_mandates: bool
    activate_immediately: bool
    sequence_policy: str
    debtors: int
    bank_accounts: int
    kvk: str = ""
    active: bool = True

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class BankGroupRow:
    id: int
    code: str
    name: str
    pain_version: str
    lead_days: int
    batch_booking: bool
    delivery_dir: str | None
    accounts: tuple[str, ...]  # IBANs the user may see
    profile: str = "OTHER"
    max_per_file: int | None = None  # what applies: the group's own value, else its profile's
    send_command: tuple[str, ...] | None = None
    initiating_party: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        data["accounts"] = list(self.accounts)
        data["send_command"] = None if self.send_command is None else list(self.send_command)
        return data


def list_administrations(actor: Actor) -> list[AdministrationRow]:
    debtors = cast(
        "Iterable[tuple[int, int]]",
        m.Debtor.select(m.Debtor.administration, pw.fn.COUNT(m.Debtor.id))
        .group_by(m.Debtor.administration)
        .tuples(),
    )
    accounts = cast(
        "Iterable[tuple[int, int]]",
        m.BankAccount.select(m.BankAccount.administration, pw.fn.COUNT(m.BankAccount.id))
        .group_by(m.BankAccount.administration)
        .tuples(),
    )
    n_debtors, n_accounts = dict(debtors), dict(accounts)
    query = (
        m.Administration.select().where(actor.visible(m.Administration.id)).order_by(m.Administration.code)
    )
    return [
        AdministrationRow(
            a.id,
            a.code,
            a.name,
            a.creditor_id,
            a.town,
            a.mandate_scope,
            a.auto_create_mandates,
            a.activate_immediately,
            a.sequence_policy,
            n_debtors.get(a.id, 0),
            n_accounts.get(a.id, 0),
            a.kvk,
            a.active,
        )
        for a in query
    ]


def get_administration(actor: Actor, code: str) -> m.Administration:
    """The administration with this code (codes are upper case; the lookup ignores case)."""
    wanted = (code or "").strip().upper()
    adm = m.Administration.get_or_none(m.Administration.code == wanted)
    if adm is None or not actor.may(VIEW, adm.id):
        raise NotFound("administration {code} does not exist or is not visible to you", code=code)
    return adm


def list_bank_groups(actor: Actor, *, processable_only: bool = False) -> list[BankGroupRow]:
    """Bank groups holding at least one account of an administration the user may see
    (or process, with `processable_only`). Admins see every group, even empty ones."""
    action = PROCESS if processable_only else VIEW
    accounts: dict[int, list[str]] = {}
    ibans = cast(
        "Iterable[tuple[int, str, int]]",
        m.BankAccount.select(m.BankAccount.bank_group, m.BankAccount.iban, m.BankAccount.administration)
        .order_by(m.BankAccount.iban)
        .tuples(),
    )
    for group_id, iban, adm_id in ibans:
        if actor.may(action, adm_id):
            accounts.setdefault(group_id, []).append(iban)
    rows = []
    for g in m.BankGroup.select().order_by(m.BankGroup.code):
        if g.id in accounts or (actor.is_admin and not processable_only):
            rows.append(
                BankGroupRow(
                    g.id,
                    g.code,
                    g.name,
                    g.pain_version,
                    g.lead_days,
                    g.batch_booking,
                    g.delivery_dir,
                    tuple(accounts.get(g.id, ())),
                    g.profile,
                    max_per_file(g.profile, g.max_per_file),
                    tuple(g.send_command) if g.send_command else None,
                    g.initiating_party,
                )
            )
    return rows
