"""Template databases for the benchmarks: each size is built once, every run starts from a
fresh copy (SQLite: a file copy; PostgreSQL: CREATE DATABASE ... TEMPLATE)."""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlparse, urlunparse


def with_db(url: str, name: str) -> str:
    """`url` naming database `name` on the same server."""
    return urlunparse(urlparse(url)._replace(path="/" + name))


def pg_admin(url: str, *statements: str) -> None:
    """Run statements on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(with_db(url, "postgres"), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def fresh_copy(backend: str, template: str, run_dir: str, pg_url: str, run_name: str) -> str:
    """A copy of `template` for one run: a file in `run_dir`, or database `run_name`."""
    if backend == "sqlite":
        db_path = os.path.join(run_dir, "incasso.sqlite3")
        shutil.copy(template[len("sqlite:///") :], db_path)
        return "sqlite:///" + db_path
    source = urlparse(template).path.lstrip("/")
    pg_admin(pg_url, f"DROP DATABASE IF EXISTS {run_name}", f"CREATE DATABASE {run_name} TEMPLATE {source}")
    return with_db(pg_url, run_name)
