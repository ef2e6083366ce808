"""The header line of every area screen: product, screen, user and role, database, filter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from incasso_tui.i18n import status_label, t

if TYPE_CHECKING:
    from incasso_tui.app import IncassoApp


class AppHeader(Static):
    """One line: product, screen, user and role, database, administration filter."""

    def __init__(self, title: str):
        super().__init__(id="app-header")
        self.title = title

    def on_mount(self) -> None:
        self.refresh_text()

    def refresh_text(self) -> None:
        app: IncassoApp = self.app  # type: ignore[assignment]
        from incasso_tui.db.database import describe

        actor = app.actor
        filt = getattr(self.screen, "administration_label", lambda: t("all"))()
        self.update(
            f"[b]incasso[/b] │ {t(self.title)} │ {actor.login} ({status_label('role', actor.role)})"
            f" │ {describe(app.session.config.database_url)} │ {t('Administration')}: {filt}"
        )
