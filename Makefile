# qet-geo — two commands matter: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The venv is made from Debian's python3 (where PyQGIS lives) when it can make venvs;
# elsewhere from the python3 on PATH (enough for the library, the CLI and `make demo`).
SYSTEM_PYTHON ?= $(shell /usr/bin/python3 -c 'import venv, ensurepip' >/dev/null 2>&1 && echo /usr/bin/python3 || echo python3)
VENV ?= .venv
PY := $(VENV)/bin/python
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
PLUGIN_ZIP := dist/qet_geo_plugin-$(VERSION).zip
QGIS_DEBS := python3-qgis qgis-providers qgis python3-venv qttools5-dev-tools
# a real browser for the web map, PDF rendering for the poster, a screen for the QGIS window
TOOL_DEBS := chromium chromium-driver poppler-utils xvfb xauth
export QT_QPA_PLATFORM ?= offscreen

.PHONY: help demo test test-unit test-qgis qgis venv ngc ngc-data ngc-reference plugin i18n lint format bench clean

help:
	@echo "make demo   run the whole job on sample_data/ (writes out/)"
	@echo "make test   install what the tests need (QGIS included) and run every test"
	@echo "make plugin build $(PLUGIN_ZIP)"
	@echo "make ngc-data  rewrite the model rules, band footprints and band actions from the pinned engine"
	@echo "make ngc-reference  rerun the Nos Gestes Climat engine on the reference situations"
	@echo "make lint | bench | clean"

$(VENV)/.installed: pyproject.toml
	$(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

# Debian's QGIS (3.22 LTR on Debian 12) with PyQGIS and qgis_process; lrelease for i18n.
qgis:
	@if ! /usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1 || [ ! -x /usr/bin/qgis_process.bin ] \
	     || ! command -v lrelease >/dev/null || ! /usr/bin/python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  echo "Installing QGIS from Debian: $(QGIS_DEBS)"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(QGIS_DEBS) >/dev/null; \
	fi
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v pdftoppm >/dev/null \
	     || ! command -v xvfb-run >/dev/null || ! command -v xauth >/dev/null; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  echo "Installing $(TOOL_DEBS)"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(TOOL_DEBS) >/dev/null; \
	fi
	@# a venv made before QGIS was installed cannot see PyQGIS: make it again
	@if [ -x $(PY) ] && ! $(PY) -c 'import qgis.core' >/dev/null 2>&1; then rm -rf $(VENV); fi

demo: venv
	$(PY) -m qet_geo.cli run sample_data/qet-geo.toml

test: qgis
	$(MAKE) venv SYSTEM_PYTHON=/usr/bin/python3
	$(MAKE) i18n ngc
	$(MAKE) test-unit test-qgis

# The official Nos Gestes Climat engine, pinned (tools/ngc/package-lock.json): the reference
# for footprints. npm only, no install scripts (docs/footprints.md); skipped where Node is absent.
ngc: tools/ngc/node_modules/.installed

tools/ngc/node_modules/.installed: tools/ngc/package.json tools/ngc/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund --prefix tools/ngc && touch $@; \
	else echo "npm not found: the live Nos Gestes Climat engine checks will be skipped (its stored results are still compared)"; fi

# The data qet-geo takes from the pinned engine (qet_geo/footprint/data/): the extracted rules,
# the band footprints and the band actions; tests/unit/test_ngc_reference.py and
# test_footprint_actions.py say when they are stale.
ngc-data: ngc
	node tools/ngc/extract.mjs
	node tools/ngc/su_bands.mjs
	node tools/ngc/su_actions.mjs

# The engine's results for the reference situations, stored (the 400 situations take minutes):
# run this when tools/ngc's pins or the situations change (tests/unit/test_ngc_stored.py says so).
ngc-reference: venv ngc
	PYTHONPATH=$(CURDIR) $(PY) tests/unit/ngc_stored.py

# --durations: the slowest tests in the log (`make test` must stay under 10 minutes)
# Unit tests on two workers, a test file per worker (measured at load 2: 8 min 12 s on one,
# 5 min 56 s on two); UNIT_WORKERS=0 runs them in one process.
UNIT_WORKERS ?= 2
test-unit: venv
	$(PY) -m pytest -p no:pytest_qgis -p no:cacheprovider --durations=15 \
	  $(if $(filter-out 0,$(UNIT_WORKERS)),-n $(UNIT_WORKERS) --dist loadfile) tests/unit

test-qgis: venv i18n
	$(PY) -m pytest -p no:cacheprovider --durations=15 tests/qgis

# Translations: i18n/*.ts (committed) -> i18n/*.qm (built, not committed)
i18n: $(patsubst %.ts,%.qm,$(wildcard i18n/*.ts))

i18n/%.qm: i18n/%.ts
	lrelease -silent $< -qm $@

plugin: $(PLUGIN_ZIP)

PLUGIN_FILES := __init__.py metadata.txt LICENSE requirements.txt plugin algorithms qet_geo sample_data help
$(PLUGIN_ZIP): i18n $(shell git ls-files $(PLUGIN_FILES) 2>/dev/null)
	rm -rf dist/build && mkdir -p dist/build/qet_geo_plugin/i18n
	cp -r $(PLUGIN_FILES) dist/build/qet_geo_plugin/
	cp i18n/*.qm dist/build/qet_geo_plugin/i18n/
	rm -f dist/build/qet_geo_plugin/sample_data/generate.py dist/build/qet_geo_plugin/sample_data/README.md  # the example: its data, not its generator
	find dist/build \( -name __pycache__ -o -name '*.pyc' -o -name '*.egg-info' \) -prune -exec rm -rf {} +
	rm -f $@ && cd dist/build && ../../$(PY) -m zipfile -c ../$(notdir $@) qet_geo_plugin
	rm -rf dist/build
	@echo "built $@"

lint: venv
	$(VENV)/bin/ruff check qet_geo algorithms plugin tests bench sample_data i18n __init__.py
	$(VENV)/bin/ruff format --check qet_geo algorithms plugin tests bench sample_data i18n __init__.py
	@# the layers of the library ([tool.importlinter] in pyproject.toml; tests/unit/test_layering.py)
	PYTHONPATH=$(CURDIR) $(VENV)/bin/lint-imports --no-cache

format: venv
	$(VENV)/bin/ruff format qet_geo algorithms plugin tests bench sample_data i18n __init__.py

bench: venv
	$(PY) bench/bench_import.py
	$(PY) bench/bench_import.py --comments
	$(PY) bench/bench_footprint.py
	$(PY) bench/bench_profiles.py
	$(PY) bench/bench_areas.py
	$(PY) bench/bench_transit.py
	$(PY) bench/bench_gtfs_read.py
	$(PY) bench/bench_webmap.py

clean:
	rm -rf out dist i18n/*.qm .pytest_cache
