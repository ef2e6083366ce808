"""`incasso set …`, `incasso order …` and `incasso import orders`: collection sets and orders."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from incasso_tui.cli import output
from incasso_tui.cli.common import group, json_flag, session
from incasso_tui.db.statuses import JOB_ACTIVE
from incasso_tui.services.statuses import JobStatus, OrderStatus, SetStatus

if TYPE_CHECKING:
    from incasso_tui.jobs.worker import ProgressEvent
    from incasso_tui.services.auth import Actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from incasso_tui.services.collection import orders as _orders  # noqa: F401 - registers the "orders" import kind

    _, ssub = group(sub, "set", "collection sets (incassosets)")
    p = ssub.add_parser("new", help="new set with every eligible order of a bank group")
    p.add_argument("--bank-group", required=True, metavar="CODE")
    p.add_argument(
        "--date", metavar="YYYY-MM-DD", help="requested collection date (default: the earliest allowed)"
    )
    p.add_argument("--due-until", metavar="YYYY-MM-DD", help="only orders due up to this date")
    p.add_argument("--invoice-type", metavar="CODE")
    p.add_argument(
        "--administration", action="append", metavar="CODE", help="only these administrations (repeatable)"
    )
    json_flag(p)
    p.set_defaults(handler=cmd_set_new)

    p = ssub.add_parser("list", help="collection sets")
    p.add_argument("--status", choices=[s.value for s in SetStatus])
    p.add_argument("--limit", type=int, default=output.default_limit(50))
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_set_list)

    p = ssub.add_parser("show", help="a set: orders, totals, held-back orders, files")
    p.add_argument("set_id", type=int)
    p.add_argument("--orders", type=int, default=20, help="order lines to show (default 20)")
    json_flag(p)
    p.set_defaults(handler=cmd_set_show)

    p = ssub.add_parser("process", help="queue the processing into pain.008 file(s)")
    p.add_argument("set_id", type=int)
    p.add_argument("--wait", action="store_true", help="run the job here, with a progress bar")
    p.add_argument(
        "--confirm-sent",
        action="store_true",
        help="re-process a set that was already sent (makes a new file)",
    )
    json_flag(p)
    p.set_defaults(handler=cmd_set_process)

    p = ssub.add_parser(
        "letter",
        help="the instruction letters (opdrachtbrief), one PDF per file, beside the files",
    )
    p.add_argument("set_id", type=int)
    p.add_argument(
        "--out",
        metavar="PATH",
        help="a set of one file: the PDF; of several files: a directory (created when missing) "
        "for one PDF per file, or, ending in .pdf, one PDF with every file's letter",
    )
    p.set_defaults(handler=cmd_set_letter)

    p = ssub.add_parser("send", help="deliver the file(s) to the bank")
    p.add_argument("set_id", type=int)
    p.set_defaults(handler=cmd_set_send)

    p = ssub.add_parser("date", help="change the collection date of a set not yet processed")
    p.add_argument("set_id", type=int)
    p.add_argument("date", metavar="YYYY-MM-DD")
    p.set_defaults(handler=cmd_set_date)

    for verb, help_text in (
        ("remove", "remove orders from a set not yet processed"),
        ("add", "(re-)add orders to a set; without ids every eligible one"),
    ):
        p = ssub.add_parser(verb, help=help_text)
        p.add_argument("set_id", type=int)
        p.add_argument("order_ids", type=int, nargs="*" if verb == "add" else "+")
        p.set_defaults(handler=cmd_set_remove if verb == "remove" else cmd_set_add)

    p = ssub.add_parser("delete", help="delete a set not yet processed (its orders are freed)")
    p.add_argument("set_id", type=int)
    p.set_defaults(handler=cmd_set_delete)

    p = ssub.add_parser("handle", help="mark every underway order of a set processed")
    p.add_argument("set_id", type=int)
    p.set_defaults(handler=cmd_set_handle)

    from incasso_tui.cli.prenotify import add_order_command, add_set_command

    add_set_command(ssub)  # set prenotify

    _, osub = group(sub, "order", "collection orders (incasso-opdrachten)")
    p = osub.add_parser("add", help="a new order")
    p.add_argument("--administration", required=True, metavar="CODE")
    p.add_argument("--debtor", required=True, metavar="NUMBER")
    p.add_argument("--amount", required=True, help="euros, e.g. 12,50")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="requested date (default today)")
    p.add_argument("--invoice-type", default="")
    p.add_argument("--invoice", default="", help="invoice number")
    p.add_argument("--text", default="", help="remittance text")
    p.add_argument("--account", default="", help="creditor IBAN (default: the first account)")
    json_flag(p)
    p.set_defaults(handler=cmd_order_add)

    p = osub.add_parser("list", help="orders (filters combine)")
    p.add_argument("--status", choices=[s.value for s in OrderStatus])
    p.add_argument("--administration", metavar="CODE")
    p.add_argument("--bank-group", metavar="CODE")
    p.add_argument("--set", type=int, dest="set_id")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    p.add_argument("--search", default="")
    p.add_argument(
        "--held", action="store_true", help="with --set: the orders held back from the set, with the reason"
    )
    p.add_argument("--limit", type=int, default=output.default_limit(50))
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_order_list)

    p = osub.add_parser("handle", help="mark underway orders processed (afhandelen)")
    p.add_argument("order_ids", type=int, nargs="+")
    p.set_defaults(handler=cmd_order_handle)

    p = osub.add_parser("cancel", help="cancel an order that is not in a file")
    p.add_argument("order_id", type=int)
    p.set_defaults(handler=cmd_order_cancel)

    p = osub.add_parser("process", help="process one order on its own (a set of one)")
    p.add_argument("order_id", type=int)
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.add_argument("--wait", action="store_true")
    p.set_defaults(handler=cmd_order_process)

    p = osub.add_parser(
        "final", help="mark an order as the final collection (FNAL) under its mandate; it ends after it"
    )
    p.add_argument("order_id", type=int)
    p.add_argument("--undo", action="store_true", help="no longer the final collection")
    json_flag(p)
    p.set_defaults(handler=cmd_order_final)

    from incasso_tui.cli.feedback import add_order_commands

    add_order_commands(osub)  # reverse, collect-again
    add_order_command(osub)  # order prenotify

    from incasso_tui.cli import imports as cli_import

    if getattr(cli_import, "_SUBPARSERS", None) is not None:
        cli_import.add_import_command(
            "orders",
            "collection orders from a CSV file: administration;"
            "debtor;amount[;requested_date;invoice_type;invoice_number;"
            "remittance;bank_account]",
        )


# --------------------------------------------------------------------------- sets


def cmd_set_new(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.sets import create_set

    s = session(args)
    created = create_set(
        s.actor,
        args.bank_group,
        args.date,
        due_until=args.due_until,
        invoice_type=args.invoice_type,
        administrations=args.administration,
    )
    if args.json:
        output.emit_json(created.as_dict())
        return 0
    print(created.id)
    note = f" ({created.date_note})" if created.date_note else ""
    print(
        f"set {created.id} for {created.bank_group}: {created.orders} orders, "
        f"{output.money(created.total_cents)} EUR, collection date "
        f"{created.collection_date.isoformat()}{note}; {created.held_back} held back"
        + (
            f"; {created.skipped_administrations} administration(s) skipped: no rights"
            if created.skipped_administrations
            else ""
        ),
        file=sys.stderr,
    )
    return 0


def cmd_set_list(args: argparse.Namespace) -> int:
    from incasso_tui.services import browse

    s = session(args)
    if output.export_wanted(args):
        from incasso_tui.services.exports.sources import StatusFilter

        return output.export(args, s.actor, "sets", StatusFilter(args.status))
    page = browse.list_sets(s.actor, args.status, 0, args.limit)
    if args.json:
        output.emit_json([r.as_dict() for r in page.rows])
        return 0
    output.table(
        ["id", "bank group", "status", "date", "orders", "total", "by"],
        [
            (
                r.id,
                r.bank_group,
                r.status,
                r.collection_date or r.requested_date,
                r.orders,
                output.money(int(r.total_cents or 0)),
                r.created_by,
            )
            for r in page.rows
        ],
    )
    return 0


def cmd_set_show(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.sets import set_detail

    s = session(args)
    d = set_detail(s.actor, args.set_id, order_limit=max(args.orders, 0) if not args.json else 1000)
    if args.json:
        output.emit_json(d.as_dict())
        return 0
    print(f"set {d.id}  bank group {d.bank_group} ({d.pain_version})  status {d.status}")
    print(
        f"collection date {d.collection_date}  (requested {d.requested_date})  "
        f"created by {d.created_by} at {d.created_at:%Y-%m-%d %H:%M}"
    )
    if d.selection:
        print("selection: " + ", ".join(f"{k}={v}" for k, v in d.selection.items()))
    if d.skipped_administrations:
        print(f"{d.skipped_administrations} administration(s) skipped: you have no rights there")
    print(f"{d.orders} orders, {output.money(d.total_cents)} EUR; {d.moved} with a moved date")
    for w in d.notice_warnings:
        print(
            f"warning: {w['administration']}: {w['orders']} order(s) collected up to "
            f"{w['most_days']} days after the date the debtor was told (margin "
            f"{w['margin_days']} days): send a new pre-notification"
        )
    if d.hidden_orders:
        print(
            f"{d.hidden_orders} orders of other administrations hidden "
            f"({output.money(d.hidden_cents)} EUR): you have no rights on them"
        )
    pn = d.prenotification
    if pn:
        told = ", ".join(f"{k} {v}" for k, v in sorted(pn["sent_by_channel"].items())) or "none"
        print(
            f"pre-notified: {pn['orders_notified']} of {d.orders} orders ({told})"
            + (f"; e-mails pending {pn['email_pending']}" if pn["email_pending"] else "")
            + (f"; maybe sent (crash) {pn['email_unknown']}" if pn["email_unknown"] else "")
            + (f"; refused {pn['email_failed']}" if pn["email_failed"] else "")
        )
    if d.error:
        print(f"error: {d.error}")
    if d.processed_at:
        print(f"processed {d.processed_at:%Y-%m-%d %H:%M} by {d.processed_by}")
    if d.sent_at:
        print(f"sent {d.sent_at:%Y-%m-%d %H:%M} by {d.sent_by}")
    for f in d.files:
        gone = " (superseded)" if f.get("superseded") else ""
        print(
            f"file {f['path']}{gone}\n  msg id {f['msg_id']}  {f['scheme']}  {f['count']} "
            f"transactions  {output.money(f['total_cents'])} EUR  sha256 {f['sha256']}"
        )
    print("\ntotals:")
    output.table(
        ["administration", "IBAN", "scheme", "seq", "count", "total"],
        [
            (
                t["administration"],
                t["iban"],
                t["scheme"],
                t["sequence_type"],
                t["count"],
                output.money(t["total_cents"]),
            )
            for t in d.totals
        ],
    )
    if d.order_rows and args.orders:
        print("\norders:")
        output.table(
            ["id", "adm", "debtor", "name", "amount", "requested", "date", "seq", "status"],
            [
                (
                    o["id"],
                    o["administration"],
                    o["debtor_number"],
                    o["debtor_name"][:30],
                    output.money(o["amount_cents"]),
                    o["requested_date"],
                    o["collection_date"],
                    o["sequence_type"] or "",
                    o["status"],
                )
                for o in d.order_rows[: args.orders]
            ],
        )
    if d.held_back_total:
        print(f"\nheld back: {d.held_back_total}")
        output.table(
            ["order", "adm", "debtor", "amount", "reason"],
            [
                (
                    h["order_id"],
                    h["administration"],
                    h["debtor_number"],
                    output.money(h["amount_cents"]),
                    h["reason"],
                )
                for h in d.held_back
            ],
        )
    if d.preview:
        print("\nin the file (transliterated):")
        for p in d.preview[:10]:
            print(f"  order {p['order_id']} {p['field']}: {p['original']} → {p['in_file']}")
    return 0


class _Bar:
    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, event: ProgressEvent) -> None:
        if event.status != JobStatus.RUNNING:
            if self.tty:
                sys.stderr.write("\n")
            return
        now = time.monotonic()
        if not self.tty and now - self.last < 2 and event.done < event.total:
            return
        self.last = now
        width = 30
        filled = int(width * event.fraction)
        eta = event.eta_seconds
        line = f"[{'#' * filled}{'.' * (width - filled)}] {event.done}/{event.total} {event.message}" + (
            f"  ETA {eta:.0f}s" if eta is not None else ""
        )
        sys.stderr.write(("\r" + line) if self.tty else line + "\n")
        sys.stderr.flush()


def _wait(actor: Actor, job_id: int, *, as_json: bool = False) -> int:
    from incasso_tui.core.errors import IncassoError
    from incasso_tui.jobs.worker import JobRunner
    from incasso_tui.services.jobs import get_job

    runner = JobRunner(listener=_Bar())
    try:
        status = runner.run_one(job_id)
    except IncassoError:
        # Another worker (the app, `incasso worker`) took it: follow it — and when that
        # worker dies, reclaim the job like any running worker and run it here.
        while True:
            status = get_job(actor, job_id).status
            if status == JobStatus.QUEUED:  # back in the queue: run it here
                try:
                    status = runner.run_one(job_id)
                    break
                except IncassoError:
                    continue  # another worker was quicker: follow that one
            if status not in JOB_ACTIVE:
                break
            time.sleep(0.5)
            runner.reclaim_stale()
    job = get_job(actor, job_id)
    if status == JobStatus.DONE:
        if as_json:
            output.emit_json({"job_id": job_id, **(job.result or {})})
            return 0
        print((job.result or {}).get("message", "done"), file=sys.stderr)
        for name in (job.result or {}).get("files", []):
            print(name)
        return 0
    print(f"incasso: job {job_id} {status}: {job.error or job.message}", file=sys.stderr)
    return 1


def cmd_set_process(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.processing import process_set
    from incasso_tui.services.prenotification import processing_warnings

    s = session(args)
    notices = processing_warnings(s.actor, args.set_id, limit=50)  # before the plan is stored
    job_id = process_set(
        s.actor,
        args.set_id,
        outbox_dir=s.config.outbox_dir,
        confirm_sent=args.confirm_sent,
        language=s.config.language,
    )
    if notices.problems:
        print(
            f"warning: {notices.problems} of {notices.orders} order(s) collected without a "
            "pre-notification in time, or on another date or amount than it said:",
            file=sys.stderr,
        )
        for line in notices.lines():
            print(f"  {line}", file=sys.stderr)
        if notices.problems > len(notices.rows):
            print(f"  … {notices.problems - len(notices.rows)} more", file=sys.stderr)
    if not args.wait:
        if args.json:
            output.emit_json({"job_id": job_id})
        else:
            print(f"set {args.set_id} queued as job {job_id}")
        return 0
    return _wait(s.actor, job_id, as_json=args.json)


def cmd_set_letter(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.letters import set_letters

    s = session(args)
    for path in set_letters(s.actor, args.set_id, args.out, language=s.config.language):
        print(path)
    return 0


def cmd_set_send(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.sending import send_set

    s = session(args)
    result = send_set(s.actor, args.set_id, outbox_dir=s.config.outbox_dir)
    print(f"set {args.set_id} sent: " + "; ".join(result["delivered"]))
    return 0


def cmd_set_date(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.sets import change_date

    s = session(args)
    cset = change_date(s.actor, args.set_id, args.date)
    print(f"set {cset.id}: collection date {cset.collection_date}")
    return 0


def cmd_set_remove(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.sets import remove_orders

    s = session(args)
    print(f"{remove_orders(s.actor, args.set_id, args.order_ids)} orders removed")
    return 0


def cmd_set_add(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.sets import add_orders

    s = session(args)
    added, refused = add_orders(s.actor, args.set_id, args.order_ids or None)
    for r in refused:
        print(f"order {r['order_id']}: {r['reason']}", file=sys.stderr)
    print(f"{added} orders added")
    return 0


def cmd_set_delete(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.sets import delete_set

    s = session(args)
    delete_set(s.actor, args.set_id)
    print(f"set {args.set_id} deleted")
    return 0


def cmd_set_handle(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.orders import handle_orders

    s = session(args)
    print(f"{handle_orders(s.actor, set_id=args.set_id)} orders handled")
    return 0


# --------------------------------------------------------------------------- orders


def cmd_order_add(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.orders import OrderInput, add_order

    s = session(args)
    added = add_order(
        s.actor,
        OrderInput(
            args.administration,
            args.debtor,
            args.amount,
            args.date,
            args.invoice_type,
            args.invoice,
            args.text,
            args.account,
        ),
    )
    if args.json:
        output.emit_json(added.as_dict())
        return 0
    print(added.id)
    if added.reminder:
        print(added.reminder, file=sys.stderr)
    elif added.mandate is None:
        print(
            "note: the debtor has no mandate yet; the order is held back until there is one", file=sys.stderr
        )
    return 0


def cmd_order_list(args: argparse.Namespace) -> int:
    from incasso_tui.services import browse
    from incasso_tui.services.input_rules import iso_date
    from incasso_tui.services.organisation import get_administration

    if args.held:
        return _held_orders(args)
    s = session(args)
    date_from = iso_date(args.date_from, "--from")
    date_to = iso_date(args.date_to, "--to")
    adm_id = group_id = None
    if args.administration:
        adm_id = get_administration(s.actor, args.administration.upper()).id
    if args.bank_group:
        from incasso_tui.services.collection.sets import get_bank_group

        group_id = get_bank_group(args.bank_group).id
    flt = browse.OrderFilter(
        search=args.search,
        status=args.status,
        set_id=args.set_id,
        administration_id=adm_id,
        bank_group_id=group_id,
        date_from=date_from,
        date_to=date_to,
    )
    if output.export_wanted(args):
        return output.export(args, s.actor, "orders", flt)
    page = browse.search_orders(s.actor, flt, 0, args.limit)
    if args.json:
        output.emit_json([r.as_dict() for r in page.rows])
        return 0
    output.table(
        ["id", "adm", "debtor", "name", "invoice", "amount", "date", "status", "set", "seq"],
        [
            (
                r.id,
                r.administration,
                r.debtor_number,
                r.debtor_name[:30],
                r.invoice_number,
                output.money(r.amount_cents),
                r.requested_date,
                r.status,
                r.set_id or "",
                r.sequence_type or "",
            )
            for r in page.rows
        ],
    )
    if page.more:
        print(f"… {page.total - len(page.rows)} more (use --limit or filters)", file=sys.stderr)
    return 0


def _held_orders(args: argparse.Namespace) -> int:
    """`order list --set ID --held`: the set's held-back orders (as `set show` lists them)."""
    from incasso_tui.core.errors import UsageError
    from incasso_tui.services.collection.sets import held_back

    if args.set_id is None:
        raise UsageError("--held needs --set ID")
    narrowing = (args.status, args.administration, args.bank_group, args.date_from, args.date_to, args.search)
    if any(narrowing):
        raise UsageError("--held lists a set's held-back orders: no other filter applies")
    s = session(args)
    if output.export_wanted(args):
        from incasso_tui.services.exports.sources import HeldFilter

        return output.export(args, s.actor, "set_held", HeldFilter(args.set_id))
    held = held_back(s.actor, args.set_id, limit=args.limit)
    if args.json:
        output.emit_json({"total": held.total, "by_reason": held.by_reason, "held_back": held.rows})
        return 0
    output.table(
        ["id", "adm", "debtor", "name", "amount", "reason"],
        [
            (
                h["order_id"],
                h.get("administration", ""),
                h.get("debtor_number", ""),
                h.get("debtor_name", "")[:30],
                output.money(h["amount_cents"]),
                h["reason"],
            )
            for h in held.rows
        ],
    )
    if held.total > len(held.rows):
        print(f"… {held.total - len(held.rows)} more (use --limit)", file=sys.stderr)
    return 0


def cmd_order_handle(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.orders import handle_orders

    s = session(args)
    print(f"{handle_orders(s.actor, args.order_ids)} orders handled")
    return 0


def cmd_order_cancel(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.orders import cancel_order

    s = session(args)
    cancel_order(s.actor, args.order_id)
    print(f"order {args.order_id} cancelled")
    return 0


def cmd_order_process(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.processing import process_single_order

    s = session(args)
    created, job_id = process_single_order(s.actor, args.order_id, args.date, outbox_dir=s.config.outbox_dir)
    print(f"order {args.order_id}: set {created.id}, job {job_id}", file=sys.stderr)
    return _wait(s.actor, job_id) if args.wait else 0


def cmd_order_final(args: argparse.Namespace) -> int:
    from incasso_tui.services.collection.orders import set_order_final

    s = session(args)
    state = set_order_final(s.actor, args.order_id, not args.undo)
    if args.json:
        output.emit_json(state.as_dict())
        return 0
    if state.final:
        print(
            f"order {state.order_id}: final collection (FNAL) of mandate {state.mandate}; "
            "the mandate ends after it"
        )
    else:
        print(f"order {state.order_id}: not the final collection of mandate {state.mandate}")
    return 0
