"""The header line of every area screen: product, screen, user and role, database, filter."""

from __future__ import annotations

from textual.widgets import Static

from incasso_tui.i18n import status_label, t
from incasso_tui.services.session import describe_database
from screens.widgets.app_ref import incasso_app


class AppHeader(Static):
    """One line: product, screen, user and role, database, administration filter."""

    def __init__(self, title: str):
        super().__init__(id="app-header")
        self.title = title

    def on_mount(self) -> None:
        self.refresh_text()

    def refresh_text(self) -> None:
        app = incasso_app(self)
        actor = app.actor
        filt = getattr(self.screen, "administration_label", lambda: t("all"))()
        self.update(
            f"[b]incasso[/b] │ {t(self.title)} │ {actor.login} ({status_label('role', actor.role)})"
            f" │ {describe_database(app.session.config.database_url)} │ {t('Administration')}: {filt}"
        )
