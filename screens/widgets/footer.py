"""The footer, rebuilt once per refresh however often the bindings change before it.

Textual's Footer recomposes on every `bindings_updated` signal, and opening a screen
sends several (mount, focus, first page, row-dependent actions): each rebuild styles a
dozen FooterKey widgets again. Coalescing them took ~0.25 s off opening a list screen
(bench/mandates_screen.py) and keeps cursor moves cheap on screens whose keys depend on
the selected row.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class AppFooter(Footer):
    _rebuild_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        await self.recompose()
