"""Small helpers shared by the command modules."""

from __future__ import annotations

import argparse

from incasso_tui.services.session import Session, open_session


def session(args: argparse.Namespace, **kwargs) -> Session:
    return open_session(args.config, args.user, **kwargs)


def group(sub, name: str, help: str):
    """A command group (`incasso user …`); without a subcommand it prints its help."""
    parser = sub.add_parser(name, help=help, description=help)
    parser.set_defaults(handler=None, group_parser=parser)
    return parser, parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND")


def json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")
