"""`incasso sepa check FILE... [--json]`: lint pain.008 files.

Wiring into the main CLI (incasso_tui/cli.py loads it like its other groups)::

    sepa_cli.register(subparsers)      # adds "sepa check"
    args = parser.parse_args()
    return args.handler(args)          # run_check; also set as args.func

Like the other command groups, ``incasso sepa`` without a subcommand has
``handler=None`` and ``group_parser`` set, so the caller can print its help.

Standalone: ``python -m incasso_tui.cli.sepa check FILE...``.

Output: one line per finding, ``FILE:LINE: severity rule: message``, then one
summary line per file; with ``--json`` one JSON document
``{"ok": bool, "files": [{"file", "ok", "version", "transactions", "total",
"errors", "warnings", "findings": [...]}]}``.  Exit status 0 when no file has an
error (warnings allowed), 1 otherwise, 2 on a usage error.  Never a traceback.

Strict by default; ``--lenient`` turns the rules a bank tolerates into warnings
(the list is in ``--help``; incasso_tui.sepa.check.TOLERATED, tested to match).
The files of one run share their MsgIds: a MsgId in two files is an error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine loads only when a file is checked: the CLI starts fast
    from incasso_tui.sepa.check import CheckReport

# check.TOLERATED and check.STRICT_ONLY_ERRORS, written out so that `incasso --help`
# does not load the engine (tests/sepa/test_sepa_check_strict.py keeps them equal).
LENIENT_WARNINGS = (
    ("target2", "collection date not a TARGET2 business day"),
    ("bom", "a byte order mark before the XML"),
    ("xml-declaration", "no XML declaration"),
    ("agent", "an agent with only a name, with a BIC and NOTPROVIDED, or empty"),
    ("agent-id", "an agent's Othr/Id other than NOTPROVIDED"),
    ("signature-date", "a mandate signed after the file's creation date"),
    ("creditor-id-nl", "a Dutch creditor id whose business code is not ZZZ"),
    ("mandate-space", "a mandate reference with a space"),
    ("ctrl-sum", "no CtrlSum in the GrpHdr or a PmtInf"),
    ("charge-bearer", "no ChrgBr in a PmtInf nor its transactions"),
    ("pmtinf-split", "PmtInf blocks that should have been one"),
)
ALWAYS_ERRORS = (
    ("encoding", "UTF-16/32, or an encoding other than UTF-8 declared"),
    ("account-iban", "an account not identified by an IBAN"),
    ("service-level", "more than one SvcLvl"),
    ("cre-dt-tm", "a CreDtTm with a time zone or fractions"),
    ("smnda", "SMNDA outside OrgnlDbtrAcct/Id/Othr/Id, or next to an OrgnlDbtrAgt"),
    ("address-structured", ".08: an address without TwnNm and Ctry, or > 2 AdrLine"),
    ("msg-id-reuse", "a MsgId used by another file of the same run"),
    ("dtd", "a DOCTYPE (DTD, entities): the file is refused unread"),
    ("xinclude", "an XInclude element (never processed)"),
)


def _rule_list(rules: tuple[tuple[str, str], ...]) -> str:
    return "\n".join(f"  {code:<19} {text}" for code, text in rules)


CHECK_EPILOG = f"""\
Strict by default: every finding below is an error (exit status 1).
With --lenient these, which Dutch banks tolerate, are warnings:
{_rule_list(LENIENT_WARNINGS)}
These stay errors with --lenient, as do XSD errors, wrong totals, checksums,
characters, amounts and duplicates:
{_rule_list(ALWAYS_ERRORS)}
A collection date in the past is always a warning.
"""


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``sepa`` command group (with ``check``) to an argparse subparsers object."""
    sepa = subparsers.add_parser("sepa", help="SEPA file tools", description="SEPA file tools")
    sepa.set_defaults(handler=None, func=None, group_parser=sepa)
    commands = sepa.add_subparsers(dest="sepa_command", metavar="COMMAND")
    _add_check(commands)
    return sepa


def _add_check(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "check",
        help="check pain.008 files (XSD and SEPA rules)",
        description="Check pain.008.001.02/.08 files: the XSD plus IBAN and creditor-id "
        "checksums, characters, totals, duplicates, instruments, TARGET2 dates "
        "and amendments.  Exit status 1 when any file has an error.",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="pain.008 XML file")
    check.add_argument("--json", action="store_true", help="one JSON document on stdout")
    check.add_argument(
        "--lenient",
        action="store_true",
        help="report what banks tolerate as warnings, not errors (see the list below)",
    )
    check.add_argument(
        "--max-per-rule",
        type=int,
        default=100,
        metavar="N",
        help="show at most N findings per rule and file (default 100)",
    )
    check.set_defaults(handler=run_check, func=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Check ``args.files``; print findings; 0 when no errors, else 1."""
    from incasso_tui.core.clock import today as clock_today
    from incasso_tui.sepa.check import CheckReport, FileChecker

    today = clock_today()
    max_per_rule = getattr(args, "max_per_rule", 100)
    strict = not getattr(args, "lenient", False)
    msg_ids: dict[str, tuple[str, int]] = {}  # shared by the files: a MsgId used twice
    reports = []
    try:
        for path in args.files:
            checker = FileChecker(
                path, today=today, max_per_rule=max_per_rule, strict=strict, msg_ids=msg_ids
            )
            findings = []
            for finding in checker.run():  # printed as found: a big file takes a while
                findings.append(finding)
                if not args.json:
                    print(finding)
            report = CheckReport.of(checker, findings)
            reports.append(report)
            if not args.json:
                print(_summary(report))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - a bug in the checker must not end in a traceback
        print(f"incasso sepa check: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    ok = all(r.ok for r in reports)
    if args.json:
        print(json.dumps({"ok": ok, "files": [r.to_dict() for r in reports]}, ensure_ascii=False, indent=1))
    return 0 if ok else 1


def _summary(report: CheckReport) -> str:
    from incasso_tui.sepa.validate import format_amount

    counts = (
        f"{report.transactions} transactions, {format_amount(report.total_cents)} EUR"
        if report.version
        else "not checked"
    )
    verdict = "OK" if report.ok else "FAILED"
    problems = (
        f"{report.errors} error{'s' * (report.errors != 1)}, "
        f"{report.warnings} warning{'s' * (report.warnings != 1)}"
    )
    version = f"{report.version}, " if report.version else ""
    return f"{report.path}: {verdict} ({version}{counts}; {problems})"


def main(argv: list[str] | None = None) -> int:
    """``python -m incasso_tui.cli.sepa check FILE...`` (the same as ``incasso sepa``)."""
    parser = argparse.ArgumentParser(prog="incasso sepa", description="SEPA file tools")
    commands = parser.add_subparsers(dest="sepa_command", metavar="COMMAND")
    _add_check(commands)
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return 2
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
