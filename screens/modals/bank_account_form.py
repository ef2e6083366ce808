"""A creditor bank account, new or edited: its administration and bank group, the IBAN
checked as it is typed (BIC derived, bank recognised, compared with the bank group's bank),
what its instruction letter needs, and the collection contract's limits. Stored with
add_bank_account / edit_bank_account, the functions `incasso bank-account` uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select

from incasso_tui.i18n import language, t
from incasso_tui.services import organisation as org
from incasso_tui.services.organisation import FieldCheck, check_field
from screens.modals.setup_form import SetupFormScreen


@dataclass(frozen=True)
class GroupChoice:
    code: str
    name: str
    profile: str


def amount_input(cents: int | None) -> str:
    """Cents as the form shows them for editing: no thousands separator, so the amount
    reads back the same in either language."""
    if cents is None:
        return ""
    euros, rest = divmod(cents, 100)
    return f"{euros},{rest:02d}" if language() == "nl" else f"{euros}.{rest:02d}"


def names(text: str) -> list[str]:
    return [name.strip() for name in text.split(";") if name.strip()]


class BankAccountFormScreen(SetupFormScreen):
    CHECK_KIND = "bank_account"
    CHECKED = {
        "iban": "iban",
        "bic": "bic",
        "letter_template": "letter_template",
        "contact": "contact",
        "max_per_transaction": "max_per_transaction",
        "max_per_month": "max_per_month",
    }
    SAY_VALID = frozenset({"iban", "bic"})
    FIELD_KEYS = {
        "administration": "administration",
        "IBAN": "iban",
        "bank group": "bank_group",
        "BIC": "bic",
        "letter template": "letter_template",
        "contact": "contact",
        "signatory": "signatories",
        "maximum per transaction": "max_per_transaction",
        "maximum per month": "max_per_month",
    }

    def __init__(
        self,
        *,
        administrations: list[tuple[str, str]],
        groups: list[GroupChoice],
        iban: str | None = None,
        administration: str | None = None,
    ):
        super().__init__()
        self.iban = iban
        self.administrations = administrations
        self.groups = groups
        self.administration = administration

    def form_title(self) -> str:
        return t("Edit bank account {iban}", iban=self.iban) if self.iban else t("New bank account")

    def compose_fields(self) -> ComposeResult:
        adm_options = [(f"{code} – {name}", code) for code, name in self.administrations]
        codes = [code for code, _name in self.administrations]
        yield from self.row(
            "administration",
            "Administration",
            Select(
                adm_options,
                value=self.administration
                if self.administration in codes
                else (codes[0] if codes else Select.NULL),
                allow_blank=not codes,
            ),
        )
        yield from self.row("iban", "IBAN", Input(max_length=42))
        yield from self.row(
            "bank_group",
            "Bank group",
            Select(
                [(f"{g.code} – {g.name} ({g.profile})", g.code) for g in self.groups],
                value=self.groups[0].code if self.groups else Select.NULL,
                allow_blank=not self.groups,
            ),
            "" if self.groups else t("no bank group yet: add one first (bank groups, n)"),
        )
        yield from self.row("bic", "BIC", Input(max_length=11, placeholder=t("derived from the IBAN")))
        yield from self.row(
            "letter_template", "Letter template", Input(max_length=20, placeholder="standard")
        )
        yield from self.row(
            "contact", "Contact", Input(max_length=140), t("on the instruction letter: who the bank may call")
        )
        yield from self.row(
            "signatories",
            "Signatories",
            Input(max_length=400),
            t("names on the instruction letter, separated by ;"),
        )
        yield from self.row(
            "max_per_transaction",
            "Maximum per transaction",
            Input(max_length=20),
            t("optional: the contract's limit in euros; an order above it is held back"),
        )
        yield from self.row(
            "max_per_month",
            "Maximum per month",
            Input(max_length=20),
            t("optional: a set that would exceed it in a calendar month is refused"),
        )

    def on_mount(self) -> None:
        if self.iban is not None:
            self.load_existing(org.show_bank_account, self.iban, self._fill)
        else:
            self.field("iban").focus()

    def _fill(self, d: org.BankAccountDetail) -> None:
        self.field("administration").value = d.administration
        self.field("iban").value = d.iban
        self.field("bank_group").value = d.bank_group
        derived = check_field("bank_account", "iban", d.iban).derived.get("bic", "")
        self.field("bic").value = "" if d.bic == derived else d.bic  # derived: follows a new IBAN
        self.field("letter_template").value = d.letter_template
        self.field("contact").value = d.contact
        self.field("signatories").value = "; ".join(d.signatories)
        self.field("max_per_transaction").value = amount_input(d.max_per_transaction_cents)
        self.field("max_per_month").value = amount_input(d.max_per_month_cents)
        self.field("iban").focus()

    def group(self) -> GroupChoice | None:
        code = self.field("bank_group").value
        return next((g for g in self.groups if g.code == code), None)

    def check_context(self, key: str) -> dict[str, str]:
        group = self.group()
        if key == "iban" and group is not None:
            return {"bank_group": group.code, "bank_group_profile": group.profile}
        return {}

    def after_typed(self, key: str, check: FieldCheck | None) -> None:
        if key == "iban":
            bic = check.derived.get("bic", "") if check is not None and check.ok else ""
            self.field("bic").placeholder = bic or t("derived from the IBAN")

    @on(Select.Changed, "#f-bank_group")
    def _group_changed(self) -> None:
        self.check_typed("iban")  # the bank compared with the new group's

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        actor = self.incasso.actor
        administration = self.field("administration").value
        group = self.field("bank_group").value
        values: dict[str, Any] = {
            "administration": administration if isinstance(administration, str) else "",
            "bank_group": group if isinstance(group, str) else "",
            "bic": self.value("bic"),
            "letter_template": self.value("letter_template"),
            "contact": self.value("contact"),
            "signatories": names(self.value("signatories")),
            "max_per_transaction": self.value("max_per_transaction"),
            "max_per_month": self.value("max_per_month"),
        }
        iban = self.value("iban")
        if self.iban is not None:
            old = self.iban
            same = "".join(iban.split()).upper() == old
            return (lambda: org.edit_bank_account(actor, old, new_iban=None if same else iban, **values)), ()
        return (lambda: org.add_bank_account(actor, iban=iban, **values)), ()
