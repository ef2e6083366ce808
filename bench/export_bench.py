#!/usr/bin/env python3
"""Exporting the mandates list to CSV: time and peak memory of the whole command, per size.

    python bench/export_bench.py [--sizes 100000,1000000] [--runs 3] [--dir DIR] [--pg URL]

For each size it builds an SQLite database with that many mandates (bench/mandates_screen.py's
builder; reused from --dir when it is there), then runs `incasso mandate list --csv FILE` as a
whole process `--runs` times and prints the median wall time and the peak resident memory of
that process (its own rusage from wait4). The export streams (a cursor on SQLite, a named
server-side cursor on PostgreSQL), so the memory stays about the same from 100,000 to 1,000,000
rows while the time grows with the rows.

Next to each figure: the reference, a plain Python process that streams the same rows (the
mandates list's columns, in its order) from a bare sqlite3 / psycopg server-side cursor into
csv.writer — no app, no rights, no typing — and the ratio app ÷ reference.

--pg URL: the same on PostgreSQL; the database at URL is emptied and filled with a copy of the
SQLite one (COPY), so use a throwaway database.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from mandates_screen import fill  # noqa: E402  (the shared builder of bench databases)


def sqlite_db(directory: Path, size: int) -> Path:
    """The bench database of `size` mandates, built in a process of its own: a child forked
    from a process that holds the builder's rows would report their memory as its peak."""
    path = directory / f"export-{size}.sqlite3"
    if not path.exists():
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--build", str(path), str(size)], check=True)
        print(f"built {size:,} mandates in {time.perf_counter() - start:.0f} s: {path}", file=sys.stderr)
    return path


def copy_to_pg(source: Path, url: str) -> None:
    """Empty the PostgreSQL database at `url` and copy the SQLite bench database into it."""
    import psycopg

    from incasso_tui.db import database as db
    from incasso_tui.db import migrations

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    migrations.upgrade(db.bind(url))
    db.close()
    lite = sqlite3.connect(source)
    with psycopg.connect(url) as conn:
        for table in ("user", "administration", "debtor", "mandate"):
            cursor = lite.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            types = {
                row[0]: row[1]
                for row in conn.execute(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
                    (table,),
                )
            }
            columns = ", ".join(f'"{n}"' for n in names)
            with conn.cursor().copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in cursor:
                    copy.write_row(
                        [
                            bool(v) if types.get(n) == "boolean" and v is not None else v
                            for n, v in zip(names, row, strict=True)
                        ]
                    )
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"))"
            )
        conn.execute("ANALYZE")
    lite.close()


REFERENCE_SQL = (
    "SELECT COALESCE(m.external_reference, m.reference), d.number, d.name, a.code, m.recurrent, "
    "m.scheme, m.status, m.signed_date, m.effective_date, m.end_date, m.last_collection_date "
    "FROM mandate m JOIN debtor d ON d.id = m.debtor_id JOIN administration a ON a.id = m.administration_id "
    "ORDER BY m.reference_key, m.id"
)


def reference_export(url: str, out: Path) -> None:
    """The reference: the same rows, bare cursor to csv.writer (UTF-8 with BOM, ';')."""
    import csv

    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(
            [
                "reference",
                "number",
                "name",
                "administration",
                "recurrent",
                "scheme",
                "status",
                "signed",
                "effective",
                "end",
                "last_collection",
            ]
        )
        if url.startswith("sqlite:///"):
            writer.writerows(sqlite3.connect(url.removeprefix("sqlite:///")).execute(REFERENCE_SQL))
            return
        import psycopg

        with psycopg.connect(url) as conn, conn.cursor(name="reference") as cursor:
            cursor.itersize = 2000
            cursor.execute(REFERENCE_SQL)
            writer.writerows(cursor)


def measure(command: list[str]) -> tuple[float, int, str]:
    """(seconds, peak RSS in MB, stdout) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stdout, stderr = process.communicate()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[2:]} failed: {stderr.decode()}")
    return elapsed, usage.ru_maxrss // 1024, stdout.decode()


def run_export(config: Path, out: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS in MB, rows) of one `incasso mandate list --csv` process."""
    command = [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", "bench"]
    elapsed, peak, stdout = measure([*command, "mandate", "list", "--csv", str(out)])
    return elapsed, peak, int(stdout.split()[1])  # "Exported N rows to FILE"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="mandate counts, comma separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, help="keep (and reuse) the bench databases here")
    parser.add_argument("--pg", metavar="URL", help="also on this (throwaway) PostgreSQL database")
    parser.add_argument("--build", nargs=2, metavar=("PATH", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--reference", nargs=2, metavar=("URL", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        reference_export(args.reference[0], Path(args.reference[1]))
        return 0
    if args.build:
        fill(Path(args.build[0]), int(args.build[1]))
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ.update(
            XDG_DATA_HOME=f"{tmp}/data", XDG_STATE_HOME=f"{tmp}/state", XDG_CONFIG_HOME=f"{tmp}/cfg"
        )
        directory = args.dir or work
        directory.mkdir(parents=True, exist_ok=True)
        print(
            "| back-end | mandates | rows exported | median time | peak RSS | CSV size "
            "| reference time | reference RSS | ratio |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for size in sizes:
            path = sqlite_db(directory, size)
            targets = [("SQLite", f"sqlite:///{path}")]
            if args.pg:
                copy_to_pg(path, args.pg)
                targets.append(("PostgreSQL", args.pg))
            for name, url in targets:
                config = work / "config.toml"
                config.write_text(f'[database]\nurl = "{url}"\n\n[auth]\nallow_user_flag = true\n')
                out = work / "mandates.csv"
                results, references = [], []
                for _ in range(args.runs):  # interleaved: both see the same machine
                    results.append(run_export(config, out))
                    references.append(
                        measure([sys.executable, __file__, "--reference", url, str(work / "ref.csv")])
                    )
                seconds = statistics.median(r[0] for r in results)
                peak = max(r[1] for r in results)
                ref_seconds = statistics.median(r[0] for r in references)
                ref_peak = max(r[1] for r in references)
                print(
                    f"| {name} | {size:,} | {results[0][2]:,} | {seconds:.2f} s | {peak} MB | "
                    f"{out.stat().st_size / 1e6:.0f} MB | {ref_seconds:.2f} s | {ref_peak} MB | "
                    f"{seconds / ref_seconds:.2f}× |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
