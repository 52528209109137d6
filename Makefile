# All set-up happens here: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install -q --disable-pip-version-check
HASH := $(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
CORE := $(VENV)/.core-$(HASH)
FULL := $(VENV)/.full-$(HASH)

.PHONY: install demo test bench clean chromium postgresql install-check

# pip stays quiet (-q): each step says what it installs, so a first run is not minutes of silence.
$(CORE): pyproject.toml constraints.txt
	@echo "make: creating $(VENV) and installing crosswire with pinned dependencies (constraints.txt)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -c constraints.txt -e .
	rm -f $(VENV)/.core-*
	touch $(CORE)

# Tests also exercise the optional dense encoders. CPU torch goes first, by exact version: a
# looser spec, asked for by sentence-transformers, would pull the CUDA build (gigabytes).
$(FULL): $(CORE)
	@echo "make: installing CPU torch (about 200 MB on first use)"
	$(PIP) torch==2.13.0
	@echo "make: installing the test tools and the dense, parquet, fast, ray and postgres extras (ray: about 600 MB)"
	$(PIP) -c constraints.txt -e '.[test,dense,parquet,fast,ray,postgres]'
	rm -f $(VENV)/.full-*
	touch $(FULL)

install: $(CORE)

## Ingest the example articles into the default store and print the stories.
demo: $(CORE)
	$(BIN)/crosswire ingest examples/
	$(BIN)/crosswire stories

test: $(FULL) chromium postgresql
	@echo "make: running the tests"
	$(BIN)/python -m pytest

# The browser tests drive Debian's chromium through Playwright (never a browser Playwright would
# download). Installed when missing, as root or through sudo; where that fails they skip, saying why.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null \
	  || echo "make: could not install chromium; the browser tests will be skipped" >&2; }

# The PostgreSQL store's tests start a server of their own (initdb + pg_ctl in a temp dir, on a
# loopback port) from Debian's postgresql package. Installed when missing, as root or through
# sudo; where that fails those tests skip, saying why.
postgresql:
	@command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null \
	  || echo "make: could not install postgresql; the PostgreSQL store tests will be skipped" >&2; }

# What `pip install crosswire` gives a user: no constraints file, the newest releases our ranges
# allow, no extras. Installed into a throwaway venv (pip's cache keeps a rerun cheap), then the
# first commands a user runs. Catches a dependency the code needs but pyproject.toml lacks.
install-check:
	@echo "make: install-check: pip install . into a fresh venv, without constraints.txt"
	@set -e; dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	$(PYTHON) -m venv "$$dir/venv"; \
	"$$dir/venv/bin/python" -m pip install -q --disable-pip-version-check . ; \
	echo "make: install-check: crosswire clean examples/*"; \
	"$$dir/venv/bin/crosswire" clean --json examples/* > "$$dir/clean.jsonl"; \
	test "$$(wc -l < "$$dir/clean.jsonl")" -eq "$$(ls examples | wc -l)"; \
	echo "make: install-check: crosswire ingest examples/"; \
	"$$dir/venv/bin/crosswire" ingest examples/ --db "$$dir/check.db"; \
	"$$dir/venv/bin/crosswire" stories --db "$$dir/check.db"

bench: $(FULL)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache
