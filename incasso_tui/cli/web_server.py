"""textual-serve's Server, made safe to leave running on a workstation.

A browser lets any web page open a WebSocket to localhost, and DNS rebinding lets a page reach
127.0.0.1 under its own name. Either would drive the app as the process owner. So the terminal's
WebSocket is accepted only from a page this server served (Origin equals Host), and when
listening on loopback only under a loopback name. Textual is not imported here: textual-serve runs
the app as a child process (see serve.py).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from typing import Any

from aiohttp import web
from textual_serve.server import Server

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
HOST_HEADER = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]+)?|\[[0-9A-Fa-f:.]+\](:[0-9]+)?")


class IncassoServer(Server):
    def __init__(self, command: str, *, host: str, port: int, loopback_only: bool) -> None:
        super().__init__(command, host=host, port=port, title="incasso")
        self.loopback_only = loopback_only
        self.sessions: set[asyncio.Task[Any]] = set()

    def initialize_logging(self) -> None:
        # Plain lines on stderr (textual-serve's default is a Rich console with a logo).
        logging.basicConfig(level=logging.WARNING, format="incasso serve: %(message)s", stream=sys.stderr)

    async def on_startup(self, app: web.Application) -> None:
        """serve.py has printed the URL and as whom the sessions run."""

    async def on_shutdown(self, app: web.Application) -> None:
        # Ctrl+C: cancel every browser session's handler; textual-serve then closes its socket,
        # sends the app "quit" and waits for it to end. Left alone, aiohttp would wait for the
        # open sockets until its shutdown timeout.
        for task in list(self.sessions):
            task.cancel()

    def _check_host(self, request: web.Request) -> None:
        # The page embeds the Host it was asked for (unescaped, by textual-serve's template).
        if not HOST_HEADER.fullmatch(request.host):
            raise web.HTTPBadRequest(text="incasso serve: not a host name\n")
        if self.loopback_only and request.url.host not in LOOPBACK_NAMES:
            raise web.HTTPForbidden(text="incasso serve answers only to localhost\n")

    async def handle_index(self, request: web.Request) -> Any:
        self._check_host(request)
        # The page's WebSocket URL follows the address the browser used (an SSH tunnel may
        # use another local port); textual-serve builds it from public_url, without awaiting.
        self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        self._check_host(request)
        origin = request.headers.get("Origin", "")
        if origin.partition("://")[2] != request.host:
            raise web.HTTPForbidden(text="incasso serve: a page of another origin may not open the app\n")
        task = asyncio.current_task()
        assert task is not None
        self.sessions.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions.discard(task)
