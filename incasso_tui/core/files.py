"""Writing a file so that a half-written one never appears under its final name.

Every file the app writes (pain.008 files, PDFs, the state file, copies for the bank) goes
through `atomic_write`: a temporary file beside the target, fsync, a rename, and an fsync of
the directory so that the rename itself survives a crash. On any error the temporary file is
removed and an existing file at the target is left untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

StrPath = str | os.PathLike[str]


@dataclass
class Staged:
    """The open temporary file, and its path (to validate it before it gets its name)."""

    file: BinaryIO
    temp_path: str


@contextlib.contextmanager
def atomic_write(
    path: StrPath,
    *,
    overwrite: bool = True,
    fsync: bool = True,
    file_mode: int | None = None,
    suffix: str = ".tmp",
) -> Iterator[Staged]:
    """Yield a temporary file beside `path`; when the block ends without an error it is
    fsynced (unless the caller did, `fsync=False`), given `file_mode` (else mkstemp's 0600) and
    renamed to `path`. Without `overwrite` a file that appeared meanwhile is never replaced."""
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    fd, temp_path = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=suffix, dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield Staged(handle, temp_path)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        if file_mode is not None:
            os.chmod(temp_path, file_mode)
        if overwrite:
            os.replace(temp_path, target)
        else:
            os.link(temp_path, target)  # fails instead of replacing a file that appeared meanwhile
            os.unlink(temp_path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_path)
        raise
    fsync_dir(directory)


def write_atomic(path: StrPath, data: bytes, *, file_mode: int | None = None) -> Path:
    with atomic_write(path, file_mode=file_mode) as staged:
        staged.file.write(data)
    return Path(path)


def fsync_dir(directory: StrPath) -> None:
    """Make a rename in `directory` durable (POSIX); silently skipped where not supported."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def mode_like_open(target: StrPath) -> int:
    """Keep an existing file's mode; otherwise what a plain open() would give (0666 - umask)."""
    try:
        return os.stat(target).st_mode & 0o777
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
