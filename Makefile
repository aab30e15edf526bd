# Collab: `make run` serves the app, `make test` runs the whole suite. See README.md.
VENV      := .venv
PY        := $(VENV)/bin/python
FLASK     := $(VENV)/bin/flask
PYTHON    ?= python3
export FLASK_APP := collab:create_app

.PHONY: run test install bundle browser lint js-check bench clean

run: install bundle
	@mkdir -p instance
	$(FLASK) db upgrade
	@if [ ! -f instance/.demo-loaded ]; then $(FLASK) collab demo && touch instance/.demo-loaded; fi
	COLLAB_SECURE_COOKIES=$${COLLAB_SECURE_COOKIES:-0} $(PY) wsgi.py

test: install bundle browser js-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.lock
	$(VENV)/bin/pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

bundle: static/dist/.built

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/dist/.built: node_modules/.installed $(wildcard static/src/*.js) scripts/build-bundle.sh
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
