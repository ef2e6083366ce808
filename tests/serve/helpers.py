"""Starting `incasso serve` as a user would: a real process on a free port, stopped with Ctrl+C."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

PATIENCE = 60  # seconds a step may take on a loaded machine before the test gives up (not a timing check)


def demo_config(tmp_path: Path) -> Path:
    """A SQLite demo database whose admin is the real uid's login: served sessions run as that login."""
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "incasso.sqlite3"}"\n', encoding="utf-8")
    result = incasso(config, "init", "--demo")
    assert result.returncode == 0, result.stderr
    return config


def incasso(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """`incasso serve …` in its own session (so its children can be found), output in files."""

    def __init__(self, tmp_path: Path, config: Path, *args: str) -> None:
        self.out_path, self.err_path = tmp_path / "serve.out", tmp_path / "serve.err"
        with self.out_path.open("wb") as out, self.err_path.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "incasso_tui", "--config", str(config), "serve", *args],
                stdout=out,
                stderr=err,
                start_new_session=True,
            )

    @property
    def output(self) -> str:
        return self.out_path.read_text() + self.err_path.read_text()

    def wait_for_port(self, port: int) -> None:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"serve exited early:\n{self.output}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"serve never answered on port {port}:\n{self.output}")

    def wait_for_output(self, text: str) -> None:
        deadline = time.monotonic() + PATIENCE
        while text not in self.output:
            assert time.monotonic() < deadline, f"{text!r} never printed:\n{self.output}"
            time.sleep(0.2)

    def stop(self) -> int:
        """Ctrl+C, as a user stops it; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=PATIENCE)
        finally:
            self.kill_leftovers()

    def leftovers(self) -> list[int]:
        """Processes still in the server's session (its app children); Linux's /proc."""
        sid = self.process.pid
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rpartition(")")[2].split()
            # fields after the name: state, ppid, pgrp, session, …; zombies are gone in effect
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(entry.name))
        return found

    def kill_leftovers(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for pid in self.leftovers():
            with contextlib.suppress(ProcessLookupError):  # ended meanwhile
                os.kill(pid, signal.SIGKILL)
