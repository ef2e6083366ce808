"""`incasso worker` and `incasso jobs …`: the queue without a screen."""

from __future__ import annotations

import argparse
import signal
import sys

from incasso_tui.cli import output
from incasso_tui.cli.common import Subparsers, group, json_flag, session
from incasso_tui.core.errors import Refused
from incasso_tui.db.statuses import JobStatus
from incasso_tui.i18n import status_label
from incasso_tui.services import browse


def register(sub: Subparsers) -> None:
    p = sub.add_parser("worker", help="run queued jobs (a server process; stops on Ctrl+C/SIGTERM)")
    p.add_argument("--once", action="store_true", help="stop when the queue is empty")
    p.set_defaults(handler=cmd_worker)

    _, jsub = group(sub, "jobs", "the job queue")
    p = jsub.add_parser("list", help="jobs (yours; everyone's for an admin)")
    p.add_argument("--status", choices=[s.value for s in JobStatus])
    p.add_argument("--limit", type=int, default=output.default_limit(50))
    json_flag(p)
    output.export_flags(p)
    p.set_defaults(handler=cmd_jobs_list)
    for verb, fn in (("cancel", cmd_jobs_cancel), ("retry", cmd_jobs_retry)):
        p = jsub.add_parser(verb, help=f"{verb} a job")
        p.add_argument("job_id", type=int)
        p.set_defaults(handler=fn)


def cmd_worker(args: argparse.Namespace) -> int:
    from incasso_tui.jobs.worker import JobRunner
    from incasso_tui.services import jobs as job_service

    s = session(args)
    job_service.require_may_run_jobs(s.actor)
    from incasso_tui.services.collection.outbox import recover_outbox
    from incasso_tui.services.collection.outbox_identity import outbox_problem

    problem = outbox_problem(s.config.outbox_dir)
    if problem:  # it would write files no other host can send or letter
        raise Refused("worker not started: {problem}", problem=problem)

    runner = JobRunner(on_start=lambda: _report_recovery(recover_outbox(s.config.outbox_dir)))

    def stop(_signum, _frame):
        runner.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def report(event) -> None:
        if event.status != JobStatus.RUNNING:
            print(f"job {event.job_id} ({event.kind}): {event.status} {event.message}", flush=True)

    runner.listener = report
    print(f"worker {runner.name}: waiting for jobs", file=sys.stderr, flush=True)
    ran = runner.run_pending(once=args.once)
    print(f"worker {runner.name}: stopped after {ran} job(s)", file=sys.stderr)
    return 0


def _report_recovery(actions: list[str]) -> None:
    for action in actions:
        print(f"outbox recovery: {action}", file=sys.stderr, flush=True)


def cmd_jobs_list(args: argparse.Namespace) -> int:
    s = session(args)
    if output.export_wanted(args):
        from incasso_tui.services.exports.sources import StatusFilter

        return output.export(args, s.actor, "jobs", StatusFilter(args.status))
    page = browse.list_jobs(s.actor, args.status, 0, args.limit)
    if args.json:
        output.emit_json([r.as_dict() for r in page.rows])
    else:
        output.table(
            ["id", "kind", "status", "progress", "user", "created", "message"],
            [
                (
                    r.id,
                    r.kind,
                    status_label("job", r.status),
                    f"{r.progress / 10:.0f}%",
                    r.user,
                    r.created_at,
                    r.error or r.message,
                )
                for r in page.rows
            ],
        )
    return 0


def cmd_jobs_cancel(args: argparse.Namespace) -> int:
    from incasso_tui.services import jobs as job_service

    s = session(args)
    print(f"job {args.job_id}: {job_service.request_cancel(s.actor, args.job_id)}")
    return 0


def cmd_jobs_retry(args: argparse.Namespace) -> int:
    from incasso_tui.services import jobs as job_service

    s = session(args)
    job_service.retry(s.actor, args.job_id)
    print(f"job {args.job_id}: queued again")
    return 0
