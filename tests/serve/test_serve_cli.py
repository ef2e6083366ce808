"""`incasso serve` as a user starts it: what it prints, what it refuses, whom it lets in.

A real process on a free port (SQLite only: nothing here depends on the back-end)."""

from __future__ import annotations

import http.client
import socket
from pathlib import Path

import pytest

from tests.serve.helpers import Served, demo_config, free_port, incasso


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return demo_config(tmp_path)


def test_localhost_by_default_and_the_network_only_with_a_warning(tmp_path: Path, config: Path):
    port = free_port()
    served = Served(tmp_path, config, "--port", str(port))
    try:
        served.wait_for_port(port)
        served.wait_for_output("Ctrl+C")
        assert f"http://127.0.0.1:{port}/" in served.output
        assert "runs as the login of the process owner" in served.output
        assert "WARNING" not in served.output
        assert served.stop() == 0
        assert "stopped" in served.output and "Traceback" not in served.output
    finally:
        served.kill_leftovers()

    port = free_port()
    served = Served(tmp_path, config, "--host", "0.0.0.0", "--port", str(port))
    try:
        served.wait_for_output("WARNING")
        served.wait_for_port(port)
        warning = served.err_path.read_text()
        assert "reachable from the network WITHOUT a login of its own" in warning
        assert "runs as the login of the process owner" in warning
        assert served.stop() == 0
    finally:
        served.kill_leftovers()


def test_a_port_in_use_is_one_line(config: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = incasso(config, "serve", "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.strip() == f"incasso: cannot listen on 127.0.0.1 port {port}: Address already in use"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "no-such-host.invalid"], "--host no-such-host.invalid: not an address of this machine"),
        (["--port", "0"], "port 0: must be 1 to 65535"),
        (["--port", "65536"], "port 65536: must be 1 to 65535"),
    ],
)
def test_bad_host_or_port_is_one_line(config: Path, args: list[str], message: str):
    result = incasso(config, "serve", *args)
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_no_user_flag_sessions_run_as_the_owner(tmp_path: Path):
    config = demo_config(tmp_path)
    config.write_text(config.read_text() + "\n[auth]\nallow_user_flag = true\n", encoding="utf-8")
    result = incasso(config, "--user", "anna", "serve", "--port", str(free_port()))
    assert result.returncode == 2
    assert "serve does not take --user" in result.stderr


def _get(port: int, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_only_its_own_page_may_open_the_app(tmp_path: Path, config: Path):
    """A web page elsewhere may open a WebSocket to localhost, and DNS rebinding gives
    127.0.0.1 another name: neither may drive the app as the process owner."""
    port = free_port()
    served = Served(tmp_path, config, "--port", str(port))
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13"}
    upgrade["Sec-WebSocket-Key"] = "dGhlIHNhbXBsZSBub25jZQ=="
    here = f"127.0.0.1:{port}"
    try:
        served.wait_for_port(port)
        assert _get(port, "/", {"Host": here}) == 200
        assert _get(port, "/", {"Host": f"localhost:{port}"}) == 200
        assert _get(port, "/", {"Host": f"evil.example:{port}"}) == 403  # DNS rebinding
        assert _get(port, "/", {"Host": 'x"><script>'}) == 400  # the page embeds the host
        evil_origin = {"Host": here, "Origin": "http://evil.example"}
        assert _get(port, "/ws", {**upgrade, **evil_origin}) == 403
        assert _get(port, "/ws", {**upgrade, "Host": here}) == 403  # no Origin: not a page of ours
        assert _get(port, "/ws", {**upgrade, "Host": here, "Origin": f"http://{here}"}) == 101
        assert served.stop() == 0
    finally:
        served.kill_leftovers()
    assert served.leftovers() == []
