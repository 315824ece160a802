# fieldkit: `make run` starts the app, `make test` runs every test. Both set up .venv/ on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck bench bench-quick screenshots package clean lock audit

# The app's runtime dependencies come exactly as locked in requirements.lock, each file checked
# against its SHA-256; then fieldkit itself, then the developer tools (tests, linters).
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Re-lock after changing the dependencies in pyproject.toml (needs pip-tools: a dev dependency).
lock: $(STAMP)
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml

# Known vulnerabilities in the locked dependencies (tools/dependency_audit.py says when skipped).
audit: $(STAMP)
	$(BIN)/python tools/dependency_audit.py

# PyInstaller (the 'package' extra), only for those who build the frozen app.
PACKAGING := $(VENV)/.packaging
$(PACKAGING): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,package]'
	touch $(PACKAGING)

run: $(STAMP)
	$(BIN)/fieldkit $(ARGS)

# The tests wait far more than they compute (fsyncs, subprocesses, HTTPS on loopback), so they
# run in TEST_WORKERS processes (pytest-xdist) even on 2 cores, each in a D-Bus session and
# GNOME Keyring of its own (tests/support/python-in-own-keyring); tests marked with one
# xdist_group run one after another in one process (@pytest.mark.xdist_group). TEST_WORKERS=0 runs
# them all in this process; PYTEST_ARGS comes last, so it may override either.
TEST_WORKERS ?= 4
WORKERS_ARGS = $(if $(filter 0,$(TEST_WORKERS)),-p no:xdist,--tx $(TEST_WORKERS)*popen//python=tests/support/python-in-own-keyring --dist loadgroup)
test: $(STAMP)
	bash .ci/with-secret-service $(BIN)/python -m pytest -q $(WORKERS_ARGS) $(PYTEST_ARGS)

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

# The one-folder frozen build in dist/fieldkit/ (packaging/README.md); `make test` then smoke-tests it.
package: $(PACKAGING)
	rm -rf build/pyinstaller dist/fieldkit
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/fieldkit.spec
	du -sh dist/fieldkit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
