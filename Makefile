# Minga: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PIP_AUDIT_SERVICE ?= pypi

.PHONY: install translations messages run test lint format check-deploy migrate demo bench bench-oscar-install bench-clearing bench-scaling soak wrk clean audit bandit pip-audit

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Minga needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)
	@$(BIN)/python manage.py compile_translations --verbosity 0

# Pure-Python compile of locale/*/LC_MESSAGES/django.po (Babel); no GNU gettext needed.
translations: install

# Extract new strings into the catalogues (needs GNU gettext: apt-get install gettext); then
# translate them in locale/es and locale/pt_BR (docs/i18n.md).
messages: install
	$(BIN)/python manage.py makemessages $(MESSAGES_ARGS) --no-obsolete --add-location=file

MESSAGES_ARGS := -l es -l pt_BR --ignore=.venv --ignore=tests --ignore=benchmarks --ignore=tools \
	--ignore=staticfiles --ignore=var --ignore=media --ignore=build

migrate: install
	@mkdir -p "$${MINGA_VAR_DIR:-var}"  # SQLite creates its file, not the folder it lives in
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving Minga on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite on PYTEST_WORKERS processes (pytest-xdist, one test database each), then the tests
# marked `faults` alone: they stop the PostgreSQL every worker uses (docs/testing.md). Exit code 5
# (nothing collected, e.g. PYTEST_ARGS names a folder without fault tests) is not a failure.
# FAULT_ARGS: the serial step's arguments (PYTEST_ARGS by default); CI names the one file the
# fault tests live in (tests/conftest.py keeps them there) instead of collecting the suite again.
PYTEST_WORKERS ?= auto
FAULT_ARGS ?= $(PYTEST_ARGS)
test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=25 $(PYTEST_ARGS)
	$(BIN)/python -m pytest -p no:xdist $(FAULT_ARGS) -m faults || [ $$? -eq 5 ]

# Before a release: the schema fuzzing of `make test` (tests/fuzz, 10 examples per operation) with
# 200 examples, the coverage phase and every check; about 1 hour on 2 quiet cores, 2 on shared
# ones (docs/testing.md, "The release run").
MINGA_FUZZ_EXAMPLES ?= 200
.PHONY: fuzz
fuzz: install
	MINGA_FUZZ_EXAMPLES=$(MINGA_FUZZ_EXAMPLES) MINGA_FUZZ_COVERAGE=1 MINGA_FUZZ_CHECKS=all \
		$(BIN)/python -m pytest -m fuzz $(PYTEST_ARGS)

# lint-imports: the layers of docs/architecture.md, as contracts in pyproject.toml.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Security checks (docs/security.md). bandit reads our code only, so it runs anywhere (CI runs
# it). pip-audit asks a vulnerability service (PyPI's per-version JSON API, or OSV with
# PIP_AUDIT_SERVICE=osv) about every installed package; --strict fails when one could not be
# checked, so a machine that cannot reach the service fails loudly instead of passing silently.
bandit: install
	$(BIN)/bandit -c pyproject.toml -q -r .

pip-audit: install
	$(BIN)/pip-audit --local --strict --skip-editable --progress-spinner off \
		--vulnerability-service $(PIP_AUDIT_SERVICE)

audit: bandit pip-audit

# The production profile refuses SQLite and a per-process cache; `check` connects to neither, so
# placeholders do when the environment names none.
check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DATABASE_URL=$${DATABASE_URL:-postgres://minga@127.0.0.1:5432/minga} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	SECRET_KEY=$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')} \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Load benchmarks on PostgreSQL (benchmarks/README.md): gunicorn with the production settings on
# loopback, driven by wrk. DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/minga_bench.
# LISTINGS (100000), BENCH_SECONDS (10), BENCH_WORKERS (3), BENCH_THREADS (1), BENCH_CONNECTIONS.
BENCH_DATABASE_URL ?= $(if $(DATABASE_URL),$(DATABASE_URL),postgres://postgres@127.0.0.1:5432/minga_bench)

wrk:
	@command -v wrk >/dev/null || { \
		echo "Installing Debian's wrk (the load generator)"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk \
		|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends wrk; } \
		|| { echo "wrk is missing: apt-get install wrk (as root)"; exit 1; }; }

# `make bench` measures django-oscar-api's product list beside Minga's (benchmarks/oscar_bench.py)
# when its own virtualenv installs; BENCH_ARGS=--no-oscar leaves it out.
bench: install wrk bench-clearing
	@$(MAKE) --no-print-directory bench-oscar-install \
		|| echo "django-oscar-api did not install: measuring Minga alone"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python benchmarks/run.py bench \
		$$(test -f $(OSCAR_STAMP) && echo --with-oscar) $(BENCH_ARGS)

# django-oscar-api and its Oscar shop (benchmarks/oscar/) in their own virtualenv, never in Minga's.
OSCAR_VENV := .venv-oscar
OSCAR_STAMP := $(OSCAR_VENV)/.installed
$(OSCAR_STAMP): benchmarks/oscar/requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer"'
	$(PYTHON) -m venv $(OSCAR_VENV)
	$(OSCAR_VENV)/bin/python -m pip install --quiet -r benchmarks/oscar/requirements.txt
	@touch $(OSCAR_STAMP)

bench-oscar-install: $(OSCAR_STAMP)

# The clearing solver on 10,000 random invoices among 1,000 cooperatives (in memory, no database;
# CLEARING_ARGS="--invoices N --cooperatives N --runs N"); fails past the 10 s target.
bench-clearing: install
	$(BIN)/python benchmarks/clearing.py $(CLEARING_ARGS)

# Search and list p50 at 10k, 100k and 1M listings (SIZES=...); one database per size
# (<database>_10k, ...), kept between runs. Seeding 1M takes 10-20 minutes the first time.
bench-scaling: install wrk
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python benchmarks/run.py scaling $(BENCH_ARGS)

# A bounded soak (SOAK_SECONDS, 180) at ~80% of the measured maximum: reads and checkouts.
soak: install wrk
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python benchmarks/run.py soak $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(OSCAR_VENV) var .pytest_cache .ruff_cache .mypy_cache
