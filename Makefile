# The two commands a newcomer needs: `make run` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SAMPLE := data/sample/manifest.toml

.PHONY: run test test-slow lint typecheck bench bench-convert bench-validate bench-union bench-union-1m corpus-check shacl-diff clean-store install browser

run: $(VENV)/.installed-run
	$(BIN)/lod ingest manifest $(SAMPLE) --if-empty
	$(BIN)/lod serve

test: $(VENV)/.installed-test browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory typecheck
	$(BIN)/pytest -n 2

test-slow: $(VENV)/.installed-test browser
	$(BIN)/pytest -n 2 -m slow

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory typecheck

bench: $(VENV)/.installed-test
	$(BIN)/python bench/bench_ingest.py

bench-convert: $(VENV)/.installed-test
	$(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python bench/bench_convert.py

corpus-check: $(VENV)/.installed-test
	$(BIN)/python bench/corpus_check.py --quiet

shacl-diff: $(VENV)/.installed-test
	cd bench && ../$(BIN)/python shacl_diff.py

bench-validate: $(VENV)/.installed-test
	$(BIN)/python bench/bench_validate.py

# issue 7: ingest + cluster beside one bulk_load of the same quads; the 1M run skips that floor
# (it needs about 55 GB of disk for the store alone, and another store for the floor)
bench-union: $(VENV)/.installed-test
	$(BIN)/python bench/bench_union.py --records 10000 100000

bench-union-1m: $(VENV)/.installed-test
	$(BIN)/python bench/bench_union.py --records 1000000 --no-floor

install: $(VENV)/.installed-run

$(BIN)/python:
	@echo "$(PYTHON) -m venv $(VENV)"
	@$(PYTHON) -m venv $(VENV) || { \
	  echo "python3 -m venv failed: installing Debian's python3-venv"; rm -rf $(VENV); \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

# The page tests drive a real browser: Debian's chromium.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the page tests"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

clean-store:
	rm -rf var/store

# mypy cannot follow setuptools' editable `package-dir` mapping (lod.converters -> converters/,
# lod.web -> web/), so it checks a tree of symlinks laid out as the installed package.
typecheck: $(VENV)/.installed-test
	@rm -rf build/typecheck && mkdir -p build/typecheck/lod
	@for f in lod/*; do ln -s "$(CURDIR)/$$f" build/typecheck/lod/; done
	@ln -s "$(CURDIR)/converters" build/typecheck/lod/converters
	@ln -s "$(CURDIR)/web" build/typecheck/lod/web
	cd build/typecheck && ../../$(BIN)/mypy --config-file ../../pyproject.toml -p lod
