# The two commands that matter: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

.PHONY: run test serve bench busyday cluster clustertest loadtest lint format clean setup html-checker port-free

# The port of `make run` and `make serve`: make run PORT=8001
PORT ?= 8000

# The Nu HTML Checker for the HTML validity test, from npm into a git-ignored folder (needs Java to run).
VNU_JAR := .cache/node/node_modules/vnu-jar/build/dist/vnu.jar
HTML_CHECKER := $(if $(shell command -v npm 2>/dev/null),$(VNU_JAR),)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# This checkout's own development secret key (git-ignored; read only with DJANGO_DEBUG=1).
DEV_KEY := .dev-secret-key

$(DEV_KEY): | $(STAMP)
	$(BIN)/python -m clinic_site.development_key $(DEV_KEY)

## make setup: the virtualenv with the requirements, and the development key
setup: $(STAMP) $(DEV_KEY)

$(VNU_JAR):
	mkdir -p .cache/node
	npm install --prefix .cache/node --no-audit --no-fund --ignore-scripts --loglevel=error vnu-jar@26

## make html-checker: install vnu.jar (the test that runs it is skipped without it, or without Java)
html-checker: $(VNU_JAR)

# Before any set-up: a taken port is said at once, not after the install and the migrations.
port-free:
	$(PYTHON) bin/port_free.py 127.0.0.1 $(PORT)

## make run: set up, migrate, load the demo content, start http://127.0.0.1:8000 (PORT=8001 for another port)
## and a task worker; Ctrl+C stops both
run: port-free setup
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) PORT=$(PORT) bash bin/dev

## make test: set up, lint, format check, Django checks, migration check, then the whole test suite,
## one worker per CPU (each worker runs the tests that flush the database after the others: conftest.py)
test: setup $(HTML_CHECKER)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/python manage.py check
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n auto

## make serve: the site as in production (DEBUG off, collected static, gunicorn, a task worker) on 127.0.0.1:8000 (or PORT)
serve: port-free $(STAMP)
	GUNICORN_BIND=127.0.0.1:$(PORT) bash bin/serve

bench: $(STAMP)
	$(BIN)/python bench/run.py

loadtest: $(STAMP) $(HTML_CHECKER)
	$(BIN)/python bench/loadtest.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles artifacts .pytest_cache .ruff_cache

## make busyday: only the busy-day part of make bench (Zipf reads while a moderator approves comments)
busyday: $(STAMP)
	$(BIN)/python bench/busy_day.py

## make cluster: nginx, three web instances, PostgreSQL, Redis and object storage on loopback (Ctrl+C stops)
cluster: $(STAMP)
	$(BIN)/python cluster/harness.py

## make clustertest: drive that cluster through nginx and prove it survives edits, logins, uploads and failures
clustertest: $(STAMP)
	$(BIN)/python cluster/clustertest.py
