# The two commands of the README:
#   make demo    build the extension and write the demo city's lägesbild to out/lagesbild
#   make check   build and run every test (what CI runs)
# Everything installs into .venv, made here; one release build of the Rust
# core serves both the Rust tests and the Python extension (clippy adds one
# check build).
#   make bench   the side-by-side benchmark (benchmarks/README.md), in its own
#                venv benchmarks/.venv; BENCH_ARGS passes options to run.py
#   make bench-dask  100M points in Parquet partitions on a Dask LocalCluster,
#                lagesbild.dask against dask-geopandas (BENCH_DASK_ARGS)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
export VIRTUAL_ENV := $(abspath $(VENV))
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: demo check venv develop lint test-rust test-python fmt clean bench bench-venv bench-dask chromium

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# maturin installs python/lagesbild in place; it is byte-compiled here so that
# a run starts from compiled modules even where PYTHONDONTWRITEBYTECODE is set.
develop: venv
	$(VENV)/bin/maturin develop --release --quiet
	$(PY) -m compileall -q python/lagesbild

demo: develop
	$(VENV)/bin/lagesbild demo --out out/lagesbild

# Style and types: rustfmt, clippy on every target with warnings as errors
# (a check build of the dependencies, apart from the release build), ruff
# with the docstring rules, and the native module's stubs against the
# built extension.
lint: venv
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	$(VENV)/bin/ruff check .

test-rust:
	cargo test --release -p lagesbild

# The browser tests use Debian's chromium through Playwright (Playwright's own
# browser downloads are not used). Installed with apt-get where it is missing,
# which needs root on a Debian machine; elsewhere install chromium yourself.
CHROMIUM ?= /usr/bin/chromium

chromium:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "make: the browser tests need chromium at $(CHROMIUM): install it (apt-get install chromium, as root)" >&2; \
		exit 1; \
	fi

test-python: develop chromium
	$(PY) -m mypy.stubtest lagesbild._lagesbild
	$(PY) -m pytest

check: venv lint test-rust test-python

# The benchmark has its own venv (geopandas, DuckDB, SedonaDB pinned in
# benchmarks/requirements.txt) so the test venv stays lean; the extension is
# built into it from the same target/ as `make develop`.
BENCH_VENV := benchmarks/.venv
BENCH_PY   := $(BENCH_VENV)/bin/python
BENCH_ARGS ?=

$(BENCH_VENV)/.installed: benchmarks/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install --quiet --upgrade pip
	$(BENCH_PY) -m pip install --quiet -r benchmarks/requirements.txt
	touch $@

bench-venv: $(BENCH_VENV)/.installed
	VIRTUAL_ENV=$(abspath $(BENCH_VENV)) PATH=$(abspath $(BENCH_VENV))/bin:$$PATH \
		$(BENCH_VENV)/bin/maturin develop --release --quiet

bench: bench-venv
	$(BENCH_PY) benchmarks/make_data.py
	$(BENCH_PY) benchmarks/run.py $(BENCH_ARGS)

BENCH_DASK_ARGS ?=

bench-dask: bench-venv
	$(BENCH_PY) benchmarks/dask_bench.py $(BENCH_DASK_ARGS)

clean:
	rm -rf $(VENV) $(BENCH_VENV) target
