"""The running IncassoApp, typed: Textual types `self.app` as `App[Any]`, so the app's own
attributes (actor, session, call_service, job_signal, …) would be untyped without this."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from incasso_tui.app import IncassoApp


def incasso_app(node: DOMNode) -> IncassoApp:
    """The app `node` (a screen or widget) runs in."""
    return cast("IncassoApp", node.app)
