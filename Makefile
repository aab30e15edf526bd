# Collab: `make run` serves the app, `make test` runs the whole suite. See README.md.
VENV      := .venv
PY        := $(VENV)/bin/python
FLASK     := $(VENV)/bin/flask
PYTHON    ?= python3
# pytest-xdist workers: one per core (each has its own SQLite file and PostgreSQL database; tests/conftest.py).
# The run ends with its 20 slowest tests: the suite stays fast only if someone looks (issue 14).
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
export FLASK_APP := collab:create_app
# Some machines set PYTHONDONTWRITEBYTECODE: then every process compiles the app again, and each pytest worker
# rewrites every test module's asserts again (collection took 10 s a worker instead of 5).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run run-cluster test install install-runtime bundle browser lint js-check bench clean

run: install-runtime bundle
	@mkdir -p instance
	$(FLASK) db upgrade
	@if [ ! -f instance/.demo-loaded ]; then $(FLASK) collab demo && touch instance/.demo-loaded; fi
	COLLAB_SECURE_COOKIES=$${COLLAB_SECURE_COOKIES:-0} $(PY) wsgi.py

# The production shape on one machine: PostgreSQL, Redis, one eventlet process per core (CLUSTER_PROCESSES=N)
# and nginx in front on port 8080 (CLUSTER_PORT); docs/deployment.md.
run-cluster: install-runtime bundle
	bash scripts/run-cluster.sh

test: install bundle browser js-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist worksteal --durations=20

# Two locks with hashes (README, "Dependencies"): requirements/runtime.txt is what production installs;
# requirements/dev.txt adds the tools (pytest, Playwright, ruff, mypy) with the same runtime pins.
install: $(VENV)/.installed-dev

install-runtime: $(VENV)/.installed-runtime

$(VENV)/.installed-runtime: requirements/runtime.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check --require-hashes -r requirements/runtime.txt
	$(VENV)/bin/pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: requirements/dev.txt $(VENV)/.installed-runtime
	$(VENV)/bin/pip install -q --disable-pip-version-check --require-hashes -r requirements/dev.txt
	@touch $@

bundle: static/dist/.built

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/dist/.built: node_modules/.installed $(wildcard static/src/*.js) scripts/build-bundle.sh scripts/build-workspace.mjs
	bash scripts/build-bundle.sh
	@touch $@

browser:
	@bash scripts/install-browser.sh

# The browser code: ESLint, then its unit tests under Node's own test runner (files listed by the shell: Node 21+
# no longer searches a directory given to --test).
js-check: node_modules/.installed
	node_modules/.bin/eslint static/src static/test eslint.config.js
	node --test static/test/*.test.mjs

lint: install
	$(VENV)/bin/ruff check .

bench: install bundle
	$(PY) bench/realtime.py --quick

clean:
	rm -rf $(VENV) node_modules static/dist
