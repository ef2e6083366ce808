"""`incasso set prenotify ID` and `incasso order prenotify ID`: pre-notifications (vooraankondigingen)
as a print PDF, a mail-merge CSV and/or e-mails (a queued job)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from incasso_tui.cli import output
from incasso_tui.cli.common import Subparsers, json_flag, session
from incasso_tui.core.errors import UsageError
from incasso_tui.services.prenotification import NEED_OUTPUT

if TYPE_CHECKING:
    from incasso_tui.services.auth import Actor
    from incasso_tui.services.prenotification import PrenotifyResult

_LIST_AT_MOST = 50  # debtors to print listed on the terminal (the CSV/JSON have them all)


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--email", action="store_true", help="e-mail each debtor with an address (a queued job)")
    p.add_argument("--out", metavar="FILE.pdf", help="one PDF with every debtor's letter, for printing")
    p.add_argument(
        "--letters",
        metavar="DIR",
        help="one PDF per debtor in DIR (ADMINISTRATION-DEBTOR.pdf), created if missing",
    )
    p.add_argument("--csv", metavar="FILE.csv", help="a CSV for a mail merge (UTF-8 with BOM, `;`)")
    p.add_argument("--wait", action="store_true", help="with --email: send here, with a progress bar")
    json_flag(p)


def add_set_command(ssub: Subparsers) -> None:
    p = ssub.add_parser(
        "prenotify",
        help="pre-notify the debtors of a set not yet processed (letters, CSV, e-mail)",
        description="Tell each debtor the amount and date of their collections before the set is "
        "processed. Give at least one of --email, --out FILE.pdf, --letters DIR, --csv FILE.csv.",
    )
    p.add_argument("set_id", type=int)
    _arguments(p)
    p.set_defaults(handler=cmd_set_prenotify)


def add_order_command(osub: Subparsers) -> None:
    p = osub.add_parser(
        "prenotify",
        help="pre-notify the debtor of one order not yet processed",
        description="Give at least one of --email, --out FILE.pdf, --letters DIR, --csv FILE.csv.",
    )
    p.add_argument("order_id", type=int)
    _arguments(p)
    p.set_defaults(handler=cmd_order_prenotify)


def _check_args(args: argparse.Namespace) -> None:
    if not (args.email or args.out or args.letters or args.csv):
        raise UsageError(NEED_OUTPUT)
    if args.wait and not args.email:
        raise UsageError("--wait only goes with --email (the files are written at once)")


def cmd_set_prenotify(args: argparse.Namespace) -> int:
    from incasso_tui.services.prenotification import prenotify_set

    _check_args(args)
    s = session(args)
    result = prenotify_set(
        s.actor,
        args.set_id,
        pdf=args.out,
        csv=args.csv,
        letters=args.letters,
        email=args.email,
        smtp=s.config.smtp,
    )
    return _report(s.actor, result, args)


def cmd_order_prenotify(args: argparse.Namespace) -> int:
    from incasso_tui.services.prenotification import prenotify_order

    _check_args(args)
    s = session(args)
    result = prenotify_order(
        s.actor,
        args.order_id,
        pdf=args.out,
        csv=args.csv,
        letters=args.letters,
        email=args.email,
        smtp=s.config.smtp,
    )
    return _report(s.actor, result, args)


def _report(actor: Actor, result: PrenotifyResult, args: argparse.Namespace) -> int:
    if args.json and not (args.wait and result.job_id):
        output.emit_json(result.as_dict())
        return 0
    if not args.json:
        held = f"; {result.held_back} held back (not collected, not notified)" if result.held_back else ""
        print(f"{result.subject}: {result.debtors} debtors, {result.orders} orders{held}", file=sys.stderr)
        if result.pdf:
            print(result.pdf)
        if result.letters:
            print(f"{len(result.letters)} letters in {result.letters[0].parent}")
        if result.csv:
            print(result.csv)
        if args.email:
            if result.job_id:
                print(f"{result.emails} e-mails queued as job {result.job_id}", file=sys.stderr)
            else:
                print("no debtor has an e-mail address: nothing to e-mail", file=sys.stderr)
            if result.to_print:
                print(f"to print (no e-mail address): {len(result.to_print)} debtors", file=sys.stderr)
                for d in result.to_print[:_LIST_AT_MOST]:
                    print(f"  {d['administration']} {d['debtor_number']} {d['debtor_name']}", file=sys.stderr)
                if len(result.to_print) > _LIST_AT_MOST:
                    print(
                        f"  … {len(result.to_print) - _LIST_AT_MOST} more (--json lists all)", file=sys.stderr
                    )
    if args.wait and result.job_id:
        from incasso_tui.cli.sets import _wait

        return _wait(actor, result.job_id, as_json=args.json)
    return 0
