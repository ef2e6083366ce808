"""Terminal injection (issue 11): control characters, NUL and bidirectional overrides are
refused in every text input (services, forms, CSV, CLI arguments) naming the field, and what
was stored before is escaped wherever it is shown (CLI tables, plain text, JSON, error
messages, TUI cells and labels). `import` checks the user's right before it opens the file
and quotes at most a short, escaped piece of it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from incasso_tui.core.errors import Refused, ValidationError, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.services import debtors, users
from incasso_tui.services.debtors import DebtorInput
from incasso_tui.services.imports.run import run_import
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates.lifecycle import MandateInput
from incasso_tui.services.mandates.settings import set_mandate_settings

from .conftest import IBAN_ABN
from .pilot import SIZE, make_app, select_row, settle, text_of

EVIL = "Evil\x1b[2J\x1b]0;pwned\x07Name"
# Old data: what a database filled before the fix may hold (C0, C1 CSI, a bidi override).
STORED = "Evil\x1b[2J\x1b]0;pwned\x07 \x9b31m \u202eName"
FORBIDDEN_BYTES = (b"\x1b", b"\x07", "\x9b".encode(), "\u202e".encode(), b"\x00")


def _fields(exc) -> dict[str, str]:
    return {e.field: e.rule for e in exc.value.errors}


def _clean(data: bytes) -> bool:
    return not any(bad in data for bad in FORBIDDEN_BYTES)


def _run(cfg, *args, user: str = "tester") -> subprocess.CompletedProcess[bytes]:
    """`incasso --config CFG --user USER ARGS…` as a real process; stdout/stderr as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(cfg), "--user", user, *args],
        capture_output=True,
        env={**os.environ, "USER": user, "LOGNAME": user},
        timeout=120,
    )


def _store_old_debtor(world, number: str = "6666") -> m.Debtor:
    """A debtor as a database from before the fix may hold it (written past the services)."""
    return m.Debtor.create(
        administration=world.zon,
        number=number,
        name=STORED,
        name_key=STORED.lower(),
        street="Straat\x1b[31m",
        town="Stad\u2066",
        iban=IBAN_ABN,
        bic="ABNANL2A",
    )


# --- the escaping and the rule (pure) ------------------------------------------------------


def test_escaping_and_the_rule_name_the_character():
    from incasso_tui.core.terminal_text import escape_terminal, fragment, unsafe_rule

    assert escape_terminal("Jan \u00e9\u00f1 \u20ac") == "Jan \u00e9\u00f1 \u20ac"  # text stays
    assert escape_terminal(EVIL) == "Evil\\u001b[2J\\u001b]0;pwned\\u0007Name"
    assert escape_terminal("a\u202eb\x9bc\x7f") == "a\\u202eb\\u009bc\\u007f"
    assert escape_terminal("a\nb\tc", keep="\n") == "a\nb\\u0009c"
    assert unsafe_rule("Jan") is None
    assert unsafe_rule(EVIL) == "must not contain control characters (U+001B)"
    assert unsafe_rule("x\x00") == "must not contain control characters (U+0000)"
    assert unsafe_rule("x\u2067") == "must not contain bidirectional text controls (U+2067)"
    assert unsafe_rule("x\udcff") == "must be UTF-8 text (byte 0xFF is not)"
    assert fragment("x" * 50 + "\x1b") == "x" * 40 + "…"
    # Escaped JSON is still JSON with the same values.
    doc = json.dumps({"name": STORED}, ensure_ascii=False)
    assert json.loads(escape_terminal(doc)) == {"name": STORED}


# --- input: services (and so the TUI forms), on both databases ---------------------------


def test_every_debtor_text_field_refuses_control_characters_and_bidi_overrides(world):
    admin = world.actor()
    before = m.Debtor.select().count()
    with pytest.raises(ValidationErrors) as exc:
        debtors.create_debtor(
            admin,
            world.zon.id,
            DebtorInput(
                number="3001",
                name=EVIL,
                street="Kerk\u202estraat",
                postcode="1234\x9b",
                town="Utrecht\x7f",
                email="a@b.nl\x1b",
            ),
        )
    assert _fields(exc) == {
        "name": "must not contain control characters (U+001B)",
        "street": "must not contain bidirectional text controls (U+202E)",
        "postcode": "must not contain control characters (U+009B)",
        "town": "must not contain control characters (U+007F)",
        "email": "must not contain control characters (U+001B)",
    }
    assert "\x1b" not in str(exc.value)  # the message never echoes what it refuses
    with pytest.raises(ValidationErrors) as exc:
        debtors.update_debtor(
            admin,
            world.private.id,
            DebtorInput(**{**vars(DebtorInput.from_debtor(world.private)), "name": "A\u2066B"}),
        )
    assert _fields(exc) == {"name": "must not contain bidirectional text controls (U+2066)"}
    assert m.Debtor.select().count() == before
    assert m.Debtor.get_by_id(world.private.id).name == "Łukasz Żółć"


