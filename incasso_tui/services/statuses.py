"""The statuses and actions as screens and the CLI use them. They are declared once, in
db/statuses.py; this is the door to them from above the services (screens never import db/)."""

from incasso_tui.db.statuses import (
    JobAction,
    JobStatus,
    MandateAction,
    MandateStatus,
    OrderAction,
    OrderStatus,
    Role,
    SetAction,
    SetStatus,
    label,
)

__all__ = [
    "JobAction",
    "JobStatus",
    "MandateAction",
    "MandateStatus",
    "OrderAction",
    "OrderStatus",
    "Role",
    "SetAction",
    "SetStatus",
    "label",
]
