# Two commands do all set-up (see README):
#   make demo   install into .venv and start the TUI on a demo database
#   make test   install into .venv (with test tools) and run the whole suite
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python

.PHONY: install demo test bench-startup clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/incasso --demo

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench-startup: install
	$(PY) bench/startup.py

clean:
	rm -rf $(VENV) build dist *.egg-info
