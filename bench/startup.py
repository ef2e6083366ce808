#!/usr/bin/env python3
"""Start-up to the first screen, measured as whole processes.

    python bench/startup.py [--runs 7]

Creates a demo database in a temporary directory, then runs `incasso --demo --headless`
(start, show the home screen with its figures, quit) RUNS times, after one warm-up,
and reports the median wall time of the whole process and the in-process time to the
first screen. In the same run it times the import floor that ../shared/bench uses
(`import textual.app, peewee, lxml.etree, fpdf`) and `python -c pass`, so the figures
can be read as ratios on this shared, noisy machine. Target: median <= 0.6 s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time


def timed(cmd: list[str], env: dict) -> tuple[float, str, float]:
    launched = time.time()
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - start, result.stdout, launched


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "XDG_DATA_HOME": f"{tmp}/data",
            "XDG_STATE_HOME": f"{tmp}/state",
            "XDG_CONFIG_HOME": f"{tmp}/cfg",
            "TEXTUAL_ANIMATIONS": "none",
        }
        env.pop("INCASSO_CONFIG", None)
        app = [sys.executable, "-m", "incasso_tui", "--demo", "--headless"]
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "import floor (textual.app, peewee, lxml, fpdf)": [
                sys.executable,
                "-c",
                "import textual.app, peewee, lxml.etree, fpdf",
            ],
            "incasso --headless (whole process)": app,
        }
        timed(app, env)  # creates the demo database, warms the page cache
        for cmd in commands.values():
            timed(cmd, env)
        walls: dict[str, list[float]] = {k: [] for k in commands}
        first: list[float] = []
        for _ in range(args.runs):  # interleaved, so noise spreads over all commands
            for name, cmd in commands.items():
                wall, out, launched = timed(cmd, env)
                walls[name].append(wall)
                match = re.search(r"at epoch ([0-9.]+)", out)
                if match:  # from launching the process to the home screen with its figures
                    first.append(float(match.group(1)) - launched)
    floor = statistics.median(walls["import floor (textual.app, peewee, lxml, fpdf)"])
    print(f"| measurement (median of {args.runs}) | seconds | vs import floor |")
    print("| --- | --- | --- |")
    for name, values in walls.items():
        med = statistics.median(values)
        print(f"| {name} | {med:.3f} | {med / floor:.2f}x |")
    med_first = statistics.median(first)
    print(
        f"| incasso: launch to first screen shown (the target) | {med_first:.3f} | {med_first / floor:.2f}x |"
    )
    return 0 if med_first <= 0.6 else 1


if __name__ == "__main__":
    sys.exit(main())
