"""Writing a file so that a half-written one never appears under its final name.

Every file the app writes (pain.008 files, PDFs, the state file, copies for the bank) goes
through `atomic_write`: a temporary file beside the target, fsync, a rename, and an fsync of
the directory so that the rename itself survives a crash. On any error the temporary file is
removed and an existing file at the target is left untouched.

The files the app writes hold personal data (every debtor's IBAN), so they are created for
their owner only: files 0600, directories 0700, or 0640/0750 when the configuration allows
the owner's group (`[files] group_readable`). `private_mode` and `dir_mode` are the one place
these modes come from; `make_private_dir` creates directories with them.
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

# Set once from the configuration (config.load); owner-only until then.
_group_readable = False


def set_group_readable(value: bool) -> None:
    """Apply the configuration's `[files] group_readable` to every file written afterwards."""
    global _group_readable
    _group_readable = bool(value)


def private_mode() -> int:
    """The mode of a file the app creates: 0600, or 0640 when the group may read."""
    return 0o640 if _group_readable else 0o600


def dir_mode() -> int:
    """The mode of a directory the app creates: 0700, or 0750 when the group may read."""
    return 0o750 if _group_readable else 0o700


def narrowed_mode(target: StrPath) -> int:
    """An existing file keeps its mode, but never more than `private_mode()` (a file written
    before modes were private loses its world bits); a new file gets `private_mode()`."""
    try:
        return os.stat(target).st_mode & 0o777 & private_mode()
    except FileNotFoundError:
        return private_mode()


def make_private_dir(path: StrPath) -> Path:
    """Create `path` and any missing parents with `dir_mode()` (the umask does not widen or
    narrow it). Directories that already exist are left as they are."""
    directory = Path(path)
    missing: list[Path] = []
    probe = directory
    while not probe.is_dir():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    mode = dir_mode()
    for item in reversed(missing):
        try:
            os.mkdir(item, mode)
        except FileExistsError:
            if not item.is_dir():
                raise
            continue  # another process made it meanwhile; its mode is its own
        os.chmod(item, mode)
    return directory


def open_private_append(path: StrPath) -> int:
    """An fd for appending to `path` (a log), created with `private_mode()`; an existing file
    is narrowed to at most that mode."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, private_mode())
    try:
        current = os.fstat(fd).st_mode & 0o777
        if current & ~private_mode():
            os.fchmod(fd, current & private_mode())
    except BaseException:
        os.close(fd)
        raise
    return fd


def ensure_private_file(path: StrPath) -> bool:
    """Create an empty `path` with `private_mode()` unless it exists (for a file another
    library then opens, such as an SQLite database). True when it was created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, private_mode())
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, private_mode())  # exact, whatever the umask
    finally:
        os.close(fd)
    return True


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
    fsynced (unless the caller did, `fsync=False`), given `file_mode` (else `private_mode()`)
    and renamed to `path`. Without `overwrite` a file that appeared meanwhile is never replaced."""
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    fd, temp_path = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=suffix, dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield Staged(handle, temp_path)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        mode = private_mode() if file_mode is None else file_mode
        if mode != 0o600:  # mkstemp created it 0600
            os.chmod(temp_path, mode)
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
