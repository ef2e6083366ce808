"""Hatch build hook: every wheel (the editable one of `make install` too) carries the compiled
gettext catalogues. The .mo files are built from the .po files here, not kept in git."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        # Loaded by path: the package's own dependencies are not installed in the build env.
        path = Path(self.root) / "incasso_tui" / "i18n" / "catalogues.py"
        spec = importlib.util.spec_from_file_location("_incasso_catalogues", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for mo in module.compile_all():
            build_data["artifacts"].append(str(mo.relative_to(self.root)))
