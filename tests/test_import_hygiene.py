"""The core never imports Textual: the CLI, the worker and batch jobs run without it."""

import re
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "incasso_tui"


def test_core_imports_without_textual():
    modules = sorted(
        "incasso_tui." + ".".join(p.relative_to(CORE).with_suffix("").parts)
        for p in CORE.rglob("*.py")
        if p.name not in ("app.py", "__main__.py") and "__pycache__" not in p.parts
    )
    modules = [mod.removesuffix(".__init__") for mod in modules]
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'textual' or name.startswith('textual.'):\n"
        "            raise ImportError('textual is blocked in the core')\n"
        "sys.meta_path.insert(0, Block())\n"
        f"import importlib\nfor mod in {modules!r}:\n    importlib.import_module(mod)\n"
        "print(len(" + repr(modules) + "))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 15


def test_only_app_and_screens_mention_textual():
    # textual_serve is another package (it runs the app as a child process): not Textual.
    imports_textual = re.compile(r"^\s*(import|from) textual(\.|\s|$)", re.MULTILINE)
    offenders = [
        p for p in CORE.rglob("*.py") if p.name != "app.py" and imports_textual.search(p.read_text())
    ]
    assert offenders == []


def test_the_tui_start_does_not_load_the_sepa_engine(tmp_path):
    # Start-up is measured (bench/startup.py): the SEPA engine, schwifty and the PDF code load
    # only when a screen needs them, never to show the home screen.
    import os

    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
    }
    env.pop("INCASSO_CONFIG", None)
    first = subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--demo", "--headless"], env=env, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    again = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "incasso_tui", "--demo", "--headless"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    loaded = {line.rsplit("|", 1)[-1].strip() for line in again.stderr.splitlines() if "|" in line}
    assert not {
        m for m in loaded if m.startswith(("incasso_tui.sepa", "schwifty", "fpdf", "incasso_tui.documents"))
    }
