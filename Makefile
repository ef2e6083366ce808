# Two commands do all set-up (see README):
#   make demo   install into .venv and start the TUI on a demo database
#   make test   install into .venv (with test tools), run the checks (make lint), then the suite
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
# Three test processes (pytest-xdist; each has its own PostgreSQL database): many tests wait on
# subprocesses and the server, so three keep two cores busy.
PYTEST_ARGS ?= -n 3

.PHONY: install demo lint test bench-startup clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
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

bench-startup: install
	$(PY) bench/startup.py

clean:
	rm -rf $(VENV) build dist *.egg-info
