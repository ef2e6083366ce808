"""PostgreSQL copies for backup and restore, with the server's own tools: pg_dump (custom
format) and pg_restore piped into psql.

The connection goes to the tools through the libpq environment (PGHOST, PGPASSWORD, …), never
on their command line, where `ps` would show the password to every user of the machine.
Only PATH is searched for the tools: where they are missing, the message says what to install.

A restore runs as one transaction: the tables that are there are dropped and the dump's are
created and filled, or, on any error, nothing changes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from incasso_tui.core.errors import IncassoError

_INSTALL_HINT = (
    "install the PostgreSQL client tools of the server's major version or newer "
    "(Debian/Ubuntu: apt install postgresql-client; macOS: brew install libpq) and put them on PATH"
)


class PgToolError(IncassoError):
    """A PostgreSQL tool is missing or failed."""


def tool(name: str) -> str:
    """The path of `name` (pg_dump, pg_restore, psql) on PATH, or a clear error."""
    found = shutil.which(name)
    if found is None:
        raise PgToolError(f"{name} not found on PATH: {_INSTALL_HINT}")
    return found


def libpq_env(url: str) -> dict[str, str]:
    """The process environment plus the libpq variables for `url` (password included)."""
    parsed = urlparse(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGHOST": parsed.hostname,
        "PGPORT": str(parsed.port) if parsed.port else None,
        "PGUSER": unquote(parsed.username) if parsed.username else None,
        "PGPASSWORD": unquote(parsed.password) if parsed.password else None,
        "PGDATABASE": unquote(parsed.path.lstrip("/")),
        "PGCONNECT_TIMEOUT": "5",
    }
    env.update({k: v for k, v in values.items() if v})
    return env


def _failed(name: str, stderr: bytes | str) -> PgToolError:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR:" in line or "error:" in line]
    said = " / ".join(dict.fromkeys(errors[:1] + lines[-1:])) if lines else "no message"
    return PgToolError(f"{name} failed: {said}")


def dump(url: str, out: Path) -> None:
    """pg_dump the database of `url` into `out` (custom format: compressed, one snapshot)."""
    pg_dump = tool("pg_dump")
    result = subprocess.run(
        [pg_dump, "--format=custom", "--no-password", f"--file={out}"],
        env=libpq_env(url),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise _failed("pg_dump", result.stderr)


def check_dump(path: Path) -> str | None:
    """None when `path` is an archive pg_restore can read, else what pg_restore said."""
    result = subprocess.run(
        [tool("pg_restore"), "--list", str(path)], capture_output=True, check=False, env=dict(os.environ)
    )
    if result.returncode == 0:
        return None
    return str(_failed("pg_restore", result.stderr))


def restore(url: str, dump_path: Path, drop_tables: list[tuple[str, str]], lock_timeout_ms: int) -> None:
    """Replace the database of `url` by the dump: in one transaction, drop `drop_tables`
    ((schema, table): what the target holds now) and run the dump's SQL. The transaction is
    committed only when pg_restore produced the whole script; any error rolls it all back.
    A table another session keeps locked for longer than `lock_timeout_ms` is an error, not
    an endless wait."""
    pg_restore, psql = tool("pg_restore"), tool("psql")
    env = libpq_env(url)
    # Notices (a DROP … IF EXISTS that skips) stay off stderr: unread, they could fill the pipe.
    head = (
        f"SET client_min_messages = warning;\nSET lock_timeout = {max(1, lock_timeout_ms)};\nBEGIN;\n"
        + "".join(f'DROP TABLE IF EXISTS "{s}"."{t}" CASCADE;\n' for s, t in drop_tables)
    )
    script = subprocess.Popen(
        [pg_restore, "--no-owner", "--no-acl", "--file=-", str(dump_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    apply = subprocess.Popen(
        [psql, "--no-psqlrc", "--quiet", "--no-password", "-v", "ON_ERROR_STOP=1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert script.stdout is not None and script.stderr is not None
    assert apply.stdin is not None and apply.stderr is not None
    try:
        apply.stdin.write(head.encode())
        while chunk := script.stdout.read(1 << 20):  # streamed: the dump may outgrow memory
            apply.stdin.write(chunk)
        script_err = script.stderr.read()
        if script.wait() == 0:
            apply.stdin.write(b"COMMIT;\n")
        # Else no COMMIT: psql ends at the end of its input and the server rolls back.
        apply.stdin.close()
    except BrokenPipeError:  # psql stopped at an error (ON_ERROR_STOP): its stderr says which
        script.kill()
        script_err = b""
        script.wait()
    apply_err = apply.stderr.read()
    apply.wait()
    script.stdout.close()
    script.stderr.close()
    apply.stderr.close()
    if apply.returncode != 0:
        raise _failed("psql", apply_err)
    if script.returncode != 0:
        raise _failed("pg_restore", script_err)
