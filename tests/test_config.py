"""Configuration: found in the documented order, strict, and never a traceback."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from incasso_tui.core import config
from incasso_tui.core.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_no_file_gives_working_defaults(isolated_env):
    cfg = config.load(None)
    assert cfg.path is None
    assert cfg.database_url == f"sqlite:///{isolated_env / 'data' / 'incasso-tui' / 'incasso.sqlite3'}"
    assert cfg.outbox_dir == isolated_env / "data" / "incasso-tui" / "outbox"
    assert (cfg.language, cfg.allow_user_flag, cfg.page_size) == ("nl", False, 200)


def test_lookup_order_flag_then_env_then_xdg(tmp_path, isolated_env, monkeypatch):
    xdg = isolated_env / "cfg" / "incasso-tui" / "config.toml"
    xdg.parent.mkdir(parents=True)
    xdg.write_text('[ui]\nlanguage = "en"\n')
    assert config.load(None).language == "en"
    env = tmp_path / "env.toml"
    env.write_text("[ui]\npage_size = 50\n")
    monkeypatch.setenv("INCASSO_CONFIG", str(env))
    assert config.load(None).page_size == 50
    flag = tmp_path / "flag.toml"
    flag.write_text('[ui]\ntheme = "nord"\n')
    cfg = config.load(str(flag))
    assert (cfg.theme, cfg.page_size, cfg.path) == ("nord", 200, flag)


@pytest.mark.parametrize(
    "text, expected",
    [
        ('[ui]\nlanguage = "nl\n', "TOML syntax error"),
        ('[ui]\nlanguage = "nl"\n[ui]\n', "line 3"),
        ('[ui]\nlangauge = "nl"\n', "unknown key ui.langauge (known keys in [ui]: language"),
        ("[gui]\n", "unknown section [gui]"),
        ('[ui]\nlanguage = "fr"\n', "ui.language must be one of 'nl', 'en', 'de' (got 'fr')"),
        ('[ui]\npage_size = "many"\n', "ui.page_size must be an integer (got 'many')"),
        ("[ui]\npage_size = true\n", "ui.page_size must be an integer (got True)"),
        ("[ui]\npage_size = 5\n", "ui.page_size must be at least 20"),
        ('[auth]\nallow_user_flag = "yes"\n', "auth.allow_user_flag must be true or false"),
        ('[database]\nurl = "mysql://x"\n', "database.url must start with sqlite:/// or postgresql://"),
        ("[keymap]\nopen-mandates = 3\n", "keymap.open-mandates must be a string"),
        ("ui = 3\n", "ui must be a table"),
    ],
)
def test_broken_file_names_file_and_problem(tmp_path, text, expected):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        config.load(str(path))
    assert str(path) in str(err.value)
    assert expected in str(err.value)


def test_missing_explicit_file(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        config.load(str(tmp_path / "nope.toml"))


def test_not_utf8(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'[ui]\ntheme = "\xff"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        config.load(str(path))


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


@pytest.mark.parametrize("text", ["[ui\n", '[ui]\nlanguage = "xx"\n', "[database]\nurl = 5\n"])
def test_cli_reports_broken_config_in_one_line_exit_2(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text)
    result = _run("--config", str(path), "user", "list")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_unreachable_database_exit_2(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[database]\nurl = "postgresql://nobody@127.0.0.1:1/none"\n')
    result = _run("--config", str(path), "db", "version")
    assert result.returncode == 2
    assert "cannot connect" in result.stderr and "Traceback" not in result.stderr


def test_example_config_documents_every_key_with_its_default():
    text = (ROOT / "config.example.toml").read_text()
    # Every key appears commented out with its default, so the example is also a valid file.
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") and "=" in line else line for line in text.splitlines()
    )
    data = tomllib.loads(uncommented)
    for section, keys in config.SCHEMA.items():
        for key, spec in keys.items():
            assert key in data.get(section, {}), f"{section}.{key} missing from config.example.toml"
            assert data[section][key] == spec.default, f"{section}.{key}: default differs"
    assert "keymap" in data
    config.from_dict(data)  # and the whole example is accepted
