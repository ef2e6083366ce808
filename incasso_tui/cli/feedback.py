"""`incasso feedback …` (bank files, R-transactions, reason codes) and `incasso order
reverse|collect-again`: what happens after a file left for the bank."""

from __future__ import annotations

import argparse
import sys

from incasso_tui.cli import output
from incasso_tui.cli.common import group, json_flag, session
from incasso_tui.services.feedback.codes import reversal_kinds


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _, fsub = group(
        sub, "feedback", "bank feedback: pain.002 rejects, camt.053/054 returns and refunds, R-transactions"
    )
    p = fsub.add_parser("import", help="import pain.002 / camt.053 / camt.054 file(s)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument(
        "--dry-run", action="store_true", help="show every change the file would make, change nothing"
    )
    json_flag(p)
    p.set_defaults(handler=cmd_feedback_import)

    p = fsub.add_parser("list", help="R-transactions (rejects, returns, refunds, reversals)")
    p.add_argument("--kind", choices=reversal_kinds())
    p.add_argument("--reason", metavar="CODE")
    p.add_argument("--administration", metavar="CODE")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    p.add_argument("--open", action="store_true", help="only those waiting for a decision")
    p.add_argument("--search", default="", help="EndToEndId, mandate reference or debtor")
    p.add_argument("--limit", type=int, default=output.default_limit(100))
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_feedback_list)

    p = fsub.add_parser("decide", help="close an R-transaction a person had to look at")
    p.add_argument("feedback_id", type=int)
    p.add_argument("--note", required=True, help="what was decided")
    p.set_defaults(handler=cmd_feedback_decide)

    p = fsub.add_parser("codes", help="the reason codes and the action the app takes for each")
    json_flag(p)
    p.set_defaults(handler=cmd_feedback_codes)

    p = fsub.add_parser("history", help="collections and R-transactions of a mandate or debtor")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--mandate", metavar="REFERENCE")
    who.add_argument("--debtor", metavar="NUMBER")
    p.add_argument("--administration", metavar="CODE")
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_feedback_history)


