"""What the benchmarks share: one whole process measured under /usr/bin/time -v."""

from __future__ import annotations

import os
import subprocess
import sys
import time


def measure(cmd: list[str], work: str, env: dict | None = None) -> tuple[float, int]:
    """(wall seconds, max RSS KB) of one whole process; exits with its stderr if it fails."""
    timing = os.path.join(work, "time.txt")
    t0 = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-v", "-o", timing, *cmd],
        capture_output=True,
        text=True,
        env=env,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"FAILED ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    rss = 0
    with open(timing) as f:
        for line in f:
            if "Maximum resident set size" in line:
                rss = int(line.rsplit(":", 1)[1])
    return wall, rss
