"""Unexpected errors go with their traceback to a log file; the user sees one line.

The log may quote data (names, IBANs), so it is created for its owner only (core.files)."""

from __future__ import annotations

import os
import time
import traceback

from incasso_tui.core import paths
from incasso_tui.core.files import make_private_dir, open_private_append
from incasso_tui.core.terminal_text import escape_terminal


def log_exception(error: BaseException, context: str = "unexpected error") -> str:
    """Append the traceback to the log file; return where it went."""
    log = paths.state_dir() / "incasso.log"
    try:
        make_private_dir(log.parent)
        with os.fdopen(open_private_append(log), "a", encoding="utf-8") as fh:
            fh.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} ERROR {context}\n")
            # Data quoted in a message must not drive the terminal of whoever reads the log.
            fh.write(escape_terminal("".join(traceback.format_exception(error)), keep="\n"))
        return str(log)
    except OSError:
        return "the log file could not be written"
