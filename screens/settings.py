"""Settings the user changes in the app: theme and language (kept in the state file)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Select, Static

from incasso_tui.app import AREAS, IncassoApp
from incasso_tui.i18n import LANGUAGES, language, set_language, t
from incasso_tui.services.session import redact_database_url
from screens.base import AreaScreen

THEMES = [
    "textual-dark",
    "textual-light",
    "nord",
    "gruvbox",
    "tokyo-night",
    "solarized-light",
    "textual-ansi",
]


class SettingsScreen(AreaScreen):
    AREA = "settings"
    TITLE = "Settings"
    HELP = """
# Settings

Theme and interface language (Nederlands, English, Deutsch). Your choices are kept
in the state file, never in config.toml. A new language applies at once to every screen.
"""

    def compose_body(self) -> ComposeResult:
        cfg = self.incasso.session.config
        themes = [name for name in THEMES if name in self.app.available_themes]
        with Horizontal(classes="setting"):
            yield Label(t("Theme"), classes="setting-label")
            yield Select(
                [(name, name) for name in themes], value=self.app.theme, allow_blank=False, id="theme"
            )
        with Horizontal(classes="setting"):
            yield Label(t("Interface language"), classes="setting-label")
            yield Select(
                [(name, code) for code, name in LANGUAGES.items()],
                value=self.incasso.state.get("language", language()),
                allow_blank=False,
                id="language",
            )
        yield Static(
            f"{t('Configuration file')}: {cfg.path or t('none (defaults)')}\n"
            f"{t('Database')}: {redact_database_url(cfg.database_url)}\n"
            f"{t('Outbox')}: {cfg.outbox_dir}\n"
            f"{t('Saved in {path}', path=cfg.state_file)}\n\n"
            f"{t('Changes are kept in the state file; config.toml is never rewritten.')}",
            id="settings-info",
        )

    def on_mount(self) -> None:
        self.incasso.mark_first_screen()

    @on(Select.Changed, "#theme")
    def _theme(self, event: Select.Changed) -> None:
        if event.value != Select.NULL and event.value != self.app.theme:
            self.app.theme = str(event.value)  # the App remembers it (watch_theme)

    @on(Select.Changed, "#language")
    def _language(self, event: Select.Changed) -> None:
        if event.value != Select.NULL and event.value != language():
            self.incasso.remember(language=str(event.value))
            set_language(str(event.value))
            # The App's own queue rebuilds the screens: this one is among those it replaces.
            self.app.call_later(rebuild_screens, self.incasso)


async def rebuild_screens(app: IncassoApp) -> None:
    """Apply a new language at once: every area screen on the stack (Home, a list under
    Settings) and Settings itself are made anew, so titles, labels, table headers and the
    footer's keys speak it. A detail screen under Settings is closed (reopen it from its list)."""
    areas = [area for screen in app.screen_stack[1:-1] if (area := getattr(screen, "AREA", "")) in AREAS]
    while len(app.screen_stack) > 1:
        await app.pop_screen()
    for area in [*areas, "settings"]:
        await app.push_screen(app.make_screen(area))
    app.screen.query_one("#language", Select).focus()
    app.notify(t("Language: {name}", name=LANGUAGES[language()]))
