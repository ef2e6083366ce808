"""F1: the help text of the current screen and every key that works there."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

from incasso_tui.i18n import t
from screens.widgets.translated_bindings import TranslatedBindings


class HelpScreen(TranslatedBindings, ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help-close")]

    def __init__(self, screen: Screen):
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(self._text())

    def _text(self) -> str:
        # The screen's HELP is English markdown; the catalogue holds it under its stripped text.
        body = t((getattr(self.for_screen, "HELP", "") or "").strip())
        rows = []
        seen = set()
        # A list in its search box lists the keys of its table too (help_bindings).
        bindings = getattr(self.for_screen, "help_bindings", None)
        for active in (bindings() if bindings else self.for_screen.active_bindings).values():
            binding = active.binding
            if not binding.description or (binding.action, binding.description) in seen:
                continue
            seen.add((binding.action, binding.description))
            rows.append(f"| `{self.app.get_key_display(binding)}` | {t(binding.description)} |")
        table = (
            f"\n\n## {t('Keys on this screen')}\n\n| {t('Key')} | {t('Action')} |\n|---|---|\n"
            + "\n".join(rows)
        )
        return body.strip() + table
