"""Setting up an organisation: administrations (creditors), bank groups with their bank
profiles, bank accounts, invoice types, and the organisation's name. Listing is for
everyone within their rights; every change is for admins and audited.

One function per use case, used by the CLI (cli/organisation.py) and the TUI alike:

* organisation:   organisation_name(), set_organisation_name(actor, name)
* administrations: add_administration, edit_administration, show_administration,
                  list_administrations, deactivate_administration, activate_administration,
                  administration_usage, get_administration
* bank groups:    bank_profiles(), bank_profile(code), add_bank_group, edit_bank_group,
                  show_bank_group, list_bank_groups
* bank accounts:  add_bank_account, edit_bank_account, show_bank_account, list_bank_accounts
* invoice types:  add_invoice_type, edit_invoice_type, list_invoice_types
* all at once:    set_up_organisation(actor, organisation_name=…, administration={…},
                  bank_group={…}, bank_account={…}) -> SetUpResult: the first-run wizard's
                  parts in one transaction (all stored, or nothing: SetUpFailed names the part)
* as you type:    check_field(kind, field, value, **context) -> FieldCheck (its error a
                  ValidationError: field and rule apart), check_setup_field(…) -> message or None
* rule texts:     rule_parts(rule) -> (English template, values): a rule in any language

Changes return `Saved(detail, warnings, changed)`; bad input raises ValidationErrors naming
each field and its rule; what the state of things forbids raises Refused.
"""

from incasso_tui.services.organisation.administrations import (
    AdministrationDetail,
    AdministrationUsage,
    activate_administration,
    add_administration,
    administration_usage,
    deactivate_administration,
    edit_administration,
    show_administration,
)
from incasso_tui.services.organisation.bank_accounts import (
    BankAccountDetail,
    add_bank_account,
    edit_bank_account,
    list_bank_accounts,
    show_bank_account,
)
from incasso_tui.services.organisation.bank_groups import (
    BankGroupDetail,
    BankProfileInfo,
    ProfileValue,
    add_bank_group,
    bank_profile,
    bank_profiles,
    edit_bank_group,
    show_bank_group,
)
from incasso_tui.services.organisation.field_checks import FieldCheck, check_field, check_setup_field
from incasso_tui.services.organisation.invoice_types import (
    InvoiceTypeDetail,
    add_invoice_type,
    edit_invoice_type,
    list_invoice_types,
)
from incasso_tui.services.organisation.listing import (
    AdministrationRow,
    BankGroupRow,
    get_administration,
    list_administrations,
    list_bank_groups,
)
from incasso_tui.services.organisation.naming import organisation_name, set_organisation_name
from incasso_tui.services.organisation.results import Saved, SetupWarning
from incasso_tui.services.organisation.rule_texts import rule_parts
from incasso_tui.services.organisation.set_up import SetUpFailed, SetUpResult, set_up_organisation

__all__ = [
    "AdministrationDetail",
    "AdministrationRow",
    "AdministrationUsage",
    "BankAccountDetail",
    "BankGroupDetail",
    "BankGroupRow",
    "BankProfileInfo",
    "FieldCheck",
    "InvoiceTypeDetail",
    "ProfileValue",
    "Saved",
    "SetUpFailed",
    "SetUpResult",
    "SetupWarning",
    "activate_administration",
    "add_administration",
    "add_bank_account",
    "add_bank_group",
    "add_invoice_type",
    "administration_usage",
    "bank_profile",
    "bank_profiles",
    "check_field",
    "check_setup_field",
    "deactivate_administration",
    "edit_administration",
    "edit_bank_account",
    "edit_bank_group",
    "edit_invoice_type",
    "get_administration",
    "list_administrations",
    "list_bank_accounts",
    "list_bank_groups",
    "list_invoice_types",
    "organisation_name",
    "rule_parts",
    "set_organisation_name",
    "set_up_organisation",
    "show_administration",
    "show_bank_account",
    "show_bank_group",
]