def add_order_commands(osub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`incasso order reverse` and `order collect-again` (registered by the order group)."""
    p = osub.add_parser(
        "reverse", help="storneren: record a reject, return, refund or creditor reversal of a collected order"
    )
    p.add_argument("order_id", type=int)
    p.add_argument("--kind", required=True, choices=reversal_kinds())
    p.add_argument(
        "--reason",
        required=True,
        metavar="CODE",
        help="ISO reason code, e.g. AM04, MD06 (see: incasso feedback codes)",
    )
    p.add_argument("--date", metavar="YYYY-MM-DD", help="date of the reversal (default today)")
    p.add_argument(
        "--collect-again",
        action="store_true",
        help="create a new order for the same claim at once (herincasso)",
    )
    p.add_argument(
        "--new-date",
        metavar="YYYY-MM-DD",
        help="requested date of the new order (default: after the pre-notification period)",
    )
    p.add_argument("--note", default="")
    json_flag(p)
    p.set_defaults(handler=cmd_order_reverse)

    p = osub.add_parser("collect-again", help="herincasso: a new order for a rejected or reversed collection")
    p.add_argument("order_id", type=int)
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.set_defaults(handler=cmd_order_collect_again)


def cmd_feedback_import(args: argparse.Namespace) -> int:
    from incasso_tui.services.feedback.importing import import_feedback

    s = session(args)
    reports = [import_feedback(s.actor, path, dry_run=args.dry_run) for path in args.files]
    if args.json:
        output.emit_json([r.as_dict() for r in reports])
        return 0
    for report in reports:
        print(report.summary())
        for effect in report.effects:
            flag = f" [{effect.flag}]" if effect.flag else ""
            print(
                f"  {effect.end_to_end_id or '-':<22} {effect.kind:<8} {effect.reason_code:<4} "
                f"{effect.action:<15} {effect.summary()}{flag}"
            )
        for miss in report.unmatched:
            owner = miss.administration or "admins only"
            print(f"  unmatched {miss.reference} {miss.reason_code} ({owner}): {miss.why}")
        _more(report.unmatched_count, len(report.unmatched), "unmatched")
        for line in report.skipped:
            print(f"  skipped: {line}")
        _more(report.skipped_count, len(report.skipped), "skipped")
        for note in report.notes:
            print(f"  note: {note}")
        _more(report.notes_count, len(report.notes), "notes")
    return 0


def _more(total: int, shown: int, what: str) -> None:
    """A report lists the first lines of each kind; its counts are complete."""
    if total > shown:
        print(f"  … and {total - shown} more {what} (not listed here)")


def cmd_feedback_list(args: argparse.Namespace) -> int:
    from incasso_tui.services.feedback.rtransactions import FeedbackFilter, search_feedback
    from incasso_tui.services.input_rules import iso_date
    from incasso_tui.services.organisation import get_administration

    s = session(args)
    flt = FeedbackFilter(
        kind=args.kind,
        reason_code=args.reason,
        administration_id=(
            get_administration(s.actor, args.administration).id if args.administration else None
        ),
        date_from=iso_date(args.date_from, "--from"),
        date_to=iso_date(args.date_to, "--to"),
        open_only=args.open,
        search=args.search,
    )
    if output.export_wanted(args):
        return output.export(args, s.actor, "feedback", flt)
    page = search_feedback(s.actor, flt, 0, args.limit)
    if args.json:
        output.emit_json([r.as_dict() for r in page.rows])
        return 0
    output.table(
        [
            "id",
            "date",
            "kind",
            "code",
            "action",
            "amount",
            "order",
            "adm",
            "debtor",
            "mandate",
            "source",
            "reference",
            "open",
        ],
        [
            (
                r.id,
                r.date,
                r.kind,
                r.reason_code,
                r.action,
                output.money(r.amount_cents),
                r.order_id or "-",
                r.administration,
                r.debtor_number,
                r.mandate_reference,
                r.source,
                r.source_ref,
                "yes" if r.needs_decision else "",
            )
            for r in page.rows
        ],
    )
    print(f"{len(page.rows)} of {page.total}", file=sys.stderr)
    return 0


def cmd_feedback_decide(args: argparse.Namespace) -> int:
    from incasso_tui.services.feedback.rtransactions import decide

    s = session(args)
    decide(s.actor, args.feedback_id, args.note)
    print(f"R-transaction {args.feedback_id}: decided")
    return 0


def cmd_feedback_codes(args: argparse.Namespace) -> int:
    from incasso_tui.services.feedback.codes import reason_code_table

    s = session(args)
    rows = reason_code_table(s.config.language)
    if args.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["code", "meaning", "action", "advice"],
        [(r["code"], r["name"], r["action_label"], r["advice"]) for r in rows],
    )
    return 0


def cmd_feedback_history(args: argparse.Namespace) -> int:
    from incasso_tui.services.feedback.rtransactions import collection_history

    s = session(args)
    if args.mandate:
        from incasso_tui.services.mandates.lifecycle import find_mandate

        who = {"mandate_id": find_mandate(s.actor, args.mandate, args.administration).id}
    else:
        from incasso_tui.services.debtors import find_debtor

        who = {"debtor_id": find_debtor(s.actor, args.debtor, args.administration).id}
    if output.export_wanted(args):
        from incasso_tui.services.exports.sources import CollectionHistoryFilter

        return output.export(args, s.actor, "collection_history", CollectionHistoryFilter(**who))
    lines = collection_history(s.actor, **who)
    if args.json:
        output.emit_json([line.as_dict() for line in lines])
        return 0
    output.table(
        ["date", "what", "order", "EndToEndId", "seq", "amount", "status", "mandate"],
        [
            (
                x.date,
                x.what,
                x.order_id,
                x.end_to_end_id,
                x.sequence_type,
                output.money(x.amount_cents),
                x.status,
                x.mandate_reference,
            )
            for x in lines
        ],
    )
    return 0


def cmd_order_reverse(args: argparse.Namespace) -> int:
    from incasso_tui.services.feedback.reversals import reverse_order

    s = session(args)
    result = reverse_order(
        s.actor,
        args.order_id,
        args.kind,
        args.reason,
        on=args.date,
        collect_again=args.collect_again,
        new_date=args.new_date,
        note=args.note,
    )
    if args.json:
        output.emit_json(result.as_dict())
        return 0
    print(
        f"order {args.order_id}: {args.kind} {result.effect.reason_code} recorded "
        f"(R-transaction {result.feedback_id}); {result.effect.summary()}"
    )
    if result.warning:
        print(f"warning: {result.warning}")
    if result.new_order_id:
        print(f"collected again as order {result.new_order_id}")
    return 0


def cmd_order_collect_again(args: argparse.Namespace) -> int:
    from incasso_tui.services.feedback.reversals import collect_again

    s = session(args)
    new_id = collect_again(s.actor, args.order_id, args.date)
    print(f"order {args.order_id}: collected again as order {new_id}")
    return 0
