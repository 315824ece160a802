"""Keeping decrypted records out of crash dumps: the fieldkit process (the app and every
command) turns core dumps off for itself before it unlocks anything."""

from __future__ import annotations

import ctypes
import resource
import sys

PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4


def _prctl(option: int, value: int = 0) -> int:
    # The process's own symbols, which hold the C library's prctl: ctypes.util.find_library
    # would load subprocess and tempfile and run "ldconfig -p" at every start (about 15 ms of
    # CPU and a process, before the app's window; issue 12).
    libc = ctypes.CDLL(None, use_errno=True)
    result = int(libc.prctl(option, value, 0, 0, 0))
    if result < 0:
        raise OSError(ctypes.get_errno(), "prctl failed")
    return result


def disable_core_dumps() -> None:
    """No core file for this process (``RLIMIT_CORE`` 0, soft and hard) and, on Linux, not
    dumpable: no core through a system crash handler and no other process of the same user
    attaching to read its memory."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        _prctl(PR_SET_DUMPABLE, 0)


def core_dumps_disabled() -> bool:
    """True when this process can leave no core dump (checked by tests and ``fieldkit``)."""
    if resource.getrlimit(resource.RLIMIT_CORE) != (0, 0):
        return False
    return not sys.platform.startswith("linux") or _prctl(PR_GET_DUMPABLE) == 0
