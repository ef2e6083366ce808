"""Cycling a filter through its values with one key, and the administration filter the
whole app shares (remembered in the state file)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from screens.widgets.header import AppHeader

if TYPE_CHECKING:
    from screens.list_screen import ListScreen

    _Base = ListScreen
else:
    _Base = object


def cycle(values: Sequence[Any], current: Any) -> Any:
    """The next value after `current`; None (no filter) comes first."""
    options = [None, *values]
    try:
        return options[(options.index(current) + 1) % len(options)]
    except ValueError:
        return None


class AdministrationFilterMixin(_Base):
    """For list screens: `a` cycles the app-wide administration filter."""

    administrations: list = []

    def load_administrations(self) -> None:
        from incasso_tui.services.organisation import list_administrations

        self.run_service(
            list_administrations, self.incasso.actor, then=self._set_administrations, group="administrations"
        )

    def _set_administrations(self, rows: list) -> None:
        self.administrations = rows
        if self.incasso.administration_filter not in {r.id for r in rows}:
            self.incasso.administration_filter = None
        self.query_one(AppHeader).refresh_text()

    def administration_label(self) -> str:
        from incasso_tui.i18n import t

        current = self.incasso.administration_filter
        return next((r.code for r in self.administrations if r.id == current), t("all"))

    def clear_administration(self) -> None:
        """Part of a screen's "clear filters": the shared filter goes too (and is remembered)."""
        self.incasso.administration_filter = None
        self.incasso.remember(administration_filter=None)
        self.query_one(AppHeader).refresh_text()

    def action_cycle_administration(self) -> None:
        new = cycle([r.id for r in self.administrations], self.incasso.administration_filter)
        self.incasso.administration_filter = new
        self.incasso.remember(administration_filter=new)
        self.query_one(AppHeader).refresh_text()
        self.reload()