def test_nul_is_the_same_clear_refusal_on_both_databases(world, tmp_path):
    """PostgreSQL cannot store NUL: before the fix it was an internal error there."""
    admin = world.actor()
    with pytest.raises(ValidationErrors) as exc:
        debtors.create_debtor(admin, world.zon.id, DebtorInput(number="3002", name="Jan\x00Jansen"))
    assert _fields(exc) == {"name": "must not contain control characters (U+0000)"}
    path = tmp_path / "nul.csv"
    path.write_bytes(b"administration;number;name\nZON;3003;Piet\x00Puk\nZON;3004;Goed\n")
    result = run_import(admin, "debtors", path)
    assert [(e.line, e.column, e.rule) for e in result.errors] == [
        (2, "name", "must not contain control characters (U+0000)")
    ]
    assert (
        result.stored == 0
        and not m.Debtor.select().where(m.Debtor.number.in_(["3002", "3003", "3004"])).exists()
    )


def test_mandates_users_and_settings_refuse_control_characters(world, tmp_path):
    admin = world.actor()
    with pytest.raises(ValidationErrors) as exc:
        mandates.create_mandate(
            admin, world.private.id, MandateInput(signed_date="2026-01-02", reason="Donatie\x1b[2J")
        )
    assert _fields(exc) == {"reason": "must not contain control characters (U+001B)"}
    mandate = mandates.create_mandate(admin, world.private.id, MandateInput(signed_date="2026-01-02"))
    with pytest.raises(ValidationError, match=r"^reason: must not contain control characters \(U\+0007\)$"):
        mandates.revoke_mandate(admin, mandate.id, "per brief\x07")
    assert m.Mandate.get_by_id(mandate.id).status != "revoked"
    with pytest.raises(ValidationError, match=r"^name: must not contain control characters \(U\+001B\)$"):
        users.add_user(admin, "eve", "support", EVIL)
    with pytest.raises(ValidationError, match=r"^login"):
        users.add_user(admin, "eve\n", "support")  # `$` matched before a final line feed
    assert not m.User.select().where(m.User.login.startswith("eve")).exists()
    with pytest.raises(ValidationErrors, match="collection reason: must not contain bidirectional"):
        set_mandate_settings(admin, "ZON", collection_reason="Huur\u202d")
    texts = tmp_path / "texts.toml"
    texts.write_text('[nl]\ntitle_recurrent = "Doorlopende machtiging\\u001b[2J"\n', encoding="utf-8")
    with pytest.raises(
        ValidationErrors, match=r"form texts \[nl\] title_recurrent: must not contain control"
    ):
        set_mandate_settings(admin, "ZON", form_texts=texts)
    assert m.Administration.get_by_id(world.zon.id).collection_reason == "Maandelijkse donatie"


def test_csv_cells_and_headers_with_control_characters_are_refused(world, tmp_path):
    path = tmp_path / "evil.csv"
    path.write_text(
        "administration;number;name;town\n"
        f'ZON;3010;"{EVIL}";Utrecht\n'
        "ZON;3011;Goed;Stad\u202e\n"
        '"ZON";3012;"Twee\nregels";Utrecht\n'
        "ZON;3013;Goed;Utrecht\n",
        encoding="utf-8",
    )
    result = run_import(world.actor(), "debtors", path)
    assert [(e.line, e.column, e.rule) for e in result.errors] == [
        (2, "name", "must not contain control characters (U+001B)"),
        (3, "town", "must not contain bidirectional text controls (U+202E)"),
        (4, "name", "must not contain control characters (U+000A)"),
    ]
    assert result.stored == 0 and not m.Debtor.select().where(m.Debtor.number.startswith("301")).exists()
    header = tmp_path / "header.csv"
    header.write_text('administration;number;name;"\x1b]0;pwned\x07"\nZON;3020;Jan;x\n', encoding="utf-8")
    result = run_import(world.actor(), "debtors", header)
    assert [(e.line, e.rule) for e in result.errors] == [(1, "must not contain control characters (U+001B)")]
    assert "\x1b" not in str(result.errors[0]) and "\\u001b]0;pwned" in str(result.errors[0])


# --- input: the CLI, as a user's shell runs it ---------------------------------------------


def test_cli_refuses_control_characters_in_arguments_naming_the_argument(world, config_file):
    cfg = config_file()
    result = _run(cfg, "debtor", "add", "--administration", "ZON", "--name", EVIL, "--iban", IBAN_ABN)
    assert result.returncode == 1
    assert result.stderr == b"incasso: name: must not contain control characters (U+001B)\n"
    assert result.stdout == b""
    result = _run(
        cfg, "debtor", "add", "--administration", "ZON", "--name", "Jan", "--building-number", "1\u202e"
    )
    assert result.returncode == 1
    assert (
        result.stderr == b"incasso: building number: must not contain bidirectional text controls (U+202E)\n"
    )
    # Bytes that are not UTF-8 (e.g. a Latin-1 terminal): one line, no traceback.
    result = _run(cfg, "debtor", "add", "--administration", "ZON", "--name", os.fsdecode(b"Ren\xe9"))
    assert (
        result.returncode == 1 and result.stderr == b"incasso: name: must be UTF-8 text (byte 0xE9 is not)\n"
    )
    assert not m.Debtor.select().where(m.Debtor.name.startswith("Evil") | (m.Debtor.name == "Jan")).exists()
    # argparse's own errors echo the argument: escaped too.
    result = _run(cfg, "\x1b[2Jdebtor")
    assert result.returncode == 2 and b"invalid choice" in result.stderr and _clean(result.stderr)


