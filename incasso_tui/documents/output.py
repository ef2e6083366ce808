"""Writing a rendered PDF to disk so a half-written file never appears under its final name."""

from __future__ import annotations

import os
from pathlib import Path

from incasso_tui.core.files import narrowed_mode, write_atomic


def write_pdf(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write data atomically (core.files). Render first, then call this: if rendering raises,
    nothing is written at all; if writing fails, an existing file at `path` is left untouched.
    A new PDF is private to its owner (core.files.private_mode: 0600, or 0640 when the group
    may read); a replaced one keeps its mode without the bits beyond that."""
    if not bytes(data[:5]) == b"%PDF-":
        raise ValueError(f"refusing to write {path}: the data is not a PDF")
    return write_atomic(path, data, file_mode=narrowed_mode(path))
