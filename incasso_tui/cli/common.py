"""Small helpers shared by the command modules."""

from __future__ import annotations

import argparse
from typing import Any, TypeAlias

from incasso_tui.services.session import Session, open_session

# What `add_subparsers` returns (its parser class is main's ArgumentParser subclass); a string,
# as argparse's classes are not subscriptable at run time.
Subparsers: TypeAlias = "argparse._SubParsersAction[Any]"


def session(args: argparse.Namespace, *, need_schema: bool = True, need_actor: bool = True) -> Session:
    return open_session(args.config, args.user, need_schema=need_schema, need_actor=need_actor)


def group(sub: Subparsers, name: str, help: str) -> tuple[argparse.ArgumentParser, Subparsers]:
    """A command group (`incasso user …`); without a subcommand it prints its help."""
    parser = sub.add_parser(name, help=help, description=help)
    parser.set_defaults(handler=None, group_parser=parser)
    return parser, parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND")


def json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")
