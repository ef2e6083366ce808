"""The `incasso` command. No subcommand starts the TUI.

Errors are one line on stderr: exit 2 for usage and configuration, 1 for a
refused operation. An unexpected failure is logged with its traceback to the
log file and reported as one line; no traceback reaches the user.

Nothing from data or input drives the terminal: every argument is refused when it holds a
control character or a bidirectional override (naming the argument), and everything the
command prints, on stdout and stderr, passes through core.terminal_text's escaping.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import NoReturn

from incasso_tui import __version__
from incasso_tui.core.errors import IncassoError, ValidationError
from incasso_tui.core.terminal_text import SafeWriter, escape_terminal, unsafe_rule

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own: usage + message, exit 2
        self.print_usage(sys.stderr)
        self.exit(2, f"incasso: {escape_terminal(message)}\n")


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="configuration file (default: $INCASSO_CONFIG, else ~/.config/incasso-tui/config.toml)",
    )
    parser.add_argument("--user", metavar="NAME", help="act as NAME (only with auth.allow_user_flag = true)")
    parser.add_argument(
        "--demo", action="store_true", help="TUI: fill an empty database with demo data first"
    )
    parser.add_argument("--no-mouse", action="store_true", help="TUI: ignore the mouse")
    parser.add_argument("--headless", action="store_true", help=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="incasso",
        description="SEPA direct debit back office. Without a command: start the terminal application.",
    )
    parser.add_argument("--version", action="version", version=f"incasso-tui {__version__}")
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    from incasso_tui.cli import admin as cli_admin

    cli_admin.register(sub)
    for module in _optional_modules():
        module.register(sub)
    return parser


def _optional_modules() -> Iterator[ModuleType]:
    """Command groups of later capabilities; each has `register(subparsers)`."""
    import importlib

    for name in (
        "organisation",
        "jobs",
        "sepa",
        "mandates",
        "imports",
        "sets",
        "feedback",
        "readiness",
        "reports",
        "audit",
        "serve",
    ):
        try:
            yield importlib.import_module(f"incasso_tui.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"incasso_tui.cli.{name}":
                raise


def _tui_args(argv: list[str]) -> argparse.Namespace | None:
    """The arguments when only global options are given (start the TUI), else None.

    Starting the TUI then skips loading every command module: start-up stays fast."""
    if any(a in ("-h", "--help", "--version") for a in argv):
        return None
    parser = _Parser(prog="incasso", add_help=False)
    _global_options(parser)
    args, rest = parser.parse_known_args(argv)
    if rest:
        return None
    args.command = None
    return args


# The largest number a database integer holds: ids and limits beyond it cannot mean anything.
MAX_NUMBER = 2**63 - 1


def check_arguments(args: argparse.Namespace) -> None:
    """Every text argument is single-line, terminal-safe text (the rule of
    services.input_rules.check_text), every number fits the database and no limit is
    negative; the error names the argument."""
    for name, value in vars(args).items():
        label = name.replace("_", " ")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and (rule := unsafe_rule(item)):
                raise ValidationError.forward(label, rule)
            if isinstance(item, int) and not isinstance(item, bool):
                if abs(item) > MAX_NUMBER:
                    raise ValidationError(label, "must be at most {MAX_NUMBER}", item, MAX_NUMBER=MAX_NUMBER)
                if name == "limit" and item < 0:
                    raise ValidationError(label, "must be 0 or more", item)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    streams = sys.stdout, sys.stderr
    # What any command prints is escaped; "\r" stays on stderr for the progress bar.
    sys.stdout, sys.stderr = SafeWriter(sys.stdout), SafeWriter(sys.stderr, keep="\n\t\r")
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _run(argv: list[str]) -> int:
    args = _tui_args(argv) or build_parser().parse_args(argv)
    try:
        check_arguments(args)
        if args.command is None:
            from incasso_tui.cli.tui_launch import run_tui

            return run_tui(args)
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:  # a command group without its subcommand
            args.group_parser.print_help(sys.stderr)
            return 2
        return handler(args)
    except IncassoError as exc:
        print(f"incasso: {escape_terminal(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("incasso: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `incasso … | head`: the reader left; not an error of ours
        import os

        # Python would complain again when flushing stdout at exit: point it at /dev/null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # noqa: BLE001 - the last line of defence: log, one line, exit 1
        from incasso_tui.core.logfile import log_exception

        where = log_exception(exc)
        print(
            f"incasso: internal error: {type(exc).__name__}: {escape_terminal(exc)} (details in {where})",
            file=sys.stderr,
        )
        return 1
    finally:
        _close_database()


def _close_database() -> None:
    """Close the connection a command's session opened. A command without a session (`sepa
    check`) has not loaded the services, and does not load them here."""
    if "incasso_tui.services.session" in sys.modules:
        from incasso_tui.services.session import close_database

        close_database()


if __name__ == "__main__":
    sys.exit(main())
