"""Configuration: a TOML file read strictly into dataclasses.

Found by --config PATH, else $INCASSO_CONFIG, else the XDG config dir; with no
file at all the defaults work. Any problem is one ConfigError naming the file,
the line or key, and what is expected. The file is never written by the app
(user changes go to the state file, see state.py).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from incasso_tui.core import files, paths
from incasso_tui.core.errors import ConfigError

LANGUAGES = ("nl", "en", "de")  # the UI languages (incasso_tui/locale)


@dataclass(frozen=True)
class Key:
    type: type  # str, int or bool
    default: Any
    help: str
    choices: tuple[str, ...] | None = None
    minimum: int | None = None


# The single description of every key: the loader, the defaults and the check
# that config.example.toml documents everything all read from here.
SCHEMA: dict[str, dict[str, Key]] = {
    "database": {
        "url": Key(
            str,
            "",
            "sqlite:///PATH or postgresql://user:pass@host:port/db; "
            "empty = SQLite file incasso.sqlite3 in the data directory",
        ),
        "busy_timeout_ms": Key(
            int,
            5000,
            "how long a write waits for a lock held by another process before saying the database is busy (SQLite busy timeout; PostgreSQL lock_timeout)",
            minimum=0,
        ),
    },
    "paths": {
        "data_dir": Key(
            str,
            "",
            "where the SQLite database and logs live; empty = XDG data dir (~/.local/share/incasso-tui)",
        ),
        "outbox_dir": Key(
            str,
            "",
            "where generated pain.008 files and letters go (one directory "
            "per bank group); empty = DATA_DIR/outbox",
        ),
    },
    "ui": {
        "language": Key(str, "nl", "language of the user interface", choices=LANGUAGES),
        "theme": Key(
            str,
            "textual-dark",
            "Textual theme name (e.g. textual-dark, textual-light, nord, gruvbox, textual-ansi)",
        ),
        "mouse": Key(bool, True, "accept mouse input (false is kinder to some SSH terminals)"),
        "page_size": Key(int, 200, "rows fetched per page in lists", minimum=20),
    },
    "auth": {
        "allow_user_flag": Key(
            bool,
            False,
            "honour --user NAME (for a shared service account whose "
            "authorized_keys fix the user per key, and for tests)",
        ),
    },
    "files": {
        "group_readable": Key(
            bool,
            False,
            "let the owner's group read the files the app writes (database, log, state, pain.008 "
            "files, letters, mandate forms): 0640 and directories 0750; false = owner only, 0600 and 0700",
        ),
    },
    "smtp": {
        "host": Key(str, "", "SMTP server for pre-notification e-mails; empty = no e-mail is sent"),
        "port": Key(int, 587, "SMTP port (587 for starttls, 465 for ssl, 25 for none)", minimum=1),
        "security": Key(
            str,
            "starttls",
            "starttls (upgrade a plain connection), ssl (TLS from the start) or none (a local relay only)",
            choices=("starttls", "ssl", "none"),
        ),
        "user": Key(str, "", "login at the SMTP server; empty = no login"),
        "password_env": Key(str, "", "name of the environment variable holding the SMTP password"),
        "password_file": Key(
            str, "", "file holding the SMTP password (first line); refused when others may read it"
        ),
        "from_address": Key(str, "", "sender address of the e-mails, e.g. incasso@example.org"),
        "from_name": Key(str, "", "sender name shown with it; empty = the administration's name"),
        "timeout_seconds": Key(int, 30, "how long to wait for the SMTP server", minimum=1),
    },
}
# Free-form tables: binding id -> key(s), e.g. open-mandates = "f3".
FREE_TABLES = {"keymap": str}


@dataclass(frozen=True)
class SmtpConfig:
    """The [smtp] section: where pre-notification e-mails go out (see services/prenotification)."""

    host: str = ""
    port: int = 587
    security: str = "starttls"
    user: str = ""
    password_env: str = ""
    password_file: str = ""
    from_address: str = ""
    from_name: str = ""
    timeout_seconds: int = 30

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_address)


@dataclass
class Config:
    path: Path | None
    database_url: str
    busy_timeout_ms: int
    data_dir: Path
    outbox_dir: Path
    language: str
    theme: str
    mouse: bool
    page_size: int
    allow_user_flag: bool
    group_readable: bool = False
    keymap: dict[str, str] = field(default_factory=dict)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)

    @property
    def state_file(self) -> Path:
        return paths.state_dir() / "state.toml"

    @property
    def log_file(self) -> Path:
        return paths.state_dir() / "incasso.log"


def locate(cli_path: str | None) -> tuple[Path | None, bool]:
    """Return (path, explicit). An explicit path must exist; the XDG one may not."""
    if cli_path:
        return Path(cli_path).expanduser(), True
    env = os.environ.get("INCASSO_CONFIG")
    if env:
        return Path(env).expanduser(), True
    default = paths.default_config_file()
    return (default, False) if default.exists() else (None, False)


def load(cli_path: str | None = None) -> Config:
    path, explicit = locate(cli_path)
    raw: dict[str, Any] = {}
    if path is not None:
        if not path.exists():
            if explicit:
                raise ConfigError(f"config {path}: file not found")
        else:
            raw = _read_toml(path)
    cfg = from_dict(raw, path)
    files.set_group_readable(cfg.group_readable)  # the modes of every file written from now on
    global _loaded
    _loaded = cfg
    return cfg


_loaded: Config | None = None


def loaded() -> Config | None:
    """The configuration this process loaded last (a job handler needing e.g. [smtp] reads
    its own worker's settings: secrets never travel in a job's payload)."""
    return _loaded


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"config {path}: cannot read: {exc.strerror}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config {path}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config {path}: TOML syntax error: {exc}") from None


def from_dict(raw: dict[str, Any], path: Path | None = None) -> Config:
    where = f"config {path}" if path else "config"
    values: dict[str, dict[str, Any]] = {}
    for section, value in raw.items():
        if section in FREE_TABLES:
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: [{section}] must be a table")
            for k, v in value.items():
                if not isinstance(v, FREE_TABLES[section]):
                    raise ConfigError(f"{where}: {section}.{k} must be a string (got {v!r})")
            continue
        if section not in SCHEMA:
            known = ", ".join(sorted([*SCHEMA, *FREE_TABLES]))
            raise ConfigError(f"{where}: unknown section [{section}] (known sections: {known})")
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: {section} must be a table [{section}]")
        for key, item in value.items():
            spec = SCHEMA[section].get(key)
            if spec is None:
                known = ", ".join(SCHEMA[section])
                raise ConfigError(
                    f"{where}: unknown key {section}.{key} (known keys in [{section}]: {known})"
                )
            values.setdefault(section, {})[key] = _check(where, f"{section}.{key}", spec, item)

    def get(section: str, key: str) -> Any:
        return values.get(section, {}).get(key, SCHEMA[section][key].default)

    data_dir = Path(get("paths", "data_dir")).expanduser() if get("paths", "data_dir") else paths.data_dir()
    outbox = get("paths", "outbox_dir")
    url = get("database", "url") or f"sqlite:///{data_dir / 'incasso.sqlite3'}"
    if not (url.startswith(("sqlite:///", "postgresql://", "postgres://"))):
        raise ConfigError(f"{where}: database.url must start with sqlite:/// or postgresql:// (got {url!r})")
    return Config(
        path=path,
        database_url=url,
        busy_timeout_ms=get("database", "busy_timeout_ms"),
        data_dir=data_dir,
        outbox_dir=Path(outbox).expanduser() if outbox else data_dir / "outbox",
        language=get("ui", "language"),
        theme=get("ui", "theme"),
        mouse=get("ui", "mouse"),
        page_size=get("ui", "page_size"),
        allow_user_flag=get("auth", "allow_user_flag"),
        group_readable=get("files", "group_readable"),
        keymap=dict(raw.get("keymap", {})),
        smtp=_smtp(where, get),
    )


def _smtp(where: str, get: Any) -> SmtpConfig:
    smtp = SmtpConfig(**{key: get("smtp", key) for key in SCHEMA["smtp"]})
    if smtp.password_env and smtp.password_file:
        raise ConfigError(f"{where}: smtp.password_env and smtp.password_file: give one of them, not both")
    if smtp.host and not smtp.from_address:
        raise ConfigError(f"{where}: smtp.from_address is required when smtp.host is set")
    return smtp


def _check(where: str, name: str, spec: Key, value: Any) -> Any:
    # bool is an int in Python; a config saying page_size = true is still wrong.
    wrong_bool = isinstance(value, bool) and spec.type is not bool
    if wrong_bool or not isinstance(value, spec.type):
        expected = {str: "a string", int: "an integer", bool: "true or false"}[spec.type]
        raise ConfigError(f"{where}: {name} must be {expected} (got {value!r})")
    if spec.choices and value not in spec.choices:
        options = ", ".join(repr(c) for c in spec.choices)
        raise ConfigError(f"{where}: {name} must be one of {options} (got {value!r})")
    if spec.minimum is not None and isinstance(value, int) and value < spec.minimum:  # int keys only
        raise ConfigError(f"{where}: {name} must be at least {spec.minimum} (got {value!r})")
    return value
