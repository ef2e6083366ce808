"""`incasso db backup FILE` and `incasso db restore FILE` (registered in the `db` group by
cli/admin.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from incasso_tui.cli import output
from incasso_tui.cli.common import Subparsers, json_flag, session
from incasso_tui.services import backup


def register_db(dbsub: Subparsers) -> None:
    p = dbsub.add_parser(
        "backup",
        help="copy the database into FILE while the app and workers go on (SQLite online backup or pg_dump)",
    )
    p.add_argument("file", metavar="FILE", help="the backup file to write (a .tar.gz archive)")
    p.add_argument("--force", action="store_true", help="replace FILE when it exists")
    json_flag(p)
    p.set_defaults(handler=cmd_db_backup)
    p = dbsub.add_parser(
        "restore", help="restore a backup into the (empty) database; an older schema is upgraded"
    )
    p.add_argument("file", metavar="FILE", help="a file written by `incasso db backup`")
    p.add_argument("--force", action="store_true", help="replace a database that holds data")
    json_flag(p)
    p.set_defaults(handler=cmd_db_restore)


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} bytes"
    value = n / 1000
    for unit in ("kB", "MB"):
        if value < 999.95:  # what rounds to 1000.0 is shown in the next unit
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


def cmd_db_backup(args: argparse.Namespace) -> int:
    s = session(args, need_schema=False)
    made = backup.make_backup(s.database, s.config, args.user, Path(args.file), force=args.force)
    manifest = made.manifest
    if args.json:
        output.emit_json({"file": str(made.path), **manifest.as_dict()})
        return 0
    print(
        f"backup written to {made.path}: {backup.BACKEND_NAMES[manifest.backend]} database, schema "
        f"version {manifest.schema_version}, {_size(manifest.size)} (sha256 {manifest.sha256})"
    )
    return 0


def cmd_db_restore(args: argparse.Namespace) -> int:
    s = session(args, need_schema=False)
    done = backup.restore_backup(s.database, s.config, args.user, Path(args.file), force=args.force)
    manifest = done.manifest
    if args.json:
        output.emit_json(
            {
                "file": str(Path(args.file).expanduser().absolute()),
                "database": done.target,
                "replaced": done.replaced,
                "upgraded_from": done.upgraded_from,
                "schema_version": done.schema_version,
                "backup": manifest.as_dict(),
            }
        )
        return 0
    if done.replaced:
        print(f"replaced what {done.target} held: {done.replaced}")
    print(f"restored {args.file} (taken {manifest.created_at} from {manifest.source}) into {done.target}")
    if done.upgraded_from is not None:
        print(f"schema upgraded from version {done.upgraded_from} to {done.schema_version}")
    else:
        print(f"schema version {done.schema_version}")
    return 0
