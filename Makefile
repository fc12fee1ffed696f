# The two commands of the README:
#   make demo    build the extension and run the main job on the bundled demo city
#   make check   build and run every test (what CI runs)
# Everything installs into .venv, made here; one release build of the Rust
# core serves both the Rust tests and the Python extension.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
export VIRTUAL_ENV := $(abspath $(VENV))
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: demo check venv develop test-rust test-python fmt clean

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

develop: venv
	$(VENV)/bin/maturin develop --release --quiet

demo: develop
	$(VENV)/bin/lagesbild demo

test-rust:
	cargo fmt --all --check
	cargo test --release -p lagesbild

test-python: develop
	$(PY) -m pytest

check: venv test-rust test-python

clean:
	rm -rf $(VENV) target
