"""Writing a rendered PDF to disk so a half-written file never appears under its final name."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_pdf(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write data atomically: temp file in the target directory, fsync, os.replace.

    Render first, then call this: if rendering raises, nothing is written at all; if writing
    fails, the temp file is removed and an existing file at `path` is left untouched.
    """
    if not bytes(data[:5]) == b"%PDF-":
        raise ValueError(f"refusing to write {path}: the data is not a PDF")
    target = Path(path)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, _file_mode(target))
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _fsync_directory(target.parent)
    return target


def _file_mode(target: Path) -> int:
    """Keep an existing file's mode; otherwise what a plain open() would give (0666 - umask)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # os.umask can only be read by changing it, which races with other threads; Linux shows it.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); not possible or needed on Windows."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
