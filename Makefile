# Mustafid: two commands set everything up (see README.md).
#   make run   venv, install, migrate, seed demo data, serve on 127.0.0.1:8000 with the task worker
#   make test  the whole suite
#   make bench-registry  registry search and import figures at scale (DATABASE_URL: PostgreSQL)
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint messages venv bench-registry

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

venv: $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	exec scripts/serve

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l ar -l en --no-location --ignore=.venv --ignore=var \
		--ignore=benchmarks --ignore=scripts --ignore='tests/*' --ignore='*/tests/*'
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Generates 200,000 synthetic households (about 1,000,000 people) into its own database,
# mustafid_bench, next to the one DATABASE_URL names; a second run reuses them.
BENCH_HOUSEHOLDS ?= 200000
bench-registry: $(STAMP)
	$(BIN)/python benchmarks/registry.py --households $(BENCH_HOUSEHOLDS)
	$(BIN)/python benchmarks/imports.py --households $(BENCH_HOUSEHOLDS)
