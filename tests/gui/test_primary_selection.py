"""Issue 10, item 13: locking clears the X11 primary selection while fieldkit owns it. Run on a
real X server (Xvfb): one Qt process owns the selection, another reads it as any X client would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO

OWNER = textwrap.dedent("""
    import subprocess, sys, time
    from PySide6.QtGui import QClipboard
    from PySide6.QtWidgets import QApplication, QLineEdit
    from ui import clipboard

    app = QApplication([])
    box = QLineEdit("Seen at the back door of the car wash")
    box.show()
    board = app.clipboard()
    assert board.supportsSelection(), "no primary selection on this platform"
    board.setText(box.text(), QClipboard.Mode.Selection)  # what selecting with the mouse does
    app.processEvents()

    def read():
        # The owner must keep answering X while the other client asks for the selection.
        reader = subprocess.Popen([sys.executable, "-c", READER], stdout=subprocess.PIPE,
                                  text=True)
        while reader.poll() is None:
            app.processEvents()
            time.sleep(0.01)
        return reader.stdout.read().strip()

    before = read()
    cleared = clipboard.clear_ours()   # what locking calls
    app.processEvents()
    after = read()
    print(repr((before, cleared, after)))
""")
READER = textwrap.dedent("""
    from PySide6.QtGui import QClipboard
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    print(app.clipboard().text(QClipboard.Mode.Selection))
""")


# ``xvfb-run -a`` takes the first display number without a lock file and does not retry when
# another Xvfb started at the same moment takes it: under `make test` (several test processes)
# the tests that start an Xvfb run one after another in one process.
@pytest.mark.xdist_group("xvfb")
def test_lock_clears_the_primary_selection_fieldkit_owns() -> None:
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        message = "xvfb-run is needed (installed by .ci/run: apt-get install xvfb)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    script = f"READER = {READER!r}\n{OWNER}"
    done = subprocess.run(
        [xvfb, "-a", "-s", "-screen 0 800x600x24", sys.executable, "-c", script],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    before, cleared, after = eval(last)
    assert before == "Seen at the back door of the car wash"  # another X client could paste it
    assert cleared is True
    assert after == ""
