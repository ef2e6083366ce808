"""`incasso init`, `db …`, `user …` (set-up of administrations and banks: cli/organisation.py)."""

from __future__ import annotations

import argparse

from incasso_tui.cli import output
from incasso_tui.cli.common import Subparsers, group, json_flag, session
from incasso_tui.db.statuses import Role
from incasso_tui.services import setup, users

ROLE_CHOICES = [r.value for r in Role]


def register(sub: Subparsers) -> None:
    p = sub.add_parser("init", help="create the database and make you its admin")
    p.add_argument("--demo", action="store_true", help="fill it with demo data")
    json_flag(p)
    p.set_defaults(handler=cmd_init)

    _, dbsub = group(sub, "db", "database schema, backup and restore")
    p = dbsub.add_parser("upgrade", help="bring the database to the current schema version")
    p.set_defaults(handler=cmd_db_upgrade)
    p = dbsub.add_parser("version", help="show the schema version")
    json_flag(p)
    p.set_defaults(handler=cmd_db_version)
    from incasso_tui.cli import backup as cli_backup

    cli_backup.register_db(dbsub)

    _, usub = group(sub, "user", "users and rights (admin)")
    p = usub.add_parser("add", help="add a user")
    p.add_argument("login")
    p.add_argument("--role", required=True, choices=ROLE_CHOICES)
    p.add_argument("--name", default="")
    p.set_defaults(handler=cmd_user_add)
    for verb, fn in (("grant", cmd_user_grant), ("revoke", cmd_user_revoke)):
        p = usub.add_parser(verb, help=f"{verb} rights on administrations")
        p.add_argument("login")
        p.add_argument("administrations", nargs="+", metavar="ADMINISTRATION")
        p.set_defaults(handler=fn)
    p = usub.add_parser("role", help="change a user's role")
    p.add_argument("login")
    p.add_argument("role", choices=ROLE_CHOICES)
    p.set_defaults(handler=cmd_user_role)
    for verb in ("activate", "deactivate"):
        p = usub.add_parser(verb, help=f"{verb} a user")
        p.add_argument("login")
        p.set_defaults(handler=cmd_user_active, active=verb == "activate")
    p = usub.add_parser("list", help="list users")
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_user_list)


def cmd_init(args: argparse.Namespace) -> int:
    s = session(args, need_schema=False)
    login = setup.init_login(args.user, s.config.allow_user_flag, refuse_ignored=True)
    result = setup.initialise(s.database, login, demo=args.demo)
    if args.json:
        output.emit_json(result)
        return 0
    print(f"database ready (schema version {result['schema_version']}); {login} is admin")
    if result["demo"]:
        print("demo data: " + ", ".join(f"{v} {k}" for k, v in result["demo"].items()))
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    s = session(args, need_schema=False)
    result = setup.upgrade_schema(s.database, args.user, s.config.allow_user_flag)
    for version, description in result.applied:
        print(f"applied {version}: {description}")
    print(f"schema version {result.latest} (was {result.before})")
    return 0


def cmd_db_version(args: argparse.Namespace) -> int:
    s = session(args, need_schema=False)
    version, latest = setup.schema_version(s.database)
    if args.json:
        output.emit_json({"version": version, "latest": latest})
    else:
        print(f"schema version {version} (this incasso-tui: {latest})")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    s = session(args)
    users.add_user(s.actor, args.login, args.role, args.name)
    print(f"user {args.login} added as {args.role}")
    if args.role != Role.ADMIN:
        print(f"give rights with: incasso user grant {args.login} ADMINISTRATION…")
    return 0


def cmd_user_grant(args: argparse.Namespace) -> int:
    s = session(args)
    added = users.grant(s.actor, args.login, args.administrations)
    print(f"{args.login} may now use {', '.join(added)}" if added else "nothing changed")
    return 0


def cmd_user_revoke(args: argparse.Namespace) -> int:
    s = session(args)
    removed = users.revoke(s.actor, args.login, args.administrations)
    print(f"{args.login} may no longer use {', '.join(removed)}" if removed else "nothing changed")
    return 0


def cmd_user_role(args: argparse.Namespace) -> int:
    s = session(args)
    users.set_role(s.actor, args.login, args.role)
    print(f"{args.login} is now {args.role}")
    return 0


def cmd_user_active(args: argparse.Namespace) -> int:
    s = session(args)
    users.set_active(s.actor, args.login, args.active)
    print(f"{args.login} {'activated' if args.active else 'deactivated'}")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    s = session(args)
    if output.export_wanted(args):
        return output.export(args, s.actor, "users", None)
    rows = users.list_users(s.actor)
    if args.json:
        output.emit_json([r.as_dict() for r in rows])
    else:
        output.table(
            ["login", "name", "role", "active", "administrations"],
            [
                (r.login, r.name, r.role, "yes" if r.active else "no", " ".join(r.administrations))
                for r in rows
            ],
        )
    return 0
