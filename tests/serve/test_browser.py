"""The app in a real headless browser: Debian's chromium driven by Playwright, through `incasso serve`.

Runs once (SQLite). Skipped only when chromium or Playwright is missing outside CI; under CI=true
(`.ci/run` installs chromium) a missing browser is a failure.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from tests.serve.helpers import PATIENCE, Served, demo_config, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Escape sequences (CSI, OSC, single-character) between the text Textual writes to the terminal.
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def _need_browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    missing = [
        what
        for what, there in (("chromium", os.path.exists(CHROMIUM)), ("playwright", sync_playwright))
        if not there
    ]
    if missing:
        reason = f"{' and '.join(missing)} not installed (apt-get install chromium; pip install playwright)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}: the browser test cannot run")
        pytest.skip(reason)
    return sync_playwright


class Screen:
    """What the terminal in the page received, as text: every frame of the app's WebSocket,
    escape sequences removed (xterm.js draws on a canvas, so the DOM holds no text)."""

    def __init__(self, page) -> None:
        self.chunks: list[str] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        data = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        self.chunks.append(ANSI.sub("", data))

    def since(self, start: int) -> str:
        return "".join(self.chunks[start:])

    def wait_for(self, page, text: str, start: int = 0) -> None:
        deadline = time.monotonic() + PATIENCE
        while text not in self.since(start):
            assert time.monotonic() < deadline, (
                f"{text!r} never shown; the terminal got:\n{self.since(start)}"
            )
            page.wait_for_timeout(200)  # lets Playwright deliver the frames


def _distinct_colours(png: bytes) -> int:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    return len(colours) if colours is not None else 1 << 16


def test_home_and_mandates_in_a_real_browser(tmp_path: Path):
    sync_playwright = _need_browser()
    config = demo_config(tmp_path)
    port = free_port()
    served = Served(tmp_path, config, "--port", str(port))
    try:
        served.wait_for_port(port)
        assert f"http://127.0.0.1:{port}/" in served.output
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            screen = Screen(page)
            page.goto(f"http://127.0.0.1:{port}/")
            # The Home screen: the menu and the mandates-by-status tile (Dutch is the default language).
            screen.wait_for(page, "Machtigingen per status")
            screen.wait_for(page, "Incassosets")

            start = len(screen.chunks)
            page.locator(".xterm-screen").click()  # keys go to the terminal
            page.keyboard.press("m")
            # The mandates list: its column headings, not on the Home screen.
            screen.wait_for(page, "Kenmerk", start)

            png = page.screenshot()
            assert _distinct_colours(png) > 8, "the screenshot is (nearly) blank"
            (tmp_path / "mandates.png").write_bytes(png)  # kept for a human looking at a failure
            # Ctrl+C with a browser still connected: the server stops and takes its app sessions along.
            assert served.leftovers() != [], "a browser session should be running as a child"
            assert served.stop() == 0, served.output
            browser.close()
    finally:
        served.kill_leftovers()
    assert served.leftovers() == []
    assert "Traceback" not in served.output, served.output
