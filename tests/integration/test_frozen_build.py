"""The built app (``make package``: dist/fieldkit/) passes packaging/smoke-test: run from a
temporary folder with a clean environment, it does an officer's and a Lead's day and its GUI
self-test. CI builds first (.ci/run), so there a missing build is a failure, not a skip."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import REPO

DIST = REPO / "dist" / "fieldkit"


# ``xvfb-run -a`` takes the first display number without a lock file and does not retry when
# another Xvfb started at the same moment takes it: under `make test` (several test processes)
# the tests that start an Xvfb run one after another in one process.
@pytest.mark.xdist_group("xvfb")  # packaging/smoke-test ends with one
@pytest.mark.keyring
def test_the_built_app_passes_the_smoke_test() -> None:
    if not os.environ.get("CI"):
        pytest.skip("the frozen build is smoke-tested under CI (or run: make package && "
                    "packaging/smoke-test)")
    if not (DIST / "fieldkit").is_file():
        pytest.fail("dist/fieldkit/fieldkit is missing: CI must run 'make package' before "
                    "'make test' (.ci/run does)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FIELDKIT_", "PYTHON"))}
    done = subprocess.run(["bash", str(REPO / "packaging" / "smoke-test"), str(DIST)],
                          capture_output=True, text=True, env=env, timeout=900,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("smoke-test: smoke test passed"), done.stdout
