# Telar — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Test processes (pytest-xdist): one per core; TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto
export PORT
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo messages ci bench lint clean e2e

# The server installs requirements.txt only; tests, lint and the benchmark add requirements-dev.txt.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# axe-core for the browser journeys' accessibility checks (test-only; the site has no Node dependency).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	-command -v npm >/dev/null && npm ci --no-audit --no-fund --silent && touch $@

install: $(STAMP)

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_curriculum
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install $(AXE)
	mkdir -p var
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# Update and compile the message catalogues: make messages [APP=people]
messages: install
	cd $(if $(APP),$(APP),.) && DJANGO_SETTINGS_MODULE=lms.settings.dev PYTHONPATH=$(CURDIR) $(CURDIR)/$(PY) -P -m django makemessages -l es -l en --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=staticfiles --ignore=tests --ignore=bench
	$(PY) -m lms.pofill $(if $(APP),$(APP),.)
	cd $(if $(APP),$(APP),.) && DJANGO_SETTINGS_MODULE=lms.settings.dev PYTHONPATH=$(CURDIR) $(CURDIR)/$(PY) -P -m django compilemessages --ignore=.venv

# Measured budgets: a realistic data set under var/bench/, pages, load (wrk + gunicorn), PDFs → bench/RESULTS.md.
# make bench [BENCH_ARGS="--scale small --duration 5"]
bench: install
	mkdir -p var
	$(PY) -m bench.run $(BENCH_ARGS)

# The real-browser journeys alone (Playwright + /usr/bin/chromium; skipped with the reason without it).
e2e: install $(AXE)
	mkdir -p var
	$(PY) -m pytest tests/e2e -m e2e $(PYTEST_ARGS)

ci:
	bash .ci/run

clean:
	rm -rf var staticfiles .pytest_cache
