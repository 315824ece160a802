# fieldkit: `make run` starts the app, `make test` runs every test. Both set up .venv/ on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck bench screenshots package clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# PyInstaller (the 'package' extra), only for those who build the frozen app.
PACKAGING := $(VENV)/.packaging
$(PACKAGING): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,package]'
	touch $(PACKAGING)

run: $(STAMP)
	$(BIN)/fieldkit $(ARGS)

test: $(STAMP)
	bash .ci/with-secret-service $(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m bench

screenshots: $(STAMP)
	bash .ci/with-secret-service xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/python -m tools.screenshots docs/screenshots

# The one-folder frozen build in dist/fieldkit/ (packaging/README.md); `make test` then smoke-tests it.
package: $(PACKAGING)
	rm -rf build/pyinstaller dist/fieldkit
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/fieldkit.spec
	du -sh dist/fieldkit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
