"""XDG locations. Nothing is created at import; callers create what they write."""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR = "incasso-tui"


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var)
    base = Path(value) if value and os.path.isabs(value) else Path.home() / fallback
    return base / APP_DIR


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config")


def data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share")


def state_dir() -> Path:
    return _xdg("XDG_STATE_HOME", ".local/state")


def default_config_file() -> Path:
    return config_dir() / "config.toml"
