"""Hostile input: arbitrary text, control characters, huge values and broken encodings fed to the
CLI and the CSV import. Whatever comes in: no traceback, no internal error, nothing printed that a
terminal would obey, and a refused command or import stores nothing.

The CLI is driven in-process through its entry function (the same `main` the `incasso` process
runs, which turns every error into one line and an exit status), so hypothesis can try hundreds
of cases in seconds. One SQLite database with demo data serves each test's examples.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incasso_tui.cli.main import main

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "60"))  # per test; more for a soak run
# What a terminal would act on: C0 controls but tab and newline, DEL, C1, bidi overrides/isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NASTY = "\x00\x07\x08\x1b\x7f\x85\x9b\u202e\u2066\ufeff\ud800\U0001f4a5'\";%{}[]\\"

hostile_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.sampled_from(NASTY + "abcAZ09 -é€"), max_size=40),
    st.text(min_size=200, max_size=5000),  # huge values
    st.sampled_from(
        ["", " ", "-", "--", "--help", "%s", "{0}", "NaN", "1e309", "9" * 40, "\x1b[2J\x1b]0;pwned\x07"]
    ),
)
settings_ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """A demo database and the config naming it; the invoking login is its admin."""
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "hostile.sqlite3"}"\n', encoding="utf-8")
    code, _out, err = run(config, "init", "--demo")
    assert code == 0, err
    return config


def run(config: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--config", str(config), *args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def assert_harmless(code: int, out: str, err: str) -> None:
    assert code in (0, 1, 2), (code, err)
    assert "internal error" not in err and "Traceback" not in err + out, err
    assert not RAW_CONTROL.search(out + err), repr((out + err)[:300])


def debtors(config: Path) -> int:
    """How many debtors are stored (read from the file itself, not through the app)."""
    with contextlib.closing(sqlite3.connect(config.parent / "hostile.sqlite3")) as con:
        return int(con.execute("SELECT COUNT(*) FROM debtor").fetchone()[0])


@settings_
@given(name=hostile_text, town=hostile_text, iban=hostile_text)
def test_debtor_add_with_hostile_fields(world: Path, name: str, town: str, iban: str) -> None:
    before = debtors(world)
    code, out, err = run(
        world, "debtor", "add", "--administration", "ZON", "--name", name, "--town", town, "--iban", iban
    )
    assert_harmless(code, out, err)
    after = debtors(world)
    assert after == before + (1 if code == 0 else 0)  # a refusal stores nothing


@settings_
@given(words=st.lists(hostile_text, min_size=1, max_size=4))
def test_searches_and_filters_with_hostile_text(world: Path, words: list[str]) -> None:
    for args in (
        ("debtor", "list", "--search", words[0]),
        ("mandate", "list", "--search", words[-1]),
        ("order", "list", "--from", words[0]),
        ("set", "new", "--bank-group", words[-1]),
        ("mandate", "show", words[0]),
        ("feedback", "list", "--reason", words[-1]),
    ):
        assert_harmless(*run(world, *args))


@settings_
@given(
    data=st.one_of(st.binary(max_size=3000), hostile_text.map(lambda s: s.encode("utf-8", "surrogatepass"))),
    kind=st.sampled_from(["debtors", "mandates", "orders"]),
    with_header=st.booleans(),
)
def test_csv_import_of_arbitrary_bytes(
    world: Path, tmp_path: Path, data: bytes, kind: str, with_header: bool
) -> None:
    path = tmp_path / "import.csv"
    path.write_bytes((b"administration;name;iban;town\n" if with_header else b"") + data)
    before = debtors(world)
    code, out, err = run(world, "import", kind, str(path))
    assert_harmless(code, out, err)
    if code != 0:
        assert debtors(world) == before


@settings_
@given(
    encoding=st.sampled_from(["utf-16", "latin-1", "cp1252", "utf-8-sig"]),
    name=hostile_text,
)
def test_csv_import_in_other_encodings(world: Path, tmp_path: Path, encoding: str, name: str) -> None:
    text = f"administration;name;iban;town\nZON;{name};NL91ABNA0417164300;Utrecht\n"
    path = tmp_path / "enc.csv"
    path.write_bytes(text.encode(encoding, "replace"))
    before = debtors(world)
    code, out, err = run(world, "import", "debtors", str(path))
    assert_harmless(code, out, err)
    after = debtors(world)
    assert after in (before, before + 1) and (code == 0 or after == before)


@settings_
@given(data=st.binary(max_size=4000))
def test_sepa_check_of_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "file.xml"
    path.write_bytes(data)
    code, out, err = run(tmp_path / "none.toml", "sepa", "check", str(path))
    assert_harmless(code, out, err)
    assert code in (1, 2)  # never "valid"


@settings_
@given(number=st.one_of(st.integers(), st.integers(min_value=2**62, max_value=2**80)))
def test_numbers_beyond_what_the_database_holds(world: Path, number: int) -> None:
    text = str(number)
    for args in (
        ("set", "show", text),
        ("order", "cancel", text),
        ("order", "list", "--set", text),
        ("debtor", "list", "--limit", text),
        ("jobs", "cancel", text),
        ("feedback", "decide", text, "--note", "x"),
        ("set", "new", "--bank-group", text),
    ):
        assert_harmless(*run(world, *args))
