"""Counts of the job queue for the status panel."""

from __future__ import annotations

import peewee as pw

from incasso_tui.db import models as m
from incasso_tui.services.auth import Actor


def queue_counts(actor: Actor) -> dict[str, int]:
    """Jobs by status: every job for admins, one's own for others."""
    query = m.Job.select(m.Job.status, pw.fn.COUNT(m.Job.id)).where(
        m.Job.status.in_(["queued", "running", "failed"])
    )
    if not actor.is_admin:
        query = query.where(m.Job.user == actor.user_id)
    return dict(query.group_by(m.Job.status).tuples())
