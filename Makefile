# The two commands a newcomer needs: `make run` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SAMPLE := data/sample/manifest.toml

.PHONY: run test test-slow lint typecheck bench bench-convert bench-validate bench-union bench-union-1m corpus-check shacl-diff clean-store install browser

run: $(VENV)/.installed-run vendor
	$(BIN)/lod ingest manifest $(SAMPLE) --if-empty
	$(BIN)/lod index
	$(BIN)/lod archive
	$(BIN)/lod serve

test: $(VENV)/.installed-test browser vendor
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
	@command -v zstd >/dev/null 2>&1 || { \
	  echo "installing zstd (the floor's N-Quads dump, compressed: ~30 GB plain at 1M records)"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q zstd; }
	$(BIN)/python bench/bench_union.py --records 1000000 --zstd --no-chunked

# issue 8: `lod serve` (gunicorn, 2 processes) under wrk at 100,000 records, alone and while an
# expensive SPARQL query runs, beside `oxigraph serve-read-only` answering the same DESCRIBE
.PHONY: bench-web
bench-web: $(VENV)/.installed-test
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "installing Debian's wrk for the web load test"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q wrk; }
	$(BIN)/python bench/bench_web.py --records 100000 --processes 2

# issue 9: the search index built and queried at 100,000 records (bench_web's store) and at 1M
# (its documents multiplied), beside the SPARQL CONTAINS scan it replaces
.PHONY: bench-search
bench-search: $(VENV)/.installed-test
	$(BIN)/python bench/bench_search.py

# issue 11: the development fuzz run, over a million inputs on one core (FUZZ_MINUTES to change its
# length); `make test` runs the short CI profile of tests/fuzz, LOD_FUZZ=dev pytest tests/fuzz a longer one
FUZZ_MINUTES ?= 40
.PHONY: fuzz
fuzz: $(VENV)/.installed-test
	$(BIN)/python bench/fuzz.py --minutes $(FUZZ_MINUTES)

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

# The SPARQL page's editor: YASGUI from the npm registry, one pinned tarball checked against its
# integrity, of which only the built files are kept (the bundle holds its dependencies). Without
# npm, or when the registry cannot be reached, a note is printed and the page keeps its plain form.
YASGUI_VERSION   := 4.6.2
YASGUI_INTEGRITY := sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw==
YASGUI           := var/vendor/yasgui
YASGUI_PACK      := build/yasgui

.PHONY: vendor
vendor: $(YASGUI)/.installed-$(YASGUI_VERSION)

$(YASGUI)/.installed-$(YASGUI_VERSION):
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "note: npm is not installed, so the SPARQL page keeps its plain form (apt-get install npm, then make vendor, gives it the YASGUI editor)"; \
	  exit 0; \
	fi; \
	rm -rf $(YASGUI) $(YASGUI_PACK) && mkdir -p $(YASGUI_PACK); \
	echo "npm pack @zazuko/yasgui@$(YASGUI_VERSION)"; \
	if ! npm pack --silent --ignore-scripts --json --pack-destination $(YASGUI_PACK) \
	     @zazuko/yasgui@$(YASGUI_VERSION) > $(YASGUI_PACK)/pack.json; then \
	  echo "note: npm could not fetch @zazuko/yasgui, so the SPARQL page keeps its plain form"; \
	  exit 0; \
	fi; \
	grep -qF '"integrity": "$(YASGUI_INTEGRITY)"' $(YASGUI_PACK)/pack.json || { \
	  echo "@zazuko/yasgui@$(YASGUI_VERSION) does not have the pinned integrity: not installed"; exit 1; }; \
	mkdir -p $(YASGUI) && tar -xzf $(YASGUI_PACK)/zazuko-yasgui-$(YASGUI_VERSION).tgz -C $(YASGUI) \
	  --strip-components=1 package/package.json package/build/yasgui.min.js package/build/yasgui.min.css && \
	touch $@

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
