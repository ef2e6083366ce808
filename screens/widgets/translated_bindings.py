"""Key descriptions are English in every BINDINGS and translated when shown, so the footer, the
help and the palette speak the language of the moment, not the one active when the module was
first imported (a language change applies to the next screen without a restart)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from incasso_tui.i18n import t

if TYPE_CHECKING:
    from textual.binding import ActiveBinding


def translated(active: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    return {
        key: found._replace(binding=replace(found.binding, description=t(found.binding.description)))
        if found.binding.description
        else found
        for key, found in active.items()
    }


class TranslatedBindings:
    """Mixed into every screen class before Textual's Screen/ModalScreen."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated(super().active_bindings)  # type: ignore[misc]
