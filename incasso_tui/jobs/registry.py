"""Which function runs a job of a given kind.

Handlers live with their capability (e.g. set processing) and are found by module
name, so the queue does not import every capability at start-up.
"""

from __future__ import annotations

import importlib
import re
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

# kind -> English label (the queue shows it translated)
KIND_LABELS: dict[str, str] = {
    "process_set": "Process set",
    "mandate_forms": "Mandate forms",
    "prenotify_email": "Pre-notification e-mails",
    "sleep": "Test job",
}

# The progress messages (phases) handlers report, as English templates; the stored message is
# the filled-in text, matched back to its template to be shown translated.
PHASES: tuple[str, ...] = (
    "planning",
    "writing file",
    "files written",
    "step {step} of {steps}",
    "{total} e-mails to send",
    "{sent} of {total} e-mails sent",
)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>\\d+)" for i, part in enumerate(parts))
    return re.compile(f"^{regex}$")


_PHASE_PATTERNS = [(template, _pattern(template)) for template in PHASES]


def phase(message: str) -> tuple[str, dict[str, str]]:
    """The template and values of a stored progress message (the message itself, no values,
    when it is not one of PHASES)."""
    for template, pattern in _PHASE_PATTERNS:
        found = pattern.match(message)
        if found:
            return template, found.groupdict()
    return message, {}


def handler_for(kind: str) -> Handler:
    target = HANDLERS.get(kind)
    if target is None:
        raise LookupError(f"no handler for job kind {kind!r}")
    module, _, name = target.partition(":")
    handler: Handler = getattr(importlib.import_module(module), name)
    return handler
