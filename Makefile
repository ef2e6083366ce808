# Two commands do all set-up (see README):
#   make demo   install into .venv and start the TUI on a demo database
#   make test   install into .venv (with test tools), run the checks (make lint), then the suite
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
# Three test processes (pytest-xdist; each has its own PostgreSQL database): many tests wait on
# subprocesses and the server, so three keep two cores busy.
PYTEST_ARGS ?= -n 3
# pip shows its progress (a first install takes a minute or so: it must not look like a hang);
# quiet under CI, where the log is read only when something fails.
PIP_QUIET := $(if $(filter true,$(CI)),-q,--progress-bar on)

.PHONY: install demo lint test bench-startup clean catalogues

$(VENV)/.installed: pyproject.toml
	@echo "== 1/3 creating $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@echo "== 2/3 updating pip"
	$(PY) -m pip install $(PIP_QUIET) --upgrade pip
	@echo "== 3/3 installing incasso-tui and its dependencies into $(VENV) (a minute or so the first time)"
	$(PY) -m pip install $(PIP_QUIET) -e '.[test]'
	@echo "== installed"
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/incasso --demo

# ruff (lint + format), mypy and the import contracts (pyproject.toml): zero findings.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: lint
	$(PY) -m pytest $(PYTEST_ARGS)

# The gettext catalogues (incasso_tui/locale): the marked strings into messages.pot (Babel,
# [tool.babel] of pyproject.toml), new msgids into every .po (nothing dropped), .po -> .mo.
# Every wheel, the editable one of `make install` too, compiles them (hatch_build.py).
catalogues: install
	$(PY) -m incasso_tui.i18n update
	$(PY) -m incasso_tui.i18n compile

bench-startup: install
	$(PY) bench/startup.py

clean:
	rm -rf $(VENV) build dist *.egg-info
