"""What the user changes in the app (theme, language, filters), kept apart from config.toml.

Written with tomli-w to a temp file in the same directory and renamed over the
old one, so a crash never leaves half a file. Like every file the app writes it is private
to its owner (core.files: 0600 in a 0700 directory unless the group may read). A damaged state file is ignored:
losing a remembered filter is better than refusing to start.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from incasso_tui.core.files import make_private_dir, write_atomic


def read_state(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_state(path: Path, values: dict[str, Any]) -> None:
    import tomli_w

    make_private_dir(path.parent)
    data = tomli_w.dumps({k: v for k, v in values.items() if v is not None})
    write_atomic(path, data.encode("utf-8"))


def update_state(path: Path, **changes: Any) -> dict[str, Any]:
    values = read_state(path)
    values.update(changes)
    write_state(path, values)
    return values
