"""Which function runs a job of a given kind.

Handlers live with their capability (e.g. set processing) and are found by module
name, so the queue does not import every capability at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Protocol


class JobContext(Protocol):
    job_id: int
    user_id: int | None

    def progress(self, done: int, total: int, message: str = "") -> None: ...

    def cancelled(self) -> bool: ...


Handler = Callable[[JobContext, dict[str, Any]], dict[str, Any] | None]

# kind -> "module:function"
HANDLERS: dict[str, str] = {
    "process_set": "incasso_tui.services.collection.processing:run_process_job",
    "mandate_forms": "incasso_tui.services.mandates.forms:run_forms_job",
    "prenotify_email": "incasso_tui.services.prenotification.email_job:run_email_job",
    "sleep": "incasso_tui.jobs.builtin:sleep_job",
}


def handler_for(kind: str) -> Handler:
    target = HANDLERS.get(kind)
    if target is None:
        raise LookupError(f"no handler for job kind {kind!r}")
    module, _, name = target.partition(":")
    handler: Handler = getattr(importlib.import_module(module), name)
    return handler
