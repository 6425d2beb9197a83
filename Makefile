# corehub: two commands set everything up on a fresh machine.
#   make demo   install into .venv and run the main job on the embedded SQLite default
#   make test   install and run the whole suite (lint, types, tests, wheels end to end)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PLUGINS := plugins/self_assessment plugins/training_tracker plugins/feedback plugins/quality
DEMO_DIR ?= demo-workspace
# Debian libraries WeasyPrint needs (harfbuzz-subset makes font subsetting 1.7x faster),
# the fonts text falls back to for what Inter does not draw (colour emoji; arrows, ticks,
# stars and other symbols in DejaVu), poppler-utils for pdftotext/pdftoppm in tests, and
# chromium for the browser tests.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-color-emoji \
  fonts-dejavu-core poppler-utils chromium
# axe-core, the accessibility engine the browser tests run on every page, from the npm
# registry at a pinned version, checked against its published sha512 before it is used.
AXE_VERSION := 4.14.1
AXE_SHA512 := 1477dafa598d8d065f273d6af302aa203c02e83131707b7fa648cd41bd3d6b734f8c22a0dab86ee6a6f64b8afbe804b214d36db85a2826965edfb3a0b9d546b5
AXE := $(VENV)/axe-core/axe.min.js

.PHONY: demo test install system-deps lint typecheck docs pytest dist wheel-e2e bench clean messages compile-messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml $(wildcard plugins/*/pyproject.toml) requirements-dev.txt
	@echo "Installing corehub, its plugins and the development tools into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/pip install -e . $(foreach p,$(wildcard $(PLUGINS)),-e $(p)) -r requirements-dev.txt \
	  > $(VENV)/install.log 2>&1 || { tail -40 $(VENV)/install.log; exit 1; }
	@touch $@

install: system-deps $(VENV)/.installed $(AXE)

$(AXE): | $(BIN)/python
	@rm -rf $(VENV)/axe-core.tmp && mkdir -p $(VENV)/axe-core.tmp
	@command -v npm >/dev/null || { echo "npm is needed to fetch axe-core for the browser tests (Node.js)"; exit 1; }
	@cd $(VENV)/axe-core.tmp && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null
	@sha512sum $(VENV)/axe-core.tmp/axe-core-$(AXE_VERSION).tgz | grep -q '^$(AXE_SHA512)' \
	  || { echo "axe-core $(AXE_VERSION): the download does not match its checksum"; exit 1; }
	@tar -xzf $(VENV)/axe-core.tmp/axe-core-$(AXE_VERSION).tgz -C $(VENV)/axe-core.tmp
	@mkdir -p $(VENV)/axe-core && mv $(VENV)/axe-core.tmp/package/axe.min.js $@.tmp && mv $@.tmp $@
	@rm -rf $(VENV)/axe-core.tmp

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: install
	rm -rf $(DEMO_DIR)
	$(BIN)/corehub demo $(DEMO_DIR)

lint: install
	$(BIN)/ruff check corehub plugins tests benchmarks $(wildcard docs/examples)
	$(BIN)/ruff format --check corehub plugins tests benchmarks $(wildcard docs/examples)
	$(BIN)/lint-imports --no-cache

# The reference of the public surface (docs/reference/), generated from docstrings and types
# by mkdocstrings, built in strict mode: a broken reference or link fails the build.
docs: install
	$(BIN)/mkdocs build --strict --quiet --site-dir build/site

typecheck: install
	$(BIN)/mypy
	for p in $(PLUGINS); do $(BIN)/mypy $$p/corehub_$$(basename $$p) || exit 1; done

pytest: install
	$(BIN)/pytest -q -n 2

test: lint typecheck docs pytest wheel-e2e

# Translations: every distribution ships its own gettext domain, corehub's in corehub/locale,
# a plugin's in plugins/<x>/corehub_<x>/locale. `make messages` extracts the strings into the
# .pot and merges them into each language's .po; translate, then `make compile-messages`.
# Compiled .mo files are committed (editable installs and the wheels use them as they are);
# `dist` compiles again so a wheel never ships a catalog older than its .po. A .mo is only
# rewritten when its translations change (tools/compile_messages.py), so compiling with
# another Babel version than the one that wrote it leaves the work tree clean.
LANGUAGES := es da sv
CATALOGS := corehub:corehub $(foreach p,$(PLUGINS),$(p)/corehub_$(notdir $(p)):corehub_$(notdir $(p)))
# `make messages DOMAIN=corehub_feedback` (or compile-messages) works on one catalog only.
ifdef DOMAIN
CATALOGS := $(filter %:$(DOMAIN),$(CATALOGS))
endif

messages: install
	@for entry in $(CATALOGS); do \
	  dir=$${entry%%:*}; domain=$${entry##*:}; \
	  mkdir -p $$dir/locale; \
	  $(BIN)/pybabel -q extract -F babel.cfg -k N_ -k M_ --no-location --sort-output \
	    --project=$$domain -o $$dir/locale/$$domain.pot $$dir || exit 1; \
	  for lang in $(LANGUAGES); do \
	    if [ -f $$dir/locale/$$lang/LC_MESSAGES/$$domain.po ]; then \
	      $(BIN)/pybabel -q update --no-fuzzy-matching -D $$domain -l $$lang \
	        -i $$dir/locale/$$domain.pot -d $$dir/locale || exit 1; \
	    else \
	      $(BIN)/pybabel -q init -D $$domain -l $$lang -i $$dir/locale/$$domain.pot -d $$dir/locale || exit 1; \
	    fi; \
	  done; \
	done

compile-messages: install
	@for entry in $(CATALOGS); do \
	  dir=$${entry%%:*}; domain=$${entry##*:}; \
	  [ -d $$dir/locale ] || continue; \
	  $(PY) tools/compile_messages.py $$domain $$dir/locale || exit 1; \
	done

dist: install compile-messages
	rm -rf dist
	$(BIN)/python -m build --wheel --outdir dist . >/dev/null
	for p in $(PLUGINS); do [ -d $$p ] && $(BIN)/python -m build --wheel --outdir dist $$p >/dev/null; done
	@ls dist

wheel-e2e: dist
	bash tests/e2e/wheels.sh dist

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) dist build $(DEMO_DIR) .ruff_cache .mypy_cache
