# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint types pytest schema migrations bench mutation install stripe-mock clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The package, then GraphiQL's scripts and styles (pinned in billing_portal/graphiql_assets.py)
# from the npm registry into var/graphiql, so GraphiQL works offline (without npm: from a CDN).
install: $(STAMP)
	$(BIN)/python -m billing_portal.graphiql_install

# Finds stripe-mock (STRIPE_MOCK_BIN, PATH, ./.bin) or builds the pinned tag into ./.bin with Go.
stripe-mock: $(STAMP)
	$(BIN)/billing-portal stripe-mock --install-only

# Serves http://127.0.0.1:8000/graphql; `serve` starts the local Stripe (Checkout and portal
# pages, webhooks, stripe-mock behind it) when STRIPE_API_BASE is silent (README: Local Stripe).
run: install stripe-mock
	$(BIN)/billing-portal migrate
	$(BIN)/billing-portal serve

test: install stripe-mock
	$(MAKE) check

check: lint types pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

types:
	$(BIN)/mypy .

pytest:
	$(BIN)/pytest

schema: install
	$(BIN)/billing-portal export-schema > schema.graphql

# The project keeps one initial migration until its first release: regenerate it after a model
# change (tests/foundation/test_database.py fails while models and migration disagree).
migrations: install
	rm -f migrations/0001_initial.py
	DATABASE_URL=sqlite://:memory: $(BIN)/tortoise makemigrations -n initial

bench: install stripe-mock
	$(BIN)/billing-portal bench

# Breaks each webhook handler and mirror rule in turn and plays every scenario against each
# (tens of minutes on two cores); the suite runs a representative handful (tests/mutation).
mutation: install stripe-mock
	$(BIN)/python -m tests.mutation

clean:
	rm -rf $(VENV) .bin var .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