# --- output: what was stored before the fix is harmless ------------------------------------


def test_stored_control_characters_never_reach_the_terminal_from_the_cli(world, config_file):
    cfg = config_file()
    _store_old_debtor(world)
    m.User.create(login="eve", name=STORED, role="support")
    assert _run(cfg, "mandate", "new", "6666", "--signed", "2026-01-02").returncode == 0
    for args in (
        ("debtor", "list"),
        ("debtor", "show", "6666"),
        ("mandate", "list"),
        ("user", "list"),
        ("debtor", "show", "6666", "--json"),
        ("debtor", "list", "--json"),
        ("user", "list", "--json"),
    ):
        result = _run(cfg, *args)
        assert result.returncode == 0, result.stderr
        assert _clean(result.stdout) and _clean(result.stderr), (args, result.stdout)
        assert b"Evil\\u001b[2J\\u001b]0;pwned\\u0007 \\u009b31m \\u202eName" in result.stdout, args
    # JSON stays JSON, with the stored value intact for scripts.
    shown = json.loads(_run(cfg, "debtor", "show", "6666", "--json").stdout)
    assert (shown["name"], shown["street"], shown["town"]) == (STORED, "Straat\x1b[31m", "Stad\u2066")
    # An error message that quotes stored or typed text: escaped as well.
    result = _run(cfg, "user", "list", user="eve\u202e")
    assert result.returncode == 1 and _clean(result.stderr)


# --- import: rights first, a short escaped fragment at most ----------------------------------


def test_import_checks_the_right_before_opening_the_file(world, config_file, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:SECRET-ROOT-LINE:/root:/bin/bash\n", encoding="utf-8")
    with pytest.raises(Refused, match="may not change mandates"):
        run_import(world.actor("bram"), "mandates", secret)  # support
    cfg = config_file()
    result = _run(cfg, "import", "mandates", str(secret), user="bram")
    assert result.returncode == 1 and b"bram (support) may not change mandates" in result.stderr
    assert b"SECRET" not in result.stdout + result.stderr
    # Not even whether the file exists is told before the right is checked.
    result = _run(cfg, "import", "debtors", str(tmp_path / "missing.csv"), user="bram")
    assert result.returncode == 1 and b"may not change debtors" in result.stderr
    assert b"not found" not in result.stderr


def test_import_quotes_a_short_escaped_fragment_of_a_bad_header(world, config_file, tmp_path):
    passwd = tmp_path / "passwd"
    line = "root:x:0:0:root:/root:/bin/bash\x1b]0;pwned\x07" + "-" * 30 + "SECRET-TAIL"
    passwd.write_text(line + "\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", encoding="utf-8")
    cfg = config_file()
    for args in (("import", "mandates", str(passwd)), ("import", "mandates", str(passwd), "--json")):
        result = _run(cfg, *args, user="anna")  # an operator may import
        assert result.returncode == 1
        out = result.stdout + result.stderr
        assert _clean(out) and b"SECRET-TAIL" not in out and b"daemon" not in out
        assert b"root:x:0:0:root:/root:/bin/bash" in out  # the first 40 characters, escaped


# --- output: the TUI ------------------------------------------------------------------------


def _screen_text(app) -> str:
    """What the terminal would be sent for the screen's content (the compositor's strips)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _unsafe_in(text: str) -> list[str]:
    return _UNSAFE.findall(text)


async def test_tui_lists_and_cards_show_stored_control_characters_escaped(world, database):
    _store_old_debtor(world)
    m.Debtor.create(
        administration=world.zon,
        number="6667",
        name="Markup [red]rood[/red] [link=x]",
        name_key="markup",
        iban=IBAN_ABN,
    )
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        shown = _screen_text(app)
        assert "6666" in shown and _unsafe_in(shown) == []
        assert "Evil\\u001b[2J" in shown  # visible, escaped
        assert "Markup [red]rood[/red] [link=x]" in shown  # data is never read as markup
        await pilot.press("down")  # from the search box to the table
        select_row(app, lambda r: r.number == "6666")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.AREA == "debtor"
        card = text_of(app, "#debtor-card")
        assert "Evil\\u001b[2J" in card and "Straat\\u001b[31m" in card
        assert _unsafe_in(_screen_text(app)) == []


async def test_tui_debtor_form_refuses_a_control_character_under_the_field(world, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("down", "n")  # from the search box to the table, then New
        await settle(pilot)
        app.screen.query_one("#f-name").value = EVIL
        app.screen.query_one("#f-iban").value = IBAN_ABN
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "U+001B" in text_of(app, "#note-name")
        assert _unsafe_in(_screen_text(app)) == []
    assert not m.Debtor.select().where(m.Debtor.name.startswith("Evil")).exists()
