# Wuyi developer tasks. Needs only Python 3.11 and git for `make run`; see README.
#
#   make run    - SQLite + filesystem Celery broker under var/, demo data, web + worker + beat (Ctrl-C stops all)
#   make test   - starts/installs PostgreSQL, Redis, chromium, gettext if needed, then pytest
#   make lint / fmt / messages / clean

SHELL := /bin/bash

PY ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
VPY := $(VENV)/bin/python
LOCK := requirements/dev-lock.txt
STAMP := $(VENV)/.installed-stamp
VAR_DIR := $(or $(WUYI_VAR_DIR),var)

# Test defaults only: `make run` uses the settings' defaults (SQLite, filesystem broker) unless you
# exported DATABASE_URL / CELERY_BROKER_URL yourself. Override with e.g. `make test DATABASE_URL=...`.
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wuyi
CELERY_BROKER_URL ?= redis://127.0.0.1:6379/0
PYTEST_ARGS ?=
TEST_ENV := DATABASE_URL="$(DATABASE_URL)" CELERY_BROKER_URL="$(CELERY_BROKER_URL)" DJANGO_ALLOW_ASYNC_UNSAFE=true

.PHONY: help venv run test lint fmt messages clean

help:
	@echo "make run       start Wuyi on http://127.0.0.1:8000 (web, worker, beat; Ctrl-C stops all)"
	@echo "make test      run the test suite (PostgreSQL, Redis, chromium; PYTEST_ARGS=... for extra args)"
	@echo "make lint      ruff check"
	@echo "make fmt       ruff format"
	@echo "make messages  update and compile the zh_Hans translations"
	@echo "make clean     remove var/ (local database, uploads, queues)"
	@echo "make venv      create .venv and install requirements/dev-lock.txt"
	@echo "make bench     issue 10's benchmarks (BENCH_SCALE=small|full; prints the table, writes bench/results/)"
	@echo "make chaos     kill/restart worker, Redis and PostgreSQL under load, then check invariants (root)"

venv: $(STAMP)

$(VPY):
	@test -n "$(PY)" || { echo "error: python3.11 (or python3) not found on PATH" >&2; exit 1; }
	$(PY) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "error: '$(PY) -m venv' failed; on Debian/Ubuntu install it with: sudo apt-get install python3-venv" >&2; \
		exit 1; }

# Reinstall only when the lock file changed since the last successful install.
$(STAMP): $(LOCK) | $(VPY)
	$(VPY) -m pip install --disable-pip-version-check -r $(LOCK)
	touch $@

run: venv
	mkdir -p $(VAR_DIR)/celery/queue $(VAR_DIR)/celery/processed $(VAR_DIR)/celery/control
	$(VPY) manage.py migrate --noinput
	$(VPY) manage.py seed_demo
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PYTHONUNBUFFERED=1 $(VENV)/bin/honcho start -f Procfile.dev

test: venv
	$(TEST_ENV) bash scripts/ensure-services.sh
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .

fmt: venv
	$(VENV)/bin/ruff format .

messages: venv
	$(VPY) manage.py makemessages -l zh_Hans --no-obsolete -i .venv -i var -i node_modules -i static
	$(VPY) locale/translate.py
	$(VPY) manage.py compilemessages -i .venv -i var -i node_modules

clean:
	rm -rf var/

# make bench - issue 10's scale dataset and benchmarks (see the README's performance section).
#   BENCH_SCALE=small (default; database wuyi_bench) or full (wuyi_bench_full): the dataset is built by
#   bench/generate.py when the database does not hold it yet; BENCH_DATABASE_URL=... to use another.
#   Prints the table and writes bench/results/latest.json and bench/results/explain-*.txt.
BENCH_SCALE ?= small
BENCH_DATABASE_URL ?=
BENCH_STAMP := $(VENV)/.bench-installed-stamp
.PHONY: bench
# locust (P1's load generator) and its dependencies: requirements/bench-lock.txt = dev-lock + locust.
$(BENCH_STAMP): requirements/bench-lock.txt $(STAMP)
	$(VPY) -m pip install --disable-pip-version-check -r requirements/bench-lock.txt
	touch $@

bench: venv $(BENCH_STAMP)
	DATABASE_URL="$(or $(BENCH_DATABASE_URL),postgres://postgres@127.0.0.1:5432/wuyi_bench)" \
		CELERY_BROKER_URL="$(CELERY_BROKER_URL)" bash scripts/ensure-services.sh
	BENCH_SCALE="$(BENCH_SCALE)" BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" PYTHONUNBUFFERED=1 $(VPY) bench/run.py

# make chaos - issue 10's faults under load: gunicorn, two Celery workers, beat, Redis and PostgreSQL on this
#   machine (127.0.0.1 only), worker kill -9 / Redis restart / PostgreSQL restart while approvals are in flight
#   and a reminder sweep holds claimed rows. CHAOS_ROUNDS=5 (each fault that many times), CHAOS_TIME_LIMIT=600 s.
#   Database wuyi_chaos (recreated; CHAOS_DATABASE_URL=...), broker Redis db 7 (CHAOS_BROKER_URL=...).
#   Prints the table, writes bench/results/chaos-latest.json and .txt, exits 1 when an invariant fails.
#   CAUTION: restarts the machine's PostgreSQL and Redis (a second or two each) for everyone using them.
.PHONY: chaos
chaos: venv
	DATABASE_URL="$(or $(CHAOS_DATABASE_URL),postgres://postgres@127.0.0.1:5432/wuyi_chaos)" \
		CELERY_BROKER_URL="$(CELERY_BROKER_URL)" bash scripts/ensure-services.sh
	PYTHONUNBUFFERED=1 $(VPY) bench/chaos.py
