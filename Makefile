# Wuyi developer tasks. Needs only Python 3.11 and git for `make run`; see README.
#
#   make run    - an embedded PostgreSQL 18 (var/pgdata, Unix socket only) + filesystem Celery broker under
#                 var/, demo data, web (PORT, default 8000) + worker + beat; Ctrl-C stops all, the database too
#   make test   - checks the import layers (lint-imports, .importlinter), starts/installs Redis, chromium,
#                 gettext if needed, then pytest on a throw-away embedded PostgreSQL 18 (or on
#                 TEST_DATABASE_URL=postgres://...)
#   make test-pg15 - CI's short compatibility pass on the system PostgreSQL 15 at 127.0.0.1:5432
#   make lint / fmt / messages / clean   (lint: ruff check and lint-imports)

SHELL := /bin/bash

PY ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
VPY := $(VENV)/bin/python
LOCK := requirements/dev-lock.txt
STAMP := $(VENV)/.installed-stamp
VAR_DIR := $(or $(WUYI_VAR_DIR),var)

# `make run` starts the embedded PostgreSQL under $(VAR_DIR)/pgdata and keeps Celery's filesystem broker
# unless you exported DATABASE_URL / CELERY_BROKER_URL yourself; its web app listens on PORT.
PORT ?= 8000
EMBEDDED_PG := $(VPY) scripts/embedded_pg.py --pgdata "$(VAR_DIR)/pgdata"
# Tests: empty TEST_DATABASE_URL = a throw-away embedded PostgreSQL per run (tests/env_defaults.py);
# `make test TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuyi` runs on that server instead.
TEST_DATABASE_URL ?=
PG15_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wuyi_pg15
CELERY_BROKER_URL ?= redis://127.0.0.1:6379/0
PYTEST_ARGS ?=
TEST_ENV := TEST_DATABASE_URL="$(TEST_DATABASE_URL)" CELERY_BROKER_URL="$(CELERY_BROKER_URL)" DJANGO_ALLOW_ASYNC_UNSAFE=true
# CI's compatibility pass on PostgreSQL 15, the oldest major Wuyi supports (15 to 18): migrations, the
# demo data, the append-only and inbox triggers, the budget chain end to end, reminders and oversight SQL
# (about 100 s). Not the inbox prune: its horizon is the whole server's oldest transaction, which another
# test run on the same shared server holds back (it runs in `make test`, on a server of its own).
PG15_TESTS ?= tests/test_settings.py::test_the_database_is_a_supported_postgresql_major \
	tests/core/test_seed_demo.py tests/core/test_events.py tests/workflows/test_budget_spine.py \
	tests/workflows/test_inbox_cache.py tests/notifications/test_calendar_reminders.py \
	tests/oversight/test_scorecard_efficiency_export.py \
	--deselect tests/workflows/test_inbox_cache.py::test_prune_keeps_what_a_live_entry_needs_and_drops_what_every_entry_has_seen

.PHONY: help venv run test test-pg15 lint fmt messages clean

help:
	@echo "make run       start Wuyi on http://127.0.0.1:8000 (PORT=...; embedded PostgreSQL, web, worker, beat; Ctrl-C stops all)"
	@echo "make test      lint-imports, then the test suite (embedded PostgreSQL or TEST_DATABASE_URL, Redis, chromium; PYTEST_ARGS=...)"
	@echo "make test-pg15 the compatibility pass on the system PostgreSQL 15 at 127.0.0.1:5432 (CI)"
	@echo "make lint      ruff check and lint-imports"
	@echo "make fmt       ruff format"
	@echo "make messages  update and compile the zh_Hans translations"
	@echo "make clean     stop the embedded PostgreSQL and remove var/ (its data, uploads, queues)"
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

# The embedded server is stopped when the recipe's shell exits: honcho ended by Ctrl-C (the INT trap
# waits for honcho to stop its processes, then exits), a failed migration, or any other way.
run: venv
	@if (exec 3<>/dev/tcp/127.0.0.1/$(PORT)) 2>/dev/null; then \
		echo "make run: port $(PORT) is busy (something already listens on 127.0.0.1:$(PORT)); choose another: make run PORT=8001" >&2; \
		exit 1; fi
	mkdir -p $(VAR_DIR)/celery/queue $(VAR_DIR)/celery/processed $(VAR_DIR)/celery/control
	bash scripts/ensure-pdf.sh
	@set -e; \
	if [ -z "$${DATABASE_URL:-}" ]; then \
		trap '$(EMBEDDED_PG) stop' EXIT; trap 'exit 130' INT TERM; \
		DATABASE_URL=$$($(EMBEDDED_PG) start); export DATABASE_URL; \
	fi; \
	$(VPY) manage.py migrate --noinput; \
	$(VPY) manage.py seed_demo; \
	export SITE_ROOT="$${SITE_ROOT:-http://127.0.0.1:$(PORT)}"; \
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PYTHONUNBUFFERED=1 $(VENV)/bin/honcho start -f Procfile.dev -p $(PORT)

# ensure-services.sh checks PostgreSQL only when TEST_DATABASE_URL names 127.0.0.1:5432.
# lint-imports first: a broken layer fails in a second, before any server starts.
test: venv
	$(VENV)/bin/lint-imports
	DATABASE_URL="$(TEST_DATABASE_URL)" $(TEST_ENV) bash scripts/ensure-services.sh
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS)

test-pg15: venv
	$(MAKE) --no-print-directory test TEST_DATABASE_URL="$(PG15_DATABASE_URL)" PYTEST_ARGS="$(PG15_TESTS) -q -p no:cacheprovider"

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

fmt: venv
	$(VENV)/bin/ruff format .

messages: venv
	$(VPY) manage.py makemessages -l zh_Hans --no-obsolete -i .venv -i var -i node_modules -i static
	$(VPY) locale/translate.py
	$(VPY) manage.py compilemessages -i .venv -i var -i node_modules

clean:
	if [ -x $(VPY) ] && [ -d "$(VAR_DIR)/pgdata" ]; then $(EMBEDDED_PG) stop; fi
	rm -rf var/ "$(VAR_DIR)/pgdata"

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
