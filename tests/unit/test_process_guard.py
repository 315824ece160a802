"""Issue 10, item 14: the fieldkit process leaves no core dump (RLIMIT_CORE 0, not dumpable),
set by a core function before anything is unlocked."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import FAST_KDF, REPO


def test_the_core_function_turns_core_dumps_off() -> None:
    script = ("from fieldkit.process_guard import core_dumps_disabled, disable_core_dumps\n"
              "assert not core_dumps_disabled()\n"
              "disable_core_dumps()\n"
              "print(core_dumps_disabled())")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def test_a_crashing_process_leaves_no_core_file(tmp_path: Path) -> None:
    script = ("import os, resource\n"
              "resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY,) * 2)\n"
              "from fieldkit.process_guard import disable_core_dumps\n"
              "disable_core_dumps()\n"
              "os.abort()")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True)
    assert done.returncode != 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("core")]


def test_the_fieldkit_command_runs_with_core_dumps_off(tmp_path: Path) -> None:
    # 'fieldkit init' waits for a passphrase on standard input: look at it while it waits.
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDKIT_")}
    env.update(FAST_KDF)
    child = subprocess.Popen(
        [sys.executable, "-m", "fieldkit.cli", "--data-dir", str(tmp_path / "s"), "init"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        cwd=REPO)
    try:
        limits = ""
        for _ in range(600):  # until the process has started and set its limits
            limits = Path(f"/proc/{child.pid}/limits").read_text()
            line = next(x for x in limits.splitlines() if x.startswith("Max core file size"))
            if line.split()[4:6] == ["0", "0"]:
                break
            time.sleep(0.1)
        line = next(x for x in limits.splitlines() if x.startswith("Max core file size"))
        assert line.split()[4:6] == ["0", "0"], line
    finally:
        child.kill()
        child.communicate()
