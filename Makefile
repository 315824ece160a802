# fieldkit: `make run` starts the app, `make test` runs every test. Both set up .venv/ on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck bench bench-quick screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/fieldkit $(ARGS)

test: $(STAMP)
	bash .ci/with-secret-service $(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true
	$(BIN)/mypy
	$(BIN)/lint-imports

# Writes bench/results.json and regenerates the table in bench/README.md from it.
bench: $(STAMP)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.table

# Each benchmark at a tenth of its size (bench/results-quick.json): checks the code still runs.
bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick

screenshots: $(STAMP)
	bash .ci/with-secret-service xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/python -m tools.screenshots docs/screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
