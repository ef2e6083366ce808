"""A job kind used to exercise the queue itself (tests, and a health check of a worker)."""

from __future__ import annotations

import time
from typing import Any

from incasso_tui.jobs.registry import JobContext


def sleep_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Sleeps `seconds` in `steps`, reporting progress and honouring cancellation."""
    steps = int(payload.get("steps", 10))
    pause = float(payload.get("seconds", 1.0)) / max(steps, 1)
    for step in range(steps):
        if ctx.cancelled():
            return {"cancelled": True, "at": step}
        if payload.get("fail_at") == step:
            raise RuntimeError(f"failed on purpose at step {step}")
        time.sleep(pause)
        ctx.progress(step + 1, steps, f"step {step + 1} of {steps}")
    return {"steps": steps}
