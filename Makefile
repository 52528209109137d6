# All set-up happens here: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install -q --disable-pip-version-check
HASH := $(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
CORE := $(VENV)/.core-$(HASH)
FULL := $(VENV)/.full-$(HASH)

.PHONY: install demo test bench clean chromium

$(CORE): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -c constraints.txt -e .
	rm -f $(VENV)/.core-*
	touch $(CORE)

# Tests also exercise the optional dense encoders. CPU torch goes first, by exact version: a
# looser spec, asked for by sentence-transformers, would pull the CUDA build (gigabytes).
$(FULL): $(CORE)
	$(PIP) torch==2.13.0
	$(PIP) -c constraints.txt -e '.[test,dense,parquet]'
	rm -f $(VENV)/.full-*
	touch $(FULL)

install: $(CORE)

## Ingest the example articles into the default store and print the stories.
demo: $(CORE)
	$(BIN)/crosswire ingest examples/
	$(BIN)/crosswire stories

test: $(FULL) chromium
	$(BIN)/python -m pytest

# The browser tests drive Debian's chromium through Playwright (never a browser Playwright would
# download). Installed when missing, as root or through sudo; where that fails they skip, saying why.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null \
	  || echo "make: could not install chromium; the browser tests will be skipped" >&2; }

bench: $(FULL)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
