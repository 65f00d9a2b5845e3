# The two commands from the README: `make demo` and `make test`.
.PHONY: demo test bench screenshots clean

PYTHON ?= python3
VENV := .venv
DEMO := build/my-masonite-app

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check --upgrade pip

# The Pulumi program's and the policy pack's hash-checked locks go in their own pip call:
# pip refuses to mix hashed and unhashed requirements in one install.
$(VENV)/installed: requirements-test.txt infra/requirements.txt infra/policy/requirements.txt {{cookiecutter.project_slug}}/requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check --require-hashes \
		-r infra/requirements.txt -r infra/policy/requirements.txt
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $@

# The demo needs only cookiecutter; the generated project installs the rest into its own venv.
$(VENV)/bin/cookiecutter: | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check "$$(grep '^cookiecutter==' requirements-test.txt)"

# Bake the default answers into build/ and serve the project on http://127.0.0.1:8000
# with an embedded Valkey and a local S3 emulator (the project's own `make dev`).
demo: $(VENV)/bin/cookiecutter
	rm -rf $(DEMO)
	$(VENV)/bin/cookiecutter --no-input --output-dir build $(CURDIR)
	$(MAKE) -C $(DEMO) dev

# Create the venv, install the test dependencies (and, as root, a TLS-capable PostgreSQL and headless
# Chromium) and run the whole suite.
test: $(VENV)/installed
	sh tests/support/provide_postgres.sh
	sh tests/support/provide_chromium.sh
	$(VENV)/bin/python -m pytest

# Throughput, cache cost, upload memory, cold boot, slug weight, bake time, database, first run and
# this template's own make test from a fresh clone (commit first; --no-suite skips it), side by side:
# a Markdown table on stdout and build/bench.json, and the same report in docs/benchmarks.md.
bench: $(VENV)/installed
	$(VENV)/bin/python -m tests.benchmarks.run --docs docs/benchmarks.md

# The README's screenshots: the browser tests save them in build/screenshots; keep the latest here.
screenshots: $(VENV)/installed
	sh tests/support/provide_chromium.sh
	rm -rf build/screenshots
	$(VENV)/bin/python -m pytest tests/browser -p no:cacheprovider
	mkdir -p docs/screenshots
	cp build/screenshots/*.png docs/screenshots/

clean:
	rm -rf build $(VENV)
