"""The backup file: one gzip-compressed tar archive holding `manifest.json` first, then the
payload (`database.sqlite3`, or `database.pgdump` from pg_dump).

The manifest says what the payload is (back-end, schema version, app version, when, from
which database) and carries its size and SHA-256, so a restore checks a file completely
before it touches the database. Both members are streamed: the database is never held in
memory. The archive is written under a temporary name and renamed when complete, for its
owner only (core.files): an interrupted backup leaves nothing that looks like a backup.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import time
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from incasso_tui.core import files
from incasso_tui.core.errors import NotFound, Refused

FORMAT = "incasso-tui backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PAYLOADS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
WITH_ARTICLE = {"sqlite": "an SQLite", "postgresql": "a PostgreSQL"}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Manifest:
    backend: str  # sqlite | postgresql
    schema_version: int
    app_version: str
    created_at: str  # ISO 8601, UTC
    source: str  # the database it was taken from, without a password
    size: int  # of the payload, in bytes
    sha256: str  # of the payload
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def payload(self) -> str:
        return PAYLOADS[self.backend]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "payload": self.payload}


class BackupFileError(Refused):
    """The file named is not a backup that can be restored; the message names it and says why."""


def digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file, read in chunks."""
    sha = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return size, sha.hexdigest()


def write(out: Path, manifest: Manifest, payload: Path, *, overwrite: bool) -> None:
    """Write the archive to `out` (atomically; 0600, or 0640 with [files] group_readable)."""
    data = json.dumps(manifest.as_dict(), indent=2).encode()
    now = time.time()
    # Level 1: an SQLite file shrinks to about a third at disk speed; a pg_dump archive is
    # compressed already and gains nothing from more effort.
    with (
        files.atomic_write(out, overwrite=overwrite) as staged,
        tarfile.open(fileobj=staged.file, mode="w:gz", compresslevel=1) as tar,
    ):
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode, info.mtime = len(data), 0o600, int(now)
        tar.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo(manifest.payload)
        info.size, info.mode, info.mtime = manifest.size, 0o600, int(now)
        with open(payload, "rb") as source:
            tar.addfile(info, source)


def _damaged(path: Path, exc: BaseException) -> BackupFileError:
    return BackupFileError(
        "backup file {path} is damaged or incomplete (truncated?): {reason}; take another backup",
        path=path,
        reason=exc,
    )


def _open(path: Path) -> tarfile.TarFile:
    if not path.exists():
        raise NotFound("backup file {path} does not exist", path=path)
    if not path.is_file():
        raise BackupFileError("backup file {path} is not a regular file", path=path)
    try:
        return tarfile.open(path, mode="r|*")  # streaming: members in the order written
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise BackupFileError(
            "{path} is not an incasso-tui backup: not a (compressed) tar archive ({reason})",
            path=path,
            reason=exc,
        ) from None


def read_manifest(path: Path) -> Manifest:
    """The manifest of the backup `path`, checked; a clear error for anything else."""
    tar = _open(path)
    try:
        first = tar.next()
        if first is None or first.name != MANIFEST or not first.isfile() or first.size > 65536:
            raise BackupFileError(
                "{path} is not an incasso-tui backup: it does not start with {MANIFEST}",
                path=path,
                MANIFEST=MANIFEST,
            )
        handle = tar.extractfile(first)
        raw = handle.read() if handle else b""
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise _damaged(path, exc) from None
    finally:
        tar.close()
    return _parse(path, raw)


def _parse(path: Path, raw: bytes) -> Manifest:
    try:
        data = json.loads(raw)
    except ValueError:
        raise BackupFileError("{path}: {MANIFEST} is not valid JSON", path=path, MANIFEST=MANIFEST) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupFileError(
            "{path} is not an incasso-tui backup: {MANIFEST} does not say {FORMAT!r}",
            path=path,
            MANIFEST=MANIFEST,
            FORMAT=FORMAT,
        )
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupFileError(
            "{path}: backup format version {version!r} is newer than this incasso-tui reads "
            "({FORMAT_VERSION}); restore it with the incasso-tui that made it, or a newer one",
            path=path,
            version=version,
            FORMAT_VERSION=FORMAT_VERSION,
        )
    fields = {
        "backend": str,
        "schema_version": int,
        "app_version": str,
        "created_at": str,
        "source": str,
        "size": int,
        "sha256": str,
    }
    for name, kind in fields.items():
        if not isinstance(data.get(name), kind):
            raise BackupFileError(
                "{path}: {MANIFEST} lacks {name!r} (or it is not a {name2})",
                path=path,
                MANIFEST=MANIFEST,
                name=name,
                name2=kind.__name__,
            )
    if data["backend"] not in PAYLOADS:
        raise BackupFileError(
            "{path}: unknown back-end {data!r} in {MANIFEST}",
            path=path,
            data=data["backend"],
            MANIFEST=MANIFEST,
        )
    return Manifest(**{name: data[name] for name in fields}, format_version=version)


def extract_payload(path: Path, manifest: Manifest, dest: IO[bytes]) -> None:
    """Copy the payload of `path` into `dest`, checking its size and SHA-256 against the
    manifest: a damaged or truncated backup is refused, naming the file."""
    tar = _open(path)
    sha = hashlib.sha256()
    size = 0
    try:
        member = tar.next()  # the manifest (read_manifest checked it)
        member = tar.next()
        if member is None or member.name != manifest.payload or not member.isfile():
            raise BackupFileError(
                "backup file {path} lacks its payload {payload} (truncated?)",
                path=path,
                payload=manifest.payload,
            )
        source = tar.extractfile(member)
        assert source is not None  # a regular file member
        while chunk := source.read(_CHUNK):
            sha.update(chunk)
            size += len(chunk)
            try:
                dest.write(chunk)
            except OSError as exc:  # the restore's side (disk full): not the backup's fault
                raise Refused(
                    "cannot write the restored copy {setting}: {given}; nothing was changed",
                    setting=getattr(dest, "name", ""),
                    given=exc.strerror or exc,
                ) from None
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise _damaged(path, exc) from None
    finally:
        tar.close()
    if size != manifest.size or sha.hexdigest() != manifest.sha256:
        raise BackupFileError(
            "backup file {path} is damaged: its payload does not match the checksum in "
            "{MANIFEST} ({size} bytes, sha256 {hexdigest}…; expected {size2} bytes, "
            "{sha256}…)",
            path=path,
            MANIFEST=MANIFEST,
            size=size,
            hexdigest=sha.hexdigest()[:12],
            size2=manifest.size,
            sha256=manifest.sha256[:12],
        )
