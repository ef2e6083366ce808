"""Setting up an organisation in one go (the first-run wizard's last step): its name, the
first administration, a bank group and the administration's bank account, stored in one
transaction — all of it or, when any part is refused, nothing.

Each part is stored by the service the CLI uses for it (set_organisation_name,
add_administration, add_bank_group, add_bank_account), so the rules, the rights, the
audit trail and the messages are theirs; a refusal is raised as SetUpFailed naming the
part, so a wizard shows it on that part's step.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from incasso_tui.core.errors import IncassoError, NotFound, Refused, ValidationError, ValidationErrors
from incasso_tui.db.database import write_transaction
from incasso_tui.services.auth import ADMIN, Actor
from incasso_tui.services.organisation.administrations import (
    AdministrationDetail,
    add_administration,
    show_administration,
)
from incasso_tui.services.organisation.bank_accounts import BankAccountDetail, add_bank_account
from incasso_tui.services.organisation.bank_groups import BankGroupDetail, add_bank_group, show_bank_group
from incasso_tui.services.organisation.naming import set_organisation_name
from incasso_tui.services.organisation.results import SetupWarning

# The parts in the order they are stored (the organisation's name first: the first
# administration then leaves it as it is).
PARTS = ("organisation", "administration", "bank_group", "bank_account")
PART_NAMES = {
    "organisation": "organisation",
    "administration": "administration",
    "bank_group": "bank group",
    "bank_account": "bank account",
}


class SetUpFailed(IncassoError):
    """A part of the set-up was refused; nothing of the set-up was stored.

    `part` is one of PARTS; `cause` the part's own refusal; `errors` its field errors
    (empty when the refusal is not about a field)."""

    def __init__(self, part: str, cause: IncassoError):
        self.part = part
        self.cause = cause
        self.exit_code = cause.exit_code
        if isinstance(cause, ValidationErrors):
            self.errors = list(cause.errors)
        elif isinstance(cause, ValidationError):
            self.errors = [cause]
        else:
            self.errors = []
        super().__init__(f"{PART_NAMES[part]}: {cause} (nothing was stored)")


@dataclass(frozen=True)
class SetUpResult:
    """What was stored: the organisation's name and each object as it is now, with the
    warnings of every part."""

    organisation_name: str
    administration: AdministrationDetail
    bank_group: BankGroupDetail
    bank_account: BankAccountDetail
    warnings: tuple[SetupWarning, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation_name": self.organisation_name,
            "administration": self.administration.as_dict(),
            "bank_group": self.bank_group.as_dict(),
            "bank_account": self.bank_account.as_dict(),
            "warnings": [str(w) for w in self.warnings],
        }


@contextmanager
def _part(name: str) -> Iterator[None]:
    """A refusal inside names its part. DatabaseBusy passes as it is: the transaction is
    repeated (write_transaction), not refused."""
    try:
        yield
    except (ValidationError, ValidationErrors, Refused, NotFound) as exc:
        raise SetUpFailed(name, exc) from exc


@write_transaction
def set_up_organisation(
    actor: Actor,
    *,
    organisation_name: str,
    administration: dict[str, Any],
    bank_group: dict[str, Any],
    bank_account: dict[str, Any],
) -> SetUpResult:
    """Store the organisation's name and its first administration, bank group and bank
    account together. `administration` holds add_administration's arguments (code, name,
    creditor_id, kvk, address), `bank_group` add_bank_group's (code, name, profile, pain,
    max_per_file, lead_days, delivery_dir, send_command, initiating_party), `bank_account`
    add_bank_account's but the administration and the bank group, which are these (iban,
    bic, letter_template, contact, signatories, max_per_transaction, max_per_month).

    Admins only. Any part refused raises SetUpFailed naming it; nothing is stored then."""
    actor.require(ADMIN, what="the set-up")
    clash = {"administration", "bank_group"} & set(bank_account)
    if clash:
        raise ValueError(f"bank_account must not name {', '.join(sorted(clash))}: the set-up's own are used")
    warnings: list[SetupWarning] = []
    with _part("organisation"):
        name = set_organisation_name(actor, organisation_name)
    with _part("administration"):
        adm = add_administration(actor, **administration)
        warnings.extend(adm.warnings)
    with _part("bank_group"):
        group = add_bank_group(actor, **bank_group)
        warnings.extend(group.warnings)
    with _part("bank_account"):
        account = add_bank_account(
            actor,
            **bank_account,
            administration=adm.detail.code,
            bank_group=group.detail.code,
        )
        warnings.extend(account.warnings)
    # As they are now, with the account they hold.
    return SetUpResult(
        name,
        show_administration(actor, adm.detail.code),
        show_bank_group(actor, group.detail.code),
        account.detail,
        tuple(warnings),
    )
