"""`incasso init`, `db …`, `user …`, `administration list`, `bank-group list`."""

from __future__ import annotations

import argparse

from incasso_tui.cli import output
from incasso_tui.cli.common import group, json_flag, session
from incasso_tui.db import migrations
from incasso_tui.services import auth, organisation, setup, users


def register(sub) -> None:
    p = sub.add_parser("init", help="create the database and make you its admin")
    p.add_argument("--demo", action="store_true", help="fill it with demo data")
    json_flag(p)
    p.set_defaults(handler=cmd_init)

    _, dbsub = group(sub, "db", "database schema")
    p = dbsub.add_parser("upgrade", help="bring the database to the current schema version")
    p.set_defaults(handler=cmd_db_upgrade)
    p = dbsub.add_parser("version", help="show the schema version")
    json_flag(p)
    p.set_defaults(handler=cmd_db_version)

    _, usub = group(sub, "user", "users and rights (admin)")
    p = usub.add_parser("add", help="add a user")
    p.add_argument("login")
    p.add_argument("--role", required=True, choices=auth.ROLES)
    p.add_argument("--name", default="")
    p.set_defaults(handler=cmd_user_add)
    for verb, fn in (("grant", cmd_user_grant), ("revoke", cmd_user_revoke)):
        p = usub.add_parser(verb, help=f"{verb} rights on administrations")
        p.add_argument("login")
        p.add_argument("administrations", nargs="+", metavar="ADMINISTRATION")
        p.set_defaults(handler=fn)
    p = usub.add_parser("role", help="change a user's role")
    p.add_argument("login")
    p.add_argument("role", choices=auth.ROLES)
    p.set_defaults(handler=cmd_user_role)
    for verb in ("activate", "deactivate"):
        p = usub.add_parser(verb, help=f"{verb} a user")
        p.add_argument("login")
        p.set_defaults(handler=cmd_user_active, active=verb == "activate")
    p = usub.add_parser("list", help="list users")
    json_flag(p)
    p.set_defaults(handler=cmd_user_list)

    _, asub = group(sub, "administration", "administrations (creditors)")
    p = asub.add_parser("list", help="list the administrations you may see")
    json_flag(p)
    p.set_defaults(handler=cmd_administration_list)

    _, bsub = group(sub, "bank-group", "bank groups")
    p = bsub.add_parser("list", help="list bank groups with your accounts in them")
    json_flag(p)
    p.set_defaults(handler=cmd_bank_group_list)


def cmd_init(args: argparse.Namespace) -> int:
    s = session(args, need_schema=False)
    login = args.user if (args.user and s.config.allow_user_flag) else auth.os_login()
    if args.user and not s.config.allow_user_flag:
        auth.resolve_actor(args.user, False)  # raises the usage error
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
    before = migrations.check_compatible(s.database)
    if before:  # an existing database: only an admin may change its schema
        auth.resolve_actor(args.user, s.config.allow_user_flag).require(auth.ADMIN, what="the schema")
    applied = migrations.upgrade(s.database)
    if applied:
        for mig in applied:
            print(f"applied {mig.version}: {mig.description}")
    print(f"schema version {migrations.LATEST} (was {before})")
    return 0


def cmd_db_version(args: argparse.Namespace) -> int:
    s = session(args, need_schema=False)
    version = migrations.current_version(s.database)
    if args.json:
        output.emit_json({"version": version, "latest": migrations.LATEST})
    else:
        print(f"schema version {version} (this incasso-tui: {migrations.LATEST})")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    s = session(args)
    users.add_user(s.actor, args.login, args.role, args.name)
    print(f"user {args.login} added as {args.role}")
    if args.role != "admin":
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


def cmd_administration_list(args: argparse.Namespace) -> int:
    s = session(args)
    rows = organisation.list_administrations(s.actor)
    if args.json:
        output.emit_json([r.as_dict() for r in rows])
    else:
        output.table(
            ["code", "name", "creditor id", "town", "debtors", "accounts"],
            [(r.code, r.name, r.creditor_id, r.town, r.debtors, r.bank_accounts) for r in rows],
        )
    return 0


def cmd_bank_group_list(args: argparse.Namespace) -> int:
    s = session(args)
    rows = organisation.list_bank_groups(s.actor)
    if args.json:
        output.emit_json([r.as_dict() for r in rows])
    else:
        output.table(
            ["code", "name", "format", "lead days", "accounts"],
            [(r.code, r.name, r.pain_version, r.lead_days, " ".join(r.accounts)) for r in rows],
        )
    return 0
