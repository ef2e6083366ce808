"""`incasso check`: the readiness report. Exit 0 when nothing blocks the next collection
(warnings alone included), 1 when something does — usable in a script or cron job."""

from __future__ import annotations

import argparse

from incasso_tui.cli import output
from incasso_tui.cli.common import Subparsers, json_flag, session
from incasso_tui.services.readiness import DEFAULT_LIMIT, Group, readiness_report

KIND = {"bank_group": "bank group"}


def register(sub: Subparsers) -> None:
    help_text = (
        "readiness report: what blocks or endangers the next collection (exit 1 when something blocks)"
    )
    p = sub.add_parser("check", help=help_text, description=help_text)
    p.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"objects listed per group (default {DEFAULT_LIMIT})",
    )
    json_flag(p)
    p.set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    s = session(args)
    report = readiness_report(s.actor, limit=args.limit)
    if args.json:
        output.emit_json(report.as_dict())
    else:
        if report.ready:
            headline = "Ready: nothing blocks the next collection"
        else:
            headline = f"Not ready: {report.blocking} blocking"
        print(f"{headline}, {report.warnings} warning(s) ({report.date.isoformat()})")
        for group in report.problems:
            _print_group(group)
        clean = [g for g in report.groups if not g.count]
        if clean:
            print()
            for group in clean:
                print(f"ok  {group.title}")
    return 0 if report.ready else 1


def _print_group(group: Group) -> None:
    print()
    print(f"{group.severity.upper()}  {group.title}: {group.count}")
    print(f"To do: {group.fix}")
    if group.items:
        output.table(
            ["kind", "code", "name", "administration", "why"],
            [(KIND.get(i.kind, i.kind), i.code, i.name, i.administration, i.reason) for i in group.items],
        )
    more = group.count - len(group.items)
    if more > 0:
        print(f"… and {more} more (--limit N lists more)")
