"""`incasso audit`: who changed what, when, old -> new, for every kind of object."""

from __future__ import annotations

import argparse

from incasso_tui.cli import output
from incasso_tui.cli.common import Subparsers, json_flag, session
from incasso_tui.services.audit_trail import KINDS, audit_trail, make_filter


def register(sub: Subparsers) -> None:
    p = sub.add_parser(
        "audit",
        help="the audit trail: who changed what, when, old -> new (newest first)",
        description="The audit trail of the administrations you may see (entries without one: admins only).",
    )
    p.add_argument("--object", metavar="KIND:ID", help=f"one object, or one kind ({', '.join(KINDS)})")
    p.add_argument("--user", dest="by_user", metavar="LOGIN", help="changes made by this user")
    p.add_argument("--since", metavar="DATE", help="from this date (YYYY-MM-DD or DD-MM-YYYY)")
    p.add_argument("--limit", type=int, default=output.default_limit(100))
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_audit)


def cmd_audit(args: argparse.Namespace) -> int:
    s = session(args)
    flt = make_filter(s.actor, args.object, args.by_user, args.since)
    if output.export_wanted(args):
        return output.export(args, s.actor, "audit", flt)
    page = audit_trail(s.actor, flt, 0, args.limit)
    if args.json:
        output.emit_json([e.as_dict() for e in page.rows])
        return 0
    for e in page.rows:
        print(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.user:<10} {e.object_text:<18} {e.summary or e.action}")
        for field, (old, new) in e.changes.items():
            print(f"    {field}: {_v(old)} -> {_v(new)}")
    if page.more:
        print(f"({len(page.rows)} of {page.total}; --limit N shows more)")
    return 0


def _v(value: object) -> str:
    return "-" if value in (None, "") else str(value)
