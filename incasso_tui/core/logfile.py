"""Unexpected errors go with their traceback to a log file; the user sees one line."""

from __future__ import annotations

import time
import traceback

from incasso_tui.core import paths


def log_exception(error: BaseException, context: str = "unexpected error") -> str:
    """Append the traceback to the log file; return where it went."""
    log = paths.state_dir() / "incasso.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} ERROR {context}\n")
            fh.write("".join(traceback.format_exception(error)))
        return str(log)
    except OSError:
        return "the log file could not be written"
