"""Starting the terminal application: the same session checks as every command, then the App.

On a database that has no schema yet (first run) the schema is created and the
invoking user becomes its admin; `--demo` also fills an empty database.
"""

from __future__ import annotations

import argparse
import time

from incasso_tui.core import config as config_mod
from incasso_tui.services import auth, setup
from incasso_tui.services.session import Session, open_database, require_current_schema


def run_tui(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    cfg = config_mod.load(args.config)
    database = open_database(cfg, pooled=True)
    if setup.needs_setup(database, args.demo):
        # A --user the configuration does not honour is refused before anything is created.
        login = setup.init_login(args.user, cfg.allow_user_flag, refuse_ignored=True)
        setup.initialise(database, login, demo=args.demo)
    require_current_schema(database)
    actor = auth.resolve_actor(args.user, cfg.allow_user_flag)
    _daily_mandate_check()
    session = Session(cfg, database, actor)

    # Bindings are translated when their screen's module is imported: language first.
    from incasso_tui.core.state import read_state
    from incasso_tui.i18n import set_language

    set_language(read_state(cfg.state_file).get("language", cfg.language))
    from incasso_tui.app import IncassoApp  # Textual is imported only when the TUI starts

    app = IncassoApp(session, started=started)
    if args.headless:
        return app.run_headless_smoke()
    app.run(mouse=cfg.mouse and not args.no_mouse)
    return app.return_code or 0


def _daily_mandate_check() -> None:
    """Statuses that changed because a day passed (expired, ended, active), when the check has
    not run today (cron runs `incasso mandates check`; this covers installations without it).
    It runs as the system (audited as user "system"), whoever started the app: a support user
    starting the TUI still gets the day's statuses. Selects only the mandates that can change,
    so it costs milliseconds."""
    from incasso_tui.services.mandates.daily_check import run_daily_check

    run_daily_check(actor=None)
