"""The footer, rebuilt once per refresh however often the bindings change before it.

Textual's Footer recomposes on every `bindings_updated` signal, and opening a screen
sends several (mount, focus, first page, row-dependent actions): each rebuild styles a
dozen FooterKey widgets again. Coalescing them took ~0.25 s off opening a list screen
(bench/mandates_screen.py) and keeps cursor moves cheap on screens whose keys depend on
the selected row.

The screen's usable keys come first, then its greyed-out ones, then the app's. Below NARROW
columns the footer is compact, leaves out the area keys (F2–F6 and Home's letters, listed on Home
and in F1 help) and the palette key (^p still works), and shows keys only as long as they fit,
with Help (F1 lists every key) and Quit always: nothing is cut off at the right at 80 columns.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NARROW = 120  # columns


class AppFooter(Footer):
    _rebuild_pending = False
    _narrow: bool | None = None

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

    def on_resize(self, event: Resize) -> None:
        if (self.app.size.width < NARROW) != self._narrow and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    def compose(self) -> ComposeResult:
        narrow = self._narrow = self.app.size.width < NARROW
        self.set_reactive(Footer.compact, narrow)
        self.set_class(narrow, "-compact")
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        shown = [
            (node is self.app, binding, enabled, tooltip)
            for (node, binding, enabled, tooltip) in active.values()
            if binding.show and not (narrow and binding.action.startswith(("open(", "app.open(")))
        ]
        # Stable: the screen's usable keys, its greyed-out ones, then the app's.
        shown.sort(key=lambda found: (found[0], not found[2]))
        chosen: dict[str, tuple[Binding, bool, str]] = {}
        for _of_app, binding, enabled, tooltip in shown:
            chosen.setdefault(binding.action, (binding, enabled, tooltip))  # one key per action
        palette = None if narrow else active.get(self.app.COMMAND_PALETTE_BINDING)
        # The keys in their declared order as long as they fit, Help (it lists them all) and
        # Quit always; a key that does not fit is left out, not cut in half at the right.
        room = self.app.size.width - (self._width(palette[1]) + 2 if palette else 0)
        always = [found for found in chosen.values() if found[0].action in self.ALWAYS]
        room -= sum(self._width(found[0]) for found in always)
        kept: list[tuple[Binding, bool, str]] = []
        for found in chosen.values():
            # Wide: every key (a footer that overflows scrolls); narrow: only the ones that fit.
            if found not in always and (not narrow or self._width(found[0]) <= room):
                kept.append(found)
                room -= self._width(found[0])
        for binding, enabled, tooltip in kept + always:
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        if palette is not None and self.show_command_palette:
            _node, binding, enabled, tooltip = palette
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )

    ALWAYS = ("help", "quit")

    def _width(self, binding: Binding) -> int:
        """A FooterKey's cells: compact is key, space, description and a margin of one; the
        wide style pads the key on both sides and the description on the right."""
        return (
            cell_len(self.app.get_key_display(binding))
            + cell_len(binding.description)
            + (2 if self.compact else 3)
        )
