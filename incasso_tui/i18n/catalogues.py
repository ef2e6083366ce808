"""The gettext catalogues (incasso_tui/locale/<lang>/LC_MESSAGES/messages.po), managed with Babel.

Imports only the standard library and Babel: the wheel's build hook (hatch_build.py) loads this
file by path to compile the catalogues before anything else of the package is installed.

    python -m incasso_tui.i18n extract   # marked strings -> locale/messages.pot
    python -m incasso_tui.i18n update    # add new msgids to every .po (nothing dropped)
    python -m incasso_tui.i18n compile   # .po -> .mo

`update` never drops an entry: strings translated where they are shown (binding descriptions,
status labels, area titles) are not marked at a call site, yet must stay in the catalogue.
"""

from __future__ import annotations

import gettext
import sys
import tomllib
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "messages"
TRANSLATED = ("nl", "de")  # English is the source language: it has no catalogue


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def compiled(po: Path) -> bytes:
    """The .mo bytes of a .po (fuzzy and untranslated entries left out: they show English)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    buf = BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def load(lang: str) -> gettext.GNUTranslations | None:
    """The language's translations: from its .mo, or, when that is missing or older than its
    .po (a developer's checkout), from the .po compiled in memory: never untranslated."""
    po, mo = po_path(lang), mo_path(lang)
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    if po.exists():
        return gettext.GNUTranslations(BytesIO(compiled(po)))
    return None


def compile_all() -> list[Path]:
    written = []
    for lang in TRANSLATED:
        if po_path(lang).exists():
            mo_path(lang).write_bytes(compiled(po_path(lang)))
            written.append(mo_path(lang))
    return written


# --- extraction (a developer's checkout: reads [tool.babel.extract_messages] of pyproject.toml)


def extract_config(root: Path) -> dict[str, Any]:
    with (root / "pyproject.toml").open("rb") as f:
        config: dict[str, Any] = tomllib.load(f)["tool"]["babel"]
    return config


def extract(root: Path) -> Catalog:
    """Every marked string the configured mappings select, as a template catalogue."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_keywords

    config = extract_config(root)
    options = config["extract_messages"]
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(options["keywords"].split())}
    method_map = [(pattern, m["method"]) for m in config["mappings"] for pattern in m["pattern"]]
    template = Catalog(project="incasso-tui", charset="utf-8")
    for folder in options["input_paths"].split():
        for filename, lineno, message, comments, context in extract_from_dir(
            root / folder, method_map=method_map, keywords=keywords, comment_tags=("TRANSLATORS:",)
        ):
            template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read(lang: str) -> Catalog:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    if po_path(lang).exists():
        with po_path(lang).open("rb") as f:
            return read_po(f, locale=lang)
    return Catalog(locale=lang, project="incasso-tui", charset="utf-8")


def write(catalog: Catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.fuzzy = False  # a fuzzy header would make gettext tools skip the whole catalogue
    buf = BytesIO()
    write_po(buf, catalog, width=100, sort_output=True, omit_header=False)
    path.write_bytes(buf.getvalue())


def merge_template(catalog: Catalog, template: Catalog) -> int:
    """Add the template's msgids the catalogue lacks (untranslated); refresh locations; drop
    nothing. Returns how many were added."""
    added = 0
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        if found is None:
            catalog.add(message.id, None, message.locations, context=message.context)
            added += 1
        else:
            found.locations = message.locations
            if isinstance(message.id, tuple) and not isinstance(found.id, tuple):
                found.id = message.id  # became a plural entry
    return added


def write_template(root: Path) -> Catalog:
    from babel.messages.pofile import write_po

    template = extract(root)
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    buf = BytesIO()
    write_po(buf, template, width=100, sort_output=True)
    (LOCALE_DIR / f"{DOMAIN}.pot").write_bytes(buf.getvalue())
    return template


def update(root: Path) -> dict[str, int]:
    template = write_template(root)
    added = {}
    for lang in TRANSLATED:
        catalog = read(lang)
        added[lang] = merge_template(catalog, template)
        write(catalog, po_path(lang))
    return added


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parents[2]
    command = argv[0] if argv else "compile"
    if command == "extract":
        print(f"{len(write_template(root))} messages in {LOCALE_DIR / (DOMAIN + '.pot')}")
    elif command == "update":
        for lang, n in update(root).items():
            print(f"{lang}: {n} new entries added to {po_path(lang)}")
    elif command == "compile":
        for path in compile_all():
            print(f"compiled {path}")
    else:
        print("usage: python -m incasso_tui.i18n [extract|update|compile]", file=sys.stderr)
        return 2
    return 0
