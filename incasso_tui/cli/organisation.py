"""`incasso organisation …`, `administration …`, `bank-group …`, `bank-account …` and
`invoice-type …`: setting up an organisation from an empty database, through the same
services as the screens (services.organisation). Every show/list/add/edit takes --json.

Warnings (allowed, but worth a look) go to stderr as `warning: …` and into the JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import Any

from incasso_tui.cli import output
from incasso_tui.cli.common import Subparsers, group, json_flag, session
from incasso_tui.services import organisation as org

PROFILES_METAVAR = "ABN|ING|RABO|EQUENS|OTHER"
ADDRESS = (("street", "S"), ("building-number", "N"), ("postcode", "P"), ("town", "T"), ("country", "CC"))


def register(sub: Subparsers) -> None:
    _organisation(sub)
    _administration(sub)
    _bank_group(sub)
    _bank_account(sub)
    _invoice_type(sub)


# --------------------------------------------------------------------------- parsers


def _organisation(sub: Subparsers) -> None:
    _, osub = group(sub, "organisation", "the organisation: its name (the files' initiating party)")
    p = osub.add_parser("name", help="show the organisation's name, or set it (admin)")
    p.add_argument("name", nargs="?", metavar="NAME")
    json_flag(p)
    p.set_defaults(handler=cmd_organisation_name)


def _administration(sub: Subparsers) -> None:
    _, asub = group(sub, "administration", "administrations (creditors)")
    for verb, new in (("add", True), ("edit", False)):
        p = asub.add_parser(
            verb,
            help="a new administration (admin)"
            if new
            else "change an administration (only the options given)",
        )
        p.add_argument("code", metavar="CODE")
        p.add_argument("--name", required=new, metavar="NAME", help="creditor name as the files carry it")
        p.add_argument(
            "--creditor-id",
            required=new,
            metavar="CI",
            help="creditor identifier (Incassant ID), e.g. NL69ZZZ123456780000",
        )
        p.add_argument("--kvk", metavar="NUMBER", help="Chamber of Commerce number (8 digits)")
        for option, metavar in ADDRESS:
            p.add_argument(f"--{option}", metavar=metavar)
        json_flag(p)
        p.set_defaults(handler=cmd_administration_add if new else cmd_administration_edit)
    p = asub.add_parser("show", help="an administration with its accounts and invoice types")
    p.add_argument("code", metavar="CODE")
    json_flag(p)
    p.set_defaults(handler=cmd_administration_show)
    p = asub.add_parser("list", help="list the administrations you may see")
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_administration_list)
    for verb in ("deactivate", "activate"):
        p = asub.add_parser(
            verb,
            help="deactivate an administration nothing uses any more (admin)"
            if verb == "deactivate"
            else "activate a deactivated administration (admin)",
        )
        p.add_argument("code", metavar="CODE")
        json_flag(p)
        p.set_defaults(handler=cmd_administration_active, active=verb == "activate")


def _bank_group(sub: Subparsers) -> None:
    _, bsub = group(sub, "bank-group", "bank groups (one per creditor bank) and bank profiles")
    p = bsub.add_parser("profiles", help="the built-in bank profiles, each value with its source")
    json_flag(p)
    p.set_defaults(handler=cmd_bank_group_profiles)
    for verb, new in (("add", True), ("edit", False)):
        p = bsub.add_parser(
            verb, help="a new bank group (admin)" if new else "change a bank group (only the options given)"
        )
        p.add_argument("code", metavar="CODE")
        p.add_argument("--name", required=new, metavar="NAME")
        p.add_argument("--profile", required=new, metavar=PROFILES_METAVAR, help="the bank's profile")
        p.add_argument("--pain", metavar="02|08", help="pain.008 version (default: the profile's)")
        p.add_argument(
            "--max-per-file",
            metavar="N",
            help="transactions per file (default: the profile's; 0: back to it)",
        )
        p.add_argument("--lead-days", metavar="N", help="TARGET2 days before the collection date")
        p.add_argument(
            "--delivery-dir", metavar="DIR", help="directory the files are copied to ('' removes it)"
        )
        p.add_argument(
            "--send-command",
            nargs="+",
            metavar="ARG",
            help="program and arguments with {file}, run without a shell; one quoted text is split "
            "like a shell would ('' removes it)",
        )
        p.add_argument(
            "--initiating-party",
            metavar="NAME",
            help="who submits the files (default: the organisation's name; '' back to it)",
        )
        json_flag(p)
        p.set_defaults(handler=cmd_bank_group_add if new else cmd_bank_group_edit)
    p = bsub.add_parser("show", help="a bank group with its profile, delivery and accounts")
    p.add_argument("code", metavar="CODE")
    json_flag(p)
    p.set_defaults(handler=cmd_bank_group_show)
    p = bsub.add_parser("list", help="list bank groups with your accounts in them")
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_bank_group_list)


def _bank_account(sub: Subparsers) -> None:
    _, bsub = group(sub, "bank-account", "creditor bank accounts")
    for verb, new in (("add", True), ("edit", False)):
        p = bsub.add_parser(
            verb,
            help="a new bank account (admin)" if new else "change a bank account (only the options given)",
        )
        if not new:
            p.add_argument("account", metavar="IBAN")
        p.add_argument("--administration", required=new, metavar="CODE")
        p.add_argument("--iban", required=new, metavar="IBAN", help=None if new else "new IBAN")
        p.add_argument("--bank-group", required=new, metavar="CODE")
        p.add_argument("--bic", metavar="BIC", help="default: derived from the IBAN")
        p.add_argument(
            "--letter-template", metavar="NAME", help="instruction letter layout: standard, compact"
        )
        p.add_argument("--contact", metavar="TEXT", help="contact line of the instruction letter")
        p.add_argument(
            "--signatory",
            action="append",
            metavar="NAME",
            help="who signs the instruction letter (repeat for each; '' removes them)",
        )
        p.add_argument(
            "--max-per-transaction", metavar="AMOUNT", help="contract limit in euros, e.g. 2.500,00"
        )
        p.add_argument("--max-per-month", metavar="AMOUNT", help="contract limit per calendar month in euros")
        json_flag(p)
        p.set_defaults(handler=cmd_bank_account_add if new else cmd_bank_account_edit)
    p = bsub.add_parser("show", help="a bank account")
    p.add_argument("account", metavar="IBAN")
    json_flag(p)
    p.set_defaults(handler=cmd_bank_account_show)
    p = bsub.add_parser("list", help="bank accounts of the administrations you may see")
    p.add_argument("--administration", metavar="CODE")
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_bank_account_list)


def _invoice_type(sub: Subparsers) -> None:
    _, isub = group(sub, "invoice-type", "invoice types (factuursoorten) of an administration")
    for verb, new in (("add", True), ("edit", False)):
        p = isub.add_parser(verb, help="a new invoice type (admin)" if new else "change an invoice type")
        p.add_argument("code", metavar="CODE")
        p.add_argument("--administration", required=True, metavar="CODE")
        p.add_argument("--name", required=new, metavar="NAME")
        p.add_argument(
            "--collection-reason", metavar="TEXT", help="default reason of its mandates and orders"
        )
        json_flag(p)
        p.set_defaults(handler=cmd_invoice_type_add if new else cmd_invoice_type_edit)
    p = isub.add_parser("list", help="invoice types of the administrations you may see")
    p.add_argument("--administration", metavar="CODE")
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_invoice_type_list)


# --------------------------------------------------------------------------- output


def _saved(args: argparse.Namespace, saved: org.Saved[Any], what: str, verb: str) -> int:
    for warning in saved.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        output.emit_json(saved.as_dict())
    elif saved.changed and verb == "added":
        print(f"{what} added")
    elif saved.changed:
        print(f"{what} {verb}: " + ", ".join(f.replace("_", " ") for f in saved.changed))
    else:
        print(f"{what}: nothing changed")
    return 0


def _rows(rows: Iterable[tuple[str, Any]]) -> None:
    for label, value in rows:
        if value not in (None, "", ()):
            print(f"{label + ':':24} {value}")


def _money(cents: int | None) -> str:
    return "" if cents is None else output.money(cents)


# --------------------------------------------------------------------------- organisation


def cmd_organisation_name(args: argparse.Namespace) -> int:
    s = session(args)
    name = org.set_organisation_name(s.actor, args.name) if args.name is not None else org.organisation_name()
    if args.json:
        output.emit_json({"name": name})
    else:
        print(name or "(no name set: incasso organisation name NAME)")
    return 0


# --------------------------------------------------------------------------- administrations


def _administration_fields(args: argparse.Namespace) -> dict[str, str | None]:
    return {
        "name": args.name,
        "creditor_id": args.creditor_id,
        "kvk": args.kvk,
        "street": args.street,
        "building_number": args.building_number,
        "postcode": args.postcode,
        "town": args.town,
        "country": args.country,
    }


def cmd_administration_add(args: argparse.Namespace) -> int:
    s = session(args)
    given = {k: v for k, v in _administration_fields(args).items() if v is not None}
    saved = org.add_administration(s.actor, args.code, **given)
    return _saved(args, saved, f"administration {saved.detail.code}", "added")


def cmd_administration_edit(args: argparse.Namespace) -> int:
    s = session(args)
    saved = org.edit_administration(s.actor, args.code, **_administration_fields(args))
    return _saved(args, saved, f"administration {saved.detail.code}", "changed")


def cmd_administration_show(args: argparse.Namespace) -> int:
    s = session(args)
    d = org.show_administration(s.actor, args.code)
    if args.json:
        output.emit_json(d.as_dict())
        return 0
    address = " ".join(x for x in (d.street, d.building_number) if x)
    place = " ".join(x for x in (d.postcode, d.town) if x)
    _rows(
        [
            ("code", d.code + ("" if d.active else "  (deactivated)")),
            ("name", d.name),
            ("creditor identifier", d.creditor_id),
            ("KvK number", d.kvk),
            ("address", ", ".join(x for x in (address, place, d.country) if x)),
            ("bank accounts", " ".join(d.bank_accounts) or "none: incasso bank-account add …"),
            ("invoice types", " ".join(d.invoice_types)),
            ("debtors", str(d.debtors)),
            ("mandates", str(d.mandates)),
            (
                "creditor amendments",
                str(d.creditor_amendments_pending) if d.creditor_amendments_pending else "",
            ),
        ]
    )
    return 0


def cmd_administration_list(args: argparse.Namespace) -> int:
    s = session(args)
    if output.export_wanted(args):
        return output.export(args, s.actor, "administrations", None)
    rows = org.list_administrations(s.actor)
    if args.json:
        output.emit_json([r.as_dict() for r in rows])
    else:
        output.table(
            ["code", "name", "creditor id", "town", "debtors", "accounts", "active"],
            [
                (
                    r.code,
                    r.name,
                    r.creditor_id,
                    r.town,
                    r.debtors,
                    r.bank_accounts,
                    "yes" if r.active else "no",
                )
                for r in rows
            ],
        )
    return 0


def cmd_administration_active(args: argparse.Namespace) -> int:
    s = session(args)
    change = org.activate_administration if args.active else org.deactivate_administration
    saved = change(s.actor, args.code)
    return _saved(
        args, saved, f"administration {saved.detail.code}", "activated" if args.active else "deactivated"
    )


# --------------------------------------------------------------------------- bank groups


def cmd_bank_group_profiles(args: argparse.Namespace) -> int:
    profiles = org.bank_profiles()  # built in: no database needed
    if args.json:
        output.emit_json([p.as_dict() for p in profiles])
        return 0
    for p in profiles:
        print(f"{p.code}  {p.name}")
        for v in p.values:
            value = v.value
            if isinstance(value, bool):
                value = "yes" if value else "no"
            elif isinstance(value, tuple):
                value = ", ".join(value) or "-"
            elif value is None:
                value = "no limit known"
            print(f"  {v.name.replace('_', ' ') + ':':16} {value}")
            print(f"  {'':16} source: {v.source}")
        print()
    return 0


def _bank_group_fields(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "name": args.name,
        "profile": args.profile,
        "pain": args.pain,
        "max_per_file": args.max_per_file,
        "lead_days": args.lead_days,
        "delivery_dir": args.delivery_dir,
        "send_command": args.send_command,
        "initiating_party": args.initiating_party,
    }


def cmd_bank_group_add(args: argparse.Namespace) -> int:
    s = session(args)
    given = {k: v for k, v in _bank_group_fields(args).items() if v is not None}
    saved = org.add_bank_group(s.actor, args.code, **given)
    return _saved(args, saved, f"bank group {saved.detail.code}", "added")


def cmd_bank_group_edit(args: argparse.Namespace) -> int:
    s = session(args)
    saved = org.edit_bank_group(s.actor, args.code, **_bank_group_fields(args))
    return _saved(args, saved, f"bank group {saved.detail.code}", "changed")


def cmd_bank_group_show(args: argparse.Namespace) -> int:
    s = session(args)
    d = org.show_bank_group(s.actor, args.code)
    if args.json:
        output.emit_json(d.as_dict())
        return 0
    limit = "no limit" if d.max_per_file_applied is None else str(d.max_per_file_applied)
    _rows(
        [
            ("code", d.code),
            ("name", d.name),
            ("profile", f"{d.profile} ({d.profile_name})"),
            ("pain version", d.pain_version),
            ("max per file", limit + ("" if d.max_per_file else "  (the profile's)")),
            ("lead days", str(d.lead_days)),
            ("delivery directory", d.delivery_dir or "none"),
            ("send command", " ".join(d.send_command) if d.send_command else "none"),
            ("initiating party", d.initiating_party or "the organisation's name"),
            ("accounts", " ".join(d.accounts)),
        ]
    )
    return 0


def cmd_bank_group_list(args: argparse.Namespace) -> int:
    s = session(args)
    if output.export_wanted(args):
        return output.export(args, s.actor, "bank_groups", None)
    rows = org.list_bank_groups(s.actor)
    if args.json:
        output.emit_json([r.as_dict() for r in rows])
    else:
        output.table(
            ["code", "name", "profile", "format", "max/file", "lead days", "delivery", "accounts"],
            [
                (
                    r.code,
                    r.name,
                    r.profile,
                    r.pain_version,
                    r.max_per_file or "-",
                    r.lead_days,
                    "yes" if (r.delivery_dir or r.send_command) else "no",
                    " ".join(r.accounts),
                )
                for r in rows
            ],
        )
    return 0


# --------------------------------------------------------------------------- bank accounts


def _bank_account_fields(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "administration": args.administration,
        "bank_group": args.bank_group,
        "bic": args.bic,
        "letter_template": args.letter_template,
        "contact": args.contact,
        "signatories": args.signatory,
        "max_per_transaction": args.max_per_transaction,
        "max_per_month": args.max_per_month,
    }


def cmd_bank_account_add(args: argparse.Namespace) -> int:
    s = session(args)
    given = {k: v for k, v in _bank_account_fields(args).items() if v is not None}
    saved = org.add_bank_account(s.actor, iban=args.iban, **given)
    return _saved(args, saved, f"bank account {saved.detail.iban}", "added")


def cmd_bank_account_edit(args: argparse.Namespace) -> int:
    s = session(args)
    saved = org.edit_bank_account(s.actor, args.account, new_iban=args.iban, **_bank_account_fields(args))
    return _saved(args, saved, f"bank account {saved.detail.iban}", "changed")


def _print_account(d: org.BankAccountDetail) -> None:
    _rows(
        [
            ("IBAN", d.iban),
            ("BIC", d.bic or "none (IBAN-only)"),
            ("bank", d.bank_name),
            ("administration", d.administration),
            ("bank group", d.bank_group),
            ("letter template", d.letter_template),
            ("contact", d.contact),
            ("signatories", ", ".join(d.signatories)),
            ("max per transaction", _money(d.max_per_transaction_cents)),
            ("max per month", _money(d.max_per_month_cents)),
            ("active", "yes" if d.active else "no"),
        ]
    )


def cmd_bank_account_show(args: argparse.Namespace) -> int:
    s = session(args)
    d = org.show_bank_account(s.actor, args.account)
    if args.json:
        output.emit_json(d.as_dict())
    else:
        _print_account(d)
    return 0


def cmd_bank_account_list(args: argparse.Namespace) -> int:
    s = session(args)
    if output.export_wanted(args):
        from incasso_tui.services.exports.sources import AdministrationCode

        return output.export(args, s.actor, "bank_accounts", AdministrationCode(args.administration))
    rows = org.list_bank_accounts(s.actor, args.administration)
    if args.json:
        output.emit_json([r.as_dict() for r in rows])
    else:
        output.table(
            ["iban", "bic", "bank", "adm", "bank group", "max/transaction", "max/month"],
            [
                (
                    r.iban,
                    r.bic,
                    r.bank_name,
                    r.administration,
                    r.bank_group,
                    _money(r.max_per_transaction_cents),
                    _money(r.max_per_month_cents),
                )
                for r in rows
            ],
        )
    return 0


# --------------------------------------------------------------------------- invoice types


def cmd_invoice_type_add(args: argparse.Namespace) -> int:
    s = session(args)
    saved = org.add_invoice_type(
        s.actor,
        args.code,
        administration=args.administration,
        name=args.name,
        collection_reason=args.collection_reason or "",
    )
    return _saved(args, saved, f"invoice type {saved.detail.code} of {saved.detail.administration}", "added")


def cmd_invoice_type_edit(args: argparse.Namespace) -> int:
    s = session(args)
    saved = org.edit_invoice_type(
        s.actor,
        args.code,
        administration=args.administration,
        name=args.name,
        collection_reason=args.collection_reason,
    )
    return _saved(
        args, saved, f"invoice type {saved.detail.code} of {saved.detail.administration}", "changed"
    )


def cmd_invoice_type_list(args: argparse.Namespace) -> int:
    s = session(args)
    if output.export_wanted(args):
        from incasso_tui.services.exports.sources import AdministrationCode

        return output.export(args, s.actor, "invoice_types", AdministrationCode(args.administration))
    rows = org.list_invoice_types(s.actor, args.administration)
    if args.json:
        output.emit_json([r.as_dict() for r in rows])
    else:
        output.table(
            ["adm", "code", "name", "collection reason"],
            [(r.administration, r.code, r.name, r.collection_reason) for r in rows],
        )
    return 0
