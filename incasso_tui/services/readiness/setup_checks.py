"""The set-up a collection needs: a bank account for every administration, and a way to get
each bank group's files to the bank (the delivery directory or send command that sending
uses, services/collection/sending.py)."""

from __future__ import annotations

import peewee as pw

from incasso_tui.db import models as m
from incasso_tui.services.readiness.model import BLOCKING, Group, Item
from incasso_tui.services.readiness.scope import Scope


def administrations_without_account(scope: Scope) -> Group:
    with_account = m.BankAccount.select(m.BankAccount.administration).where(m.BankAccount.active)
    query = (
        m.Administration.select(m.Administration.id, m.Administration.code, m.Administration.name)
        .where(scope.within(m.Administration.id) & m.Administration.id.not_in(with_account))
        .order_by(m.Administration.code)
    )
    return scope.group(
        "administrations_without_bank_account",
        "Administrations without a bank account",
        BLOCKING,
        "An admin adds one: incasso bank-account add --administration CODE --iban IBAN --bank-group CODE",
        query,
        lambda row: Item(
            "administration",
            row[0],
            row[1],
            row[2],
            row[1],
            "no active bank account: its orders cannot be put in a file",
        ),
    )


def _no_delivery() -> pw.Node:
    """As sending decides it: neither a delivery directory nor a send command."""
    no_dir = m.BankGroup.delivery_dir.is_null() | (pw.fn.TRIM(m.BankGroup.delivery_dir) == "")
    # JsonText stores an empty argument list as "[]"; sending treats it as none. The stored
    # text is compared as it is (converter=False: not JSON-encoded again).
    empty = pw.Value(["[]", "null", ""], converter=False)
    no_command = m.BankGroup.send_command.is_null() | m.BankGroup.send_command.in_(empty)
    return no_dir & no_command


def bank_groups_without_delivery(scope: Scope) -> Group:
    used = m.BankAccount.select(m.BankAccount.bank_group).where(
        m.BankAccount.active & scope.within(m.BankAccount.administration)
    )
    query = (
        m.BankGroup.select(m.BankGroup.id, m.BankGroup.code, m.BankGroup.name)
        .where(m.BankGroup.id.in_(used) & _no_delivery())
        .order_by(m.BankGroup.code)
    )
    return scope.group(
        "bank_groups_without_delivery",
        "Bank groups without delivery",
        BLOCKING,
        "An admin sets one: incasso bank-group edit CODE --delivery-dir DIR (or --send-command … {file})",
        query,
        lambda row: Item(
            "bank_group",
            row[0],
            row[1],
            row[2],
            "",
            "neither a delivery directory nor a send command: its files cannot be sent",
        ),
    )
