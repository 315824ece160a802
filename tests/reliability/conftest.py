"""Real file-system faults for the reliability tests: size-limited tmpfs mounts, lazy unmounts
and read-only remounts. They need root (CI runs as root); where mounting is impossible the test
fails under CI and otherwise says why it cannot run (or falls back, where its docstring says)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the few tests here that build a widget
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=60)


def mounting_possible(probe_dir: Path) -> str | None:
    """None when this process can mount a tmpfs; else the reason it cannot."""
    if os.geteuid() != 0:
        return "mounting a size-limited tmpfs needs root (CI runs the tests as root)"
    if shutil.which("mount") is None or shutil.which("umount") is None:
        return "the mount and umount tools are missing"
    probe_dir.mkdir(parents=True, exist_ok=True)
    try:
        _run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe_dir))
    except subprocess.CalledProcessError as error:
        return f"mount refused a tmpfs here: {error.stderr.decode().strip()}"
    _run("umount", str(probe_dir))
    return None


class Disks:
    """Mount points made by one test, all unmounted (lazily, in reverse) afterwards."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._mounted: list[Path] = []

    def tmpfs(self, name: str, size_mb: int) -> Path:
        """A fresh tmpfs of ``size_mb`` MB at ``base/name``."""
        point = self.base / name
        point.mkdir(parents=True, exist_ok=True)
        _run("mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700", "tmpfs", str(point))
        self._mounted.append(point)
        return point

    def bind(self, source: Path, name: str) -> Path:
        """``source`` mounted a second time at ``base/name`` (the same files, one file system)."""
        point = self.base / name
        point.mkdir(parents=True, exist_ok=True)
        _run("mount", "--bind", str(source), str(point))
        self._mounted.append(point)
        return point

    def lazy_unmount(self, point: Path) -> None:
        """Detach ``point`` at once, as a pulled drive or dropped network folder does."""
        _run("umount", "-l", str(point))
        if point in self._mounted:
            self._mounted.remove(point)

    def read_only(self, point: Path, ro: bool = True) -> None:
        """Remount ``point`` read-only (or writable again)."""
        _run("mount", "-o", f"remount,{'ro' if ro else 'rw'}", str(point))

    def close(self) -> None:
        for point in reversed(self._mounted):
            subprocess.run(["umount", "-l", str(point)], capture_output=True, timeout=60)
        self._mounted.clear()


@pytest.fixture
def disks(tmp_path: Path) -> Iterator[Disks]:
    """Real mounts for this test; fails under CI (skips elsewhere) when mounting is impossible."""
    reason = mounting_possible(tmp_path / "probe")
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    made = Disks(tmp_path / "mnt")
    yield made
    made.close()


def fill(folder: Path) -> Path:
    """Fill the file system holding ``folder`` to the last byte; returns the filler file."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (1 << 20, 65536, 4096, 1):  # big steps first, then to the last byte
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler
