# FSI: `make run` serves the demo, `make test` runs the whole suite. Both start with `make install`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: install run lint test test-postgres test-e2e translations extract-messages migration screenshots bench clean

install: $(STAMP) translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Compiled catalogs are build products (git ignores *.mo).
translations: $(STAMP)
	$(BIN)/pybabel -q compile -d translations -f

extract-messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -o translations/messages.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

run: install
	$(FLASK) fsi init-db
	$(FLASK) fsi seed-demo
	@echo "FSI: http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

# ruff (pyproject.toml: pycodestyle, pyflakes, import order, bugbear...), then bandit (security findings of
# medium severity and up; each accepted one says why in a "# nosec BXXX # reason" comment) before the suite
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/bandit -q -ll -r fsi

test: install lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	FSI_TEST_DATABASE_URL=$${FSI_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

test-e2e: install
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

# A new Alembic revision from the models: make migration m="add call deadlines"
migration: install
	cd migrations && ../$(BIN)/alembic -c alembic.ini revision --autogenerate -m "$(m)"

screenshots: install
	FSI_SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest tests/e2e -q

# The whole bench (bench/README.md): throughput needs wrk (apt-get install -y wrk) and, like growth, a
# PostgreSQL on 127.0.0.1:5432 (FSI_BENCH_PG); about half an hour; compare with bench/RESULTS.md
bench: install
	bench/throughput --db both
	bench/growth --db sqlite
	bench/growth --db postgresql
	@for script in audit transitions conflicts crash; do \
		if [ -x bench/$$script ]; then echo "== bench/$$script"; bench/$$script || exit 1; fi; \
	done

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
