"""Which directory is this database's outbox: one per database, shared by every host.

With PostgreSQL shared by several hosts (each user's SSH host, `incasso worker` on a server),
every host must reach the files any other host wrote: the outbox is one directory, mounted at
the same path everywhere (README, "Several hosts"). The database records that path and a
random identity; the directory holds the identity in a marker file. A host whose configured
outbox is another directory — a local one, or the share not mounted — would write files no
other host can send or letter: it is refused before it processes, sends or letters anything,
and its worker does not start.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import peewee as pw

from incasso_tui.core.errors import Refused
from incasso_tui.core.files import make_private_dir, write_atomic
from incasso_tui.db import models as m
from incasso_tui.db.database import database
from incasso_tui.db.statuses import SET_HAS_FILES

MARKER = ".incasso-outbox"
_ID_KEY = "outbox.id"
_PATH_KEY = "outbox.path"


class OutboxRefused(Refused):
    pass


def _meta(key: str) -> str | None:
    row = m.AppMeta.get_or_none(m.AppMeta.key == key)
    return row.value if row else None


def _put(key: str, value: str) -> None:
    m.AppMeta.insert(key=key, value=value).on_conflict(
        conflict_target=[m.AppMeta.key], update={m.AppMeta.value: value}
    ).execute()


def _read_marker(directory: Path) -> str | None:
    try:
        return (directory / MARKER).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _claim(directory: Path) -> str:
    """First use: this database takes the directory as its outbox."""
    identity = secrets.token_hex(16)
    try:
        with database.atomic():
            m.AppMeta.insert(key=_ID_KEY, value=identity).execute()
            _put(_PATH_KEY, str(directory))
    except pw.IntegrityError:  # another host claimed it at the same moment
        return _meta(_ID_KEY) or identity
    write_atomic(directory / MARKER, identity.encode("ascii") + b"\n")
    return identity


def _files_written() -> bool:
    return m.CollectionSet.select().where(m.CollectionSet.status.in_(list(SET_HAS_FILES))).exists()


def require_outbox(outbox_dir: str | os.PathLike[str]) -> Path:
    """The configured outbox when it is this database's; else refused with what to do."""
    directory = Path(outbox_dir)
    try:
        make_private_dir(directory)
    except OSError as exc:
        raise OutboxRefused(
            "the outbox {directory} cannot be created or reached ({given}): set [paths] "
            "outbox_dir to a directory this user may write",
            directory=directory,
            given=exc.strerror or exc,
        ) from exc
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutboxRefused("the outbox {directory} is not writable for this user", directory=directory)
    directory = Path(os.path.abspath(directory))
    identity = _meta(_ID_KEY) or _claim(directory)
    marker = _read_marker(directory)
    recorded = _meta(_PATH_KEY) or "?"
    if marker == identity:
        if str(directory) != recorded and not _files_written():
            _put(_PATH_KEY, str(directory))  # moved before anything was written: fine
        elif str(directory) != recorded:  # the sets record their files by absolute path
            raise OutboxRefused(
                "this database's outbox is mounted at {directory} here but its files were written "
                "under {recorded}: mount it at that same path on every host (README, 'Several "
                "hosts')",
                directory=directory,
                recorded=recorded,
            )
        return directory
    if marker is None and not _files_written():
        # Nothing was ever written (or every file is gone with its sets): adopt this one.
        write_atomic(directory / MARKER, identity.encode("ascii") + b"\n")
        _put(_PATH_KEY, str(directory))
        return directory
    why = "holds another database's marker" if marker else f"has no marker file {MARKER} of this database"
    raise OutboxRefused(
        "the outbox {directory} {why}: this database's files are in {recorded}. Set "
        "[paths] outbox_dir to that directory; with several hosts it is one shared "
        "directory, mounted at the same path on every host (README, 'Several hosts') — is "
        "it mounted here?",
        directory=directory,
        why=why,
        recorded=recorded,
    )


def outbox_problem(outbox_dir: str | os.PathLike[str]) -> str | None:
    """Why this host may not use its outbox (None: it may), for a worker's start."""
    try:
        require_outbox(outbox_dir)
    except OutboxRefused as exc:
        return str(exc)
    return None
