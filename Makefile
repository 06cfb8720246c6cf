# Minga: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PIP_AUDIT_SERVICE ?= pypi

.PHONY: install translations messages run test lint format check-deploy migrate demo bench clean audit bandit pip-audit

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

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Before a release: the schema fuzzing of `make test` (tests/fuzz, 10 examples per operation) with
# 200 examples and the coverage phase; roughly half an hour on 2 cores (docs/testing.md).
MINGA_FUZZ_EXAMPLES ?= 200
.PHONY: fuzz
fuzz: install
	MINGA_FUZZ_EXAMPLES=$(MINGA_FUZZ_EXAMPLES) MINGA_FUZZ_COVERAGE=1 $(BIN)/python -m pytest -m fuzz $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
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

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')} \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
