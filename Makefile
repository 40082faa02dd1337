# Canlian: `make demo` and `make test` set everything up themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/canlian
SIZE ?= 10000

.PHONY: demo test lint install chromium postgres bench backup restore

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the browser tests; a test tool's own browser download does not work here.
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  echo "Starting the local PostgreSQL cluster"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | sort -V | tail -1) main start; \
	  for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

TEST_ENV := DEBUG=1 SECRET_KEY=test-only TASK_BACKEND=django_tasks.backends.immediate.ImmediateBackend

# The whole suite on PostgreSQL; then, on SQLite (the demo's database, which must give the
# same results), the test files the apps declare (`sqlite_tests` of each declaration.py:
# the money rules, the indicators computed from them, the rehab service years kept by
# triggers, the refresh queue, a reimport's changes, a flush past the area triggers).
test: install chromium postgres lint
	$(TEST_ENV) DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -n 2 --dist loadfile --no-loadscope-reorder -q
	files=$$($(TEST_ENV) $(PY) manage.py sqlite_tests) && test -n "$$files" && \
	  $(TEST_ENV) DATABASE_URL=sqlite:///$(CURDIR)/var/test-sqlite.sqlite3 $(VENV)/bin/pytest -n 2 --dist loadfile --no-loadscope-reorder -q $$files

demo: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py collectstatic --noinput -v 0
	DEBUG=1 $(PY) manage.py seed_demo --all --persons 9100 --seed 1
	@echo "Starting the background worker (imports) and the web server on http://127.0.0.1:8000"
	DEBUG=1 $(PY) manage.py db_worker --interval 0.5 >var/worker.log 2>&1 & \
	  trap "kill $$! 2>/dev/null" EXIT; \
	  DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# Benchmark (issue 4): a synthetic registry of SIZE persons in its own database
# canlian_bench_SIZE, then the measurements; updates docs/performance.md. BENCH_ARGS is
# passed to bench/run.py (e.g. BENCH_ARGS="--runs 3 --explain").
bench: install postgres
	$(PY) bench/generate.py --size $(SIZE)
	$(PY) bench/run.py --size $(SIZE) $(BENCH_ARGS)

# A copy of the whole database (DATABASE_URL, else the demo's SQLite file) into
# var/backups/; `make restore FILE=var/backups/canlian-....dump` puts one back (it asks first).
backup: install
	$(PY) manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "用法：make restore FILE=备份文件"; exit 2; }
	$(PY) manage.py restore "$(FILE)"
