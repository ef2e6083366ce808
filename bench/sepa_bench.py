#!/usr/bin/env python3
"""Benchmark: incasso-tui's pain.008 writer against the reference producers.

Usage (from the repository root):

    /work/venv/bin/python bench/sepa_bench.py                      # 1k 10k 100k 1M, 3 runs
    /work/venv/bin/python bench/sepa_bench.py --sizes 1000 10000 --runs 1   # quick
    /work/venv/bin/python bench/sepa_bench.py --kit ../shared/bench --work /tmp/sepa-bench

For each N it makes the orders database with the kit's gen_data.py (so every
producer reads the same rows) and runs, as whole processes under
``/usr/bin/time -v``, interleaved (run 1 of every producer, then run 2, ...):

  ours       bench/sepa_producer.py: write_pain008 with streaming XSD validation,
             fsync and atomic rename (what the app does)
  limit_val  <kit>/limit_lxml.py --mode stream --validate   (the reference)
  peer       <kit>/peer_sepaxml.py, python-sepaxml's default export (validates
             with xmlschema); only up to --peer-max (default 100k): it is slow

It reports the median wall time, µs per transaction and max RSS of each, and
the ratios ours ÷ limit_val and peer ÷ ours, as a markdown table.  After the
runs of a size it checks every output with the kit's validate.py (XSD) and
compare.py (each output against the database: same EndToEndIds, amounts, IBANs,
BICs, mandates, dates, sequence types, totals), then ours against limit_val,
where only name and remittance text may differ: we transliterate to the SEPA
character set, the reference keeps unidecode's output ('&', '@', '_', ...).

Targets (2-core machine): ours ≤ 1.5 × limit_val at 100k and 1M; peer ≥ 10 ×
ours at 100k; ours ≤ 60 MB max RSS at 1M and not growing with N.

The machine is shared and noisy: compare the ratios of one run, not seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import measure

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_KIT = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench"))


def producers(kit: str) -> dict[str, list[str]]:
    return {
        "ours": [os.path.join(HERE, "sepa_producer.py")],
        "limit_val": [os.path.join(kit, "limit_lxml.py"), "--mode", "stream", "--validate"],
        "peer": [os.path.join(kit, "peer_sepaxml.py")],
    }


def bench_size(n: int, labels: list[str], cmds: dict, args) -> dict[str, list]:
    db = os.path.join(args.work, f"orders-{n}.sqlite")
    if not os.path.exists(db):
        print(f"== N={n}: generating data", file=sys.stderr)
        subprocess.run([args.python, os.path.join(args.kit, "gen_data.py"), str(n), db], check=True)
    results: dict[str, list] = {label: [] for label in labels}
    for run in range(1, args.runs + 1):
        for label in labels:
            out = os.path.join(args.work, "out", str(n), label)
            shutil.rmtree(out, ignore_errors=True)
            wall, rss = measure([args.python] + cmds[label] + [db, out], args.work)
            results[label].append((wall, rss))
            print(f"  n={n:<8} {label:<10} run {run}  {wall:7.3f} s  {rss / 1024:6.1f} MB", file=sys.stderr)
    if not args.no_check:
        dirs = [os.path.join(args.work, "out", str(n), label) for label in labels]
        check = subprocess.run(
            [args.python, os.path.join(args.kit, "validate.py"), "--tool", "lxml-stream", *dirs],
            capture_output=True,
            text=True,
        )
        print(check.stdout.strip(), file=sys.stderr)
        if check.returncode:
            sys.exit(f"XSD check failed at N={n}")
        # every output against the database on its own: any mismatch here is real
        for d in dirs:
            cmp = subprocess.run(
                [args.python, os.path.join(args.kit, "compare.py"), "--db", db, d],
                capture_output=True,
                text=True,
            )
            print(cmp.stdout.splitlines()[0] if cmp.stdout else cmp.stderr, file=sys.stderr)
            if cmp.returncode:
                sys.exit(f"compare.py found differences at N={n}:\n{cmp.stdout}")
        # ours against the reference: only name and remittance text may differ (we
        # transliterate to the SEPA set; they keep unidecode's output, & @ _ ! and all)
        cmp = subprocess.run(
            [args.python, os.path.join(args.kit, "compare.py"), "--db", db, dirs[1], dirs[0]],
            capture_output=True,
            text=True,
        )
        other = [
            x
            for x in cmp.stdout.splitlines()
            if "vs " in x and not ("name differs" in x or "ustrd differs" in x)
        ]
        if other:
            sys.exit(f"ours and limit_val differ beyond text cleaning at N={n}:\n" + "\n".join(other))
        print(
            "ours vs limit_val: same transactions; text differs by design: "
            + "; ".join(x.strip().split(", e.g.")[0] for x in cmp.stdout.splitlines() if "differs" in x),
            file=sys.stderr,
        )
    return results


def table(all_results: dict[int, dict[str, list]], runs: int) -> str:
    rows = [
        "| N | producer | wall s (median) | min–max | µs/tx | max RSS MB | ours ÷ limit_val | peer ÷ ours |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for n, res in sorted(all_results.items()):
        med = {label: statistics.median(w for w, _ in runs_) for label, runs_ in res.items()}
        for label, runs_ in res.items():
            walls = [w for w, _ in runs_]
            rss = statistics.median(r for _, r in runs_) / 1024
            ratio_limit = ratio_peer = ""
            if label == "ours" and "limit_val" in med:
                ratio_limit = "**%.2f×**" % (med["ours"] / med["limit_val"])
            if label == "peer" and "ours" in med:
                ratio_peer = "**%.1f×**" % (med["peer"] / med["ours"])
            rows.append(
                f"| {n:,} | {label} | {med[label]:.3f} | {min(walls):.3f}–"
                f"{max(walls):.3f} | {med[label] / n * 1e6:.1f} | {rss:.1f} | "
                f"{ratio_limit} | {ratio_peer} |"
            )
    return "\n".join(rows) + f"\n\n(median of {runs} interleaved runs per cell)"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 1000000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--peer-max", type=int, default=100000, help="largest N for python-sepaxml (default 100000)"
    )
    ap.add_argument("--kit", default=DEFAULT_KIT, help="the reference kit (../shared/bench)")
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "incasso-sepa-bench"))
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--no-check", action="store_true", help="skip validate.py/compare.py")
    args = ap.parse_args(argv)
    os.makedirs(args.work, exist_ok=True)
    cmds = producers(args.kit)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}", file=sys.stderr)
    all_results = {}
    for n in args.sizes:
        labels = ["ours", "limit_val"] + (["peer"] if n <= args.peer_max else [])
        all_results[n] = bench_size(n, labels, cmds, args)
    print(table(all_results, args.runs))


if __name__ == "__main__":
    main()
