# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint types pytest schema bench install stripe-mock clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

stripe-mock: $(STAMP)
	$(BIN)/billing-portal stripe-mock --install-only

run: install stripe-mock
	$(BIN)/billing-portal migrate
	$(BIN)/billing-portal serve

test: install stripe-mock
	$(MAKE) check

check: lint types pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types:
	$(BIN)/mypy .

pytest:
	$(BIN)/pytest

schema: install
	$(BIN)/billing-portal export-schema > schema.graphql

bench: install stripe-mock
	$(BIN)/billing-portal bench

clean:
	rm -rf $(VENV) .bin var .mypy_cache .ruff_cache .pytest_cache
