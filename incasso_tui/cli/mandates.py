"""`incasso mandate …`, `incasso mandates …` and `incasso debtor …`: the mandate administration
from the command line, through the same services as the screens."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from incasso_tui.cli import output
from incasso_tui.cli.common import group, json_flag, session
from incasso_tui.db.statuses import MandateStatus
from incasso_tui.services import browse, debtors
from incasso_tui.services.input_rules import parse_bool
from incasso_tui.services.mandates import daily_check as mandate_check
from incasso_tui.services.mandates import forms as mandate_forms
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates import lookup as mandate_lookup
from incasso_tui.services.mandates import settings as mandate_settings
from incasso_tui.services.organisation import get_administration

STATUSES = [s.value for s in MandateStatus]
VIEWS = tuple(browse.MANDATE_VIEWS)


def register(sub) -> None:
    _, msub = group(sub, "mandate", "one mandate: show, list, new, edit, activate, end, …")
    p = msub.add_parser("show", help="a mandate with its status, amendment, orders and history")
    _ref(p)
    json_flag(p)
    p.set_defaults(handler=cmd_show)
    p = msub.add_parser("list", help="mandates you may see")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--scheme", choices=mandates.SCHEMES)
    p.add_argument("--search", default="", help="debtor name or number, IBAN or reference")
    p.add_argument("--administration", metavar="CODE")
    p.add_argument("--view", choices=VIEWS, default="reference", help="sort order")
    p.add_argument(
        "--expiring",
        type=int,
        metavar="DAYS",
        help="only active mandates whose 36 months without a collection run out within DAYS days, "
        "soonest first",
    )
    p.add_argument("--limit", type=int, default=output.default_limit(200))
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_list)
    p = msub.add_parser("new", help="a new mandate for a debtor (reference assigned)")
    p.add_argument("debtor", metavar="DEBTOR_NUMBER")
    p.add_argument("--administration", metavar="CODE")
    _mandate_fields(p, new=True)
    json_flag(p)
    p.set_defaults(handler=cmd_new)
    p = msub.add_parser("edit", help="change a mandate (only the options given)")
    _ref(p)
    _mandate_fields(p, new=False)
    json_flag(p)
    p.set_defaults(handler=cmd_edit)
    p = msub.add_parser("activate", help="effective from a date (default: the date signed, else today)")
    _ref(p)
    p.add_argument(
        "--effective", metavar="DATE", help="first day it may be collected (default: the date signed)"
    )
    p.set_defaults(handler=cmd_activate)
    p = msub.add_parser("end", help="set the end date (default yesterday: ends now)")
    _ref(p)
    p.add_argument("--date", metavar="DATE", help="last day the mandate may be collected")
    p.set_defaults(handler=cmd_end)
    p = msub.add_parser("confirm-b2b", help="the debtor registered the B2B mandate at their bank")
    _ref(p)
    p.set_defaults(handler=cmd_confirm_b2b)
    p = msub.add_parser("revoke", help="the debtor withdrew the mandate")
    _ref(p)
    p.add_argument("--reason", default="")
    p.set_defaults(handler=cmd_revoke)
    p = msub.add_parser(
        "replace-reference",
        help="a new mandate reference; once collected, the next collection tells the bank the old one",
    )
    _ref(p)
    p.add_argument("new_reference", metavar="NEW")
    json_flag(p)
    p.set_defaults(handler=cmd_replace_reference)
    p = msub.add_parser("history", help="every change of the mandate (who, when, old -> new)")
    _ref(p)
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_history)
    p = msub.add_parser("form", help="the mandate form as PDF")
    _ref(p)
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.set_defaults(handler=cmd_form)

    _, gsub = group(sub, "mandates", "all mandates: daily check, forms, settings")
    p = gsub.add_parser(
        "check", help="the daily status check (operator or admin; for cron; the TUI runs it at start)"
    )
    json_flag(p)
    p.set_defaults(handler=cmd_check)
    p = gsub.add_parser("forms", help="mandate forms of many mandates in one PDF")
    p.add_argument(
        "--unprinted",
        action="store_true",
        required=True,
        help="every mandate whose form has not been printed yet (then marked printed)",
    )
    p.add_argument("--administration", metavar="CODE")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    json_flag(p)
    p.set_defaults(handler=cmd_forms)
    p = gsub.add_parser("settings", help="an administration's mandate settings (admin)")
    p.add_argument("administration", metavar="CODE")
    p.add_argument("--scope", choices=mandate_settings.SCOPES)
    p.add_argument("--auto-create", metavar="yes|no")
    p.add_argument("--activate-immediately", metavar="yes|no")
    p.add_argument(
        "--reference-format",
        metavar="FMT",
        help="e.g. '{debtor}-{seq}' or '{admin}{debtor}M{seq:3}'; fields {debtor} {seq} {admin} {type}",
    )
    p.add_argument("--collection-reason", metavar="TEXT")
    p.add_argument(
        "--pre-notification-days",
        type=int,
        metavar="N",
        help="days between telling the debtor and collecting (default 14); a "
        "herincasso is dated at least this far ahead",
    )
    p.add_argument(
        "--notice-margin-days",
        type=int,
        metavar="N",
        help="days a collection may fall after the date the debtor was told before a set warns (default 5)",
    )
    texts = p.add_mutually_exclusive_group()
    texts.add_argument(
        "--form-texts",
        metavar="FILE.toml",
        type=Path,
        help='override mandate form texts: [nl] title_recurrent = "…"',
    )
    texts.add_argument("--default-form-texts", action="store_true", help="back to the built-in form texts")
    p.set_defaults(handler=cmd_settings)

    _, dsub = group(sub, "debtor", "debtors: show, list, add, edit")
    p = dsub.add_parser("show", help="a debtor with its mandates")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--administration", metavar="CODE")
    json_flag(p)
    p.set_defaults(handler=cmd_debtor_show)
    p = dsub.add_parser("list", help="debtors you may see")
    p.add_argument("--search", default="")
    p.add_argument("--administration", metavar="CODE")
    p.add_argument("--limit", type=int, default=output.default_limit(200))
    output.export_flags(p)
    json_flag(p)
    p.set_defaults(handler=cmd_debtor_list)
    p = dsub.add_parser("add", help="a new debtor (IBAN checked, BIC derived)")
    p.add_argument("--administration", required=True, metavar="CODE")
    p.add_argument("--number", help="default: one above the highest number")
    _debtor_fields(p, new=True)
    json_flag(p)
    p.set_defaults(handler=cmd_debtor_add)
    p = dsub.add_parser("edit", help="change a debtor (only the options given)")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--administration", metavar="CODE")
    p.add_argument("--new-number", metavar="NUMBER")
    _debtor_fields(p, new=False)
    p.set_defaults(handler=cmd_debtor_edit)


def _ref(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="REF", help="reference or external reference (or #ID)")
    p.add_argument("--administration", metavar="CODE", help="when the reference is not unique")


def _mandate_fields(p: argparse.ArgumentParser, new: bool) -> None:
    p.add_argument("--scheme", choices=mandates.SCHEMES, default="CORE" if new else None)
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--one-off", dest="recurrent", action="store_false", default=None)
    kind.add_argument("--recurrent", dest="recurrent", action="store_true")
    p.add_argument("--invoice-type", metavar="CODE")
    p.add_argument("--signed", metavar="DATE", help="date signed (YYYY-MM-DD or DD-MM-YYYY)")
    p.add_argument("--effective", metavar="DATE", help="active from this date")
    p.add_argument("--end", metavar="DATE", help="inactive after this date ('' clears it)")
    p.add_argument("--reason", help="reason for the collection (incassoreden)")
    p.add_argument("--reference", help="default: assigned" if new else "new reference")
    p.add_argument("--external-reference", metavar="REF", help="'' removes it")


def _debtor_fields(p: argparse.ArgumentParser, new: bool) -> None:
    p.add_argument("--name", required=new)
    for name in ("street", "building-number", "postcode", "town", "email", "iban", "bic"):
        p.add_argument(f"--{name}")
    p.add_argument("--country", help="ISO code (default NL)")
    p.add_argument("--language", choices=debtors.LANGUAGES)
    p.add_argument("--business", metavar="yes|no")


# --- mandates ----------------------------------------------------------------------------


def _find(s, args) -> int:
    return mandates.find_mandate(s.actor, args.ref, args.administration).id


def cmd_show(args) -> int:
    s = session(args)
    detail = mandate_lookup.mandate_detail(s.actor, _find(s, args))
    dates = browse.mandate_collection_dates(s.actor, detail.id)
    if args.json:
        output.emit_json({**detail.as_dict(), "last_collected": dates.last, "next_collection": dates.next})
        return 0
    print_detail(detail, dates)
    return 0


def print_detail(d: mandate_lookup.MandateDetail, dates: browse.CollectionDates | None = None) -> None:
    kind = "recurrent" if d.recurrent else "one-off"
    rows = [
        (
            "reference",
            d.reference + (f"   (written to files: {d.written_reference})" if d.external_reference else ""),
        ),
        ("external reference", d.external_reference or ""),
        ("administration", f"{d.administration}  creditor id {d.creditor_id}"),
        ("debtor", f"{d.debtor_number} {d.debtor_name}  {d.debtor_iban} {d.debtor_bic}".rstrip()),
        ("type", f"{d.scheme} {kind}" + (f", invoice type {d.invoice_type}" if d.invoice_type else "")),
        ("status", d.status + (f" ({d.status_reason})" if d.status_reason else "")),
        ("collectable today", "yes" if d.hold is None else f"no: {d.hold}"),
        ("signed", _d(d.signed_date)),
        ("effective", _d(d.effective_date)),
        ("end", _d(d.end_date)),
        # A file's collection date may lie ahead: that is the next collection, not the last.
        ("last collection", _d(dates.last if dates else d.last_collection_date)),
        ("next collection", _d(dates.next) + " (in a file)" if dates and dates.next else ""),
        ("expires on", _d(d.expires_on) + (" unless collected before" if d.expires_on else "")),
        ("reason", d.reason),
        ("B2B registered", ("yes" if d.b2b_registered else "no") if d.scheme == "B2B" else ""),
        ("form printed", _d(d.form_printed_at) or "no"),
    ]
    if d.amendment:
        a = d.amendment
        parts = []
        if a.get("original_reference"):
            parts.append(f"previous reference {a['original_reference']}")
        if a["new_bank_smnda"]:
            parts.append(f"new account at another bank (SMNDA), previous IBAN {a['previous_iban']}")
        elif a["original_iban"]:
            parts.append(f"previous IBAN {a['original_iban']}")
        if a.get("original_creditor_id") or a.get("original_creditor_name"):
            parts.append(
                "previous creditor "
                + " ".join(x for x in (a.get("original_creditor_id"), a.get("original_creditor_name")) if x)
            )
        rows.append(("pending amendment", "; ".join(parts)))
    for label, value in rows:
        if value:
            print(f"{label + ':':20} {value}")
    print(f"\norders: {d.orders_total}")
    for o in d.orders:
        print(
            f"  #{o['id']:<6} {o['invoice_number']:<14} {output.money(o['amount_cents']):>12}  "
            f"{_d(o['requested_date'])}  {o['status']}"
        )
    print("\nhistory:")
    for h in d.history:
        print(f"  {_d(h['at'])}  {h['user']:<10} {h['summary'] or h['action']}")
        for field, (old, new) in h["changes"].items():
            print(f"      {field}: {_v(old)} -> {_v(new)}")


def _d(value) -> str:
    if value is None:
        return ""
    return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()


def _v(value) -> str:
    return "-" if value in (None, "") else str(value)


def cmd_list(args) -> int:
    s = session(args)
    adm_id = get_administration(s.actor, args.administration).id if args.administration else None
    flt = browse.MandateFilter(
        search=args.search,
        status=args.status,
        scheme=args.scheme,
        administration_id=adm_id,
        view=args.view,
        expiring_within=args.expiring,
    )
    if output.export_wanted(args):
        return output.export(args, s.actor, "mandates", flt)
    page = browse.search_mandates(s.actor, flt, 0, args.limit)
    if args.json:
        output.emit_json(
            {"total": page.total, "mandates": [{**r.as_dict(), "expires": r.expires} for r in page.rows]}
        )
        return 0
    output.table(
        [
            "reference",
            "debtor",
            "name",
            "adm",
            "type",
            "status",
            "signed",
            "effective",
            "end",
            "last collection",
            "expires",
        ],
        [
            (
                r.reference,
                r.debtor_number,
                r.debtor_name[:30],
                r.administration,
                f"{r.scheme} {'RCUR' if r.recurrent else 'OOFF'}",
                r.status,
                _d(r.signed),
                _d(r.effective),
                _d(r.end),
                _d(r.last_collection),
                _d(r.expires),
            )
            for r in page.rows
        ],
    )
    if page.more:
        print(f"({len(page.rows)} of {page.total}; narrow with --search/--status or raise --limit)")
    return 0


def _input_from_args(args, base: mandates.MandateInput) -> mandates.MandateInput:
    for attr, value in (
        ("scheme", args.scheme),
        ("recurrent", args.recurrent),
        ("invoice_type", args.invoice_type),
        ("signed_date", args.signed),
        ("effective_date", args.effective),
        ("end_date", args.end),
        ("reason", args.reason),
        ("reference", args.reference),
        ("external_reference", args.external_reference),
    ):
        if value is not None:
            setattr(base, attr, value)
    return base


def cmd_new(args) -> int:
    s = session(args)
    debtor = debtors.find_debtor(s.actor, args.debtor, args.administration)
    mandate = mandates.create_mandate(s.actor, debtor.id, _input_from_args(args, mandates.MandateInput()))
    return _report(args, s, mandate, "created")


def cmd_edit(args) -> int:
    s = session(args)
    mandate = mandates.find_mandate(s.actor, args.ref, args.administration)
    data = _input_from_args(args, mandates.MandateInput.from_mandate(mandate))
    mandate = mandates.update_mandate(s.actor, mandate.id, data)
    return _report(args, s, mandate, "saved")


def _report(args, s, mandate, verb: str) -> int:
    if getattr(args, "json", False):
        output.emit_json(mandate_lookup.mandate_detail(s.actor, mandate.id).as_dict())
    else:
        print(
            f"mandate {mandate.reference} {verb}: {mandate.status}"
            + (f" ({mandate.status_reason})" if mandate.status_reason else "")
        )
    return 0


def cmd_activate(args) -> int:
    s = session(args)
    mandate = mandates.activate_mandate(s.actor, _find(s, args), args.effective)
    print(
        f"mandate {mandate.reference} active from {_d(mandate.effective_date)}; "
        f"a signed mandate form must exist"
    )
    return 0


def cmd_end(args) -> int:
    s = session(args)
    mandate = mandates.end_mandate(s.actor, _find(s, args), args.date)
    print(f"mandate {mandate.reference} ends on {_d(mandate.end_date)}: {mandate.status}")
    return 0


def cmd_confirm_b2b(args) -> int:
    s = session(args)
    mandate = mandates.confirm_b2b_registration(s.actor, _find(s, args))
    print(f"mandate {mandate.reference}: registration at the debtor's bank confirmed")
    return 0


def cmd_revoke(args) -> int:
    s = session(args)
    mandate = mandates.revoke_mandate(s.actor, _find(s, args), args.reason)
    print(f"mandate {mandate.reference} revoked")
    return 0


def cmd_replace_reference(args) -> int:
    s = session(args)
    old = mandates.find_mandate(s.actor, args.ref, args.administration)
    before = old.external_reference or old.reference
    mandate = mandates.replace_mandate_reference(s.actor, old.id, args.new_reference)
    if args.json:
        output.emit_json(mandate_lookup.mandate_detail(s.actor, mandate.id).as_dict())
        return 0
    after = mandate.external_reference or mandate.reference
    print(
        f"mandate {before} is now {after}"
        + (
            f"; the next collection tells the bank the old reference (OrgnlMndtId {mandate.amend_reference})"
            if mandate.amend_reference
            else "; no amendment pending"
        )
    )
    return 0


def cmd_history(args) -> int:
    s = session(args)
    if output.export_wanted(args):
        from incasso_tui.services.exports.sources import HistoryFilter

        return output.export(args, s.actor, "history", HistoryFilter("mandate", _find(s, args)))
    detail = mandate_lookup.mandate_detail(s.actor, _find(s, args))
    if args.json:
        output.emit_json(list(detail.history))
        return 0
    for h in detail.history:
        print(f"{_d(h['at'])}  {h['user']:<10} {h['summary'] or h['action']}")
        for field, (old, new) in h["changes"].items():
            print(f"    {field}: {_v(old)} -> {_v(new)}")
    return 0


def cmd_form(args) -> int:
    s = session(args)
    result = mandate_forms.print_form(s.actor, _find(s, args), args.out)
    print(
        f"mandate form written to {result.path}"
        + ("" if result.marked else " (not marked printed: read-only user)")
    )
    _font_notice()
    return 0


def cmd_forms(args) -> int:
    s = session(args)
    adm_id = get_administration(s.actor, args.administration).id if args.administration else None
    result = mandate_forms.print_unprinted(s.actor, args.out, adm_id)
    if args.json:
        output.emit_json(result.as_dict())
    else:
        print(f"{result.count} mandate forms written to {result.path}; marked printed")
    _font_notice()
    return 0


def _font_notice() -> None:
    from incasso_tui.documents import font_warning

    warning = font_warning()
    if warning:
        print(f"incasso: warning: {warning}", file=sys.stderr)


def cmd_check(args) -> int:
    s = session(args)  # configuration, database and a known user, like every command
    result = mandate_check.run_daily_check(force=True, actor=s.actor)  # an operator or admin
    if args.json:
        output.emit_json(result.as_dict())
        return 0
    changes = ", ".join(f"{k}: {v}" for k, v in sorted(result.changes.items())) or "no changes"
    print(f"mandate check {result.date.isoformat()}: {result.checked} mandates checked; {changes}")
    return 0


def cmd_settings(args) -> int:
    s = session(args)
    kwargs = {}
    if args.scope:
        kwargs["scope"] = args.scope
    for name in ("auto_create", "activate_immediately"):
        value = getattr(args, name)
        if value is not None:
            kwargs[name] = parse_bool(value, "--" + name.replace("_", "-"))
    if args.reference_format is not None:
        kwargs["reference_format"] = args.reference_format
    if args.collection_reason is not None:
        kwargs["collection_reason"] = args.collection_reason
    for name in ("pre_notification_days", "notice_margin_days"):
        if getattr(args, name) is not None:
            kwargs[name] = getattr(args, name)
    if args.form_texts:
        kwargs["form_texts"] = args.form_texts
    elif args.default_form_texts:
        kwargs["form_texts"] = None
    adm = mandate_settings.set_mandate_settings(s.actor, args.administration, **kwargs)
    print(
        f"{adm.code}: scope {adm.mandate_scope}, auto-create {_yn(adm.auto_create_mandates)}, "
        f"activate immediately {_yn(adm.activate_immediately)}, reference format "
        f"{adm.reference_format!r}, form texts {'overridden' if adm.form_overrides else 'built-in'}, "
        f"pre-notification {adm.pre_notification_days} days, notice margin "
        f"{adm.notice_margin_days} days"
    )
    return 0


def _yn(value: bool) -> str:
    return "yes" if value else "no"


# --- debtors -----------------------------------------------------------------------------


def cmd_debtor_show(args) -> int:
    s = session(args)
    debtor = debtors.find_debtor(s.actor, args.number, args.administration)
    detail = debtors.debtor_detail(s.actor, debtor.id)
    if args.json:
        output.emit_json(detail.as_dict())
        return 0
    rows = [
        ("debtor", f"{detail.number} {detail.name}"),
        ("administration", detail.administration),
        ("address", ", ".join(detail.address_lines)),
        ("language", detail.language),
        ("business", _yn(detail.is_business)),
        ("IBAN", f"{detail.iban} {detail.bic}".strip() or "none"),
        ("email", detail.email),
        ("open orders", str(detail.open_orders)),
    ]
    for label, value in rows:
        if value:
            print(f"{label + ':':16} {value}")
    print(f"\nmandates: {len(detail.mandates)}")
    for x in detail.mandates:
        print(
            f"  {x['reference']:<22} {x['scheme']:<4} {'RCUR' if x['recurrent'] else 'OOFF'}  "
            f"{x['status']:<9} {x['invoice_type'] or '':<6} effective {_d(x['effective_date']) or '-'}"
            f"  end {_d(x['end_date']) or '-'}"
        )
    return 0


def cmd_debtor_list(args) -> int:
    s = session(args)
    adm_id = get_administration(s.actor, args.administration).id if args.administration else None
    if output.export_wanted(args):
        from incasso_tui.services.exports.sources import DebtorFilter

        return output.export(args, s.actor, "debtors", DebtorFilter(args.search, adm_id))
    page = browse.search_debtors(s.actor, args.search, adm_id, 0, args.limit)
    if args.json:
        output.emit_json({"total": page.total, "debtors": [r.as_dict() for r in page.rows]})
        return 0
    output.table(
        ["number", "name", "adm", "town", "IBAN", "business", "lang", "mandates"],
        [
            (r.number, r.name, r.administration, r.town, r.iban, _yn(r.business), r.language, r.mandates)
            for r in page.rows
        ],
    )
    return 0


def _debtor_input(args, base: debtors.DebtorInput) -> debtors.DebtorInput:
    for attr in (
        "name",
        "street",
        "building_number",
        "postcode",
        "town",
        "country",
        "language",
        "iban",
        "bic",
        "email",
    ):
        value = getattr(args, attr)
        if value is not None:
            setattr(base, attr, value)
    if args.business is not None:
        base.is_business = parse_bool(args.business, "--business")
    if args.iban is not None and args.bic is None:
        base.bic = ""  # derived again from the new IBAN
    return base


def cmd_debtor_add(args) -> int:
    s = session(args)
    adm = get_administration(s.actor, args.administration)
    base = debtors.DebtorInput(number=args.number or debtors.next_number(s.actor, adm.id))
    debtor = debtors.create_debtor(s.actor, adm.id, _debtor_input(args, base))
    if args.json:
        output.emit_json(debtors.debtor_detail(s.actor, debtor.id).as_dict())
    else:
        print(
            f"debtor {debtor.number} {debtor.name} added to {adm.code}"
            + (f"; IBAN {debtor.iban} BIC {debtor.bic or 'not derived'}" if debtor.iban else "")
        )
    return 0


def cmd_debtor_edit(args) -> int:
    s = session(args)
    debtor = debtors.find_debtor(s.actor, args.number, args.administration)
    base = debtors.DebtorInput.from_debtor(debtor)
    if args.new_number:
        base.number = args.new_number
    debtor = debtors.update_debtor(s.actor, debtor.id, _debtor_input(args, base))
    print(f"debtor {debtor.number} saved")
    return 0
