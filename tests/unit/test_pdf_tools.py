"""The real PDF tools the PDF tests check with (qpdf, pdftotext), and helpers to use them.

Under CI a missing tool fails the tests that need it; on a developer's machine they are skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TOOLS = ("qpdf", "pdftotext")


def require(tool: str) -> str:
    """The tool's path; fails under CI (skips elsewhere) when it is not installed."""
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} is not installed (apt-get install qpdf poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _with_file(pdf: bytes) -> tempfile.TemporaryDirectory[str]:
    folder = tempfile.TemporaryDirectory(prefix="fieldkit-pdf-test-")
    (Path(folder.name) / "doc.pdf").write_bytes(pdf)  # fictional test data only
    return folder


def qpdf_check(pdf: bytes) -> None:
    """Assert that ``qpdf --check`` finds the PDF well formed (no errors, no warnings)."""
    qpdf = require("qpdf")
    with _with_file(pdf) as folder:
        done = subprocess.run([qpdf, "--check", str(Path(folder) / "doc.pdf")],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors found" in done.stdout, done.stdout


def content_streams(pdf: bytes) -> bytes:
    """The PDF rewritten by qpdf with every stream uncompressed (QDF), to look at drawing."""
    qpdf = require("qpdf")
    with _with_file(pdf) as folder:
        target = Path(folder) / "qdf.pdf"
        done = subprocess.run([qpdf, "--qdf", "--object-streams=disable",
                               str(Path(folder) / "doc.pdf"), str(target)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return target.read_bytes()


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page as pdftotext reads it, whitespace normalised."""
    pdftotext = require("pdftotext")
    with _with_file(pdf) as folder:
        done = subprocess.run([pdftotext, "-enc", "UTF-8", str(Path(folder) / "doc.pdf"), "-"],
                              capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    pages = done.stdout.decode("utf-8").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [normalise(page) for page in pages]


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF, whitespace normalised (layout-independent checks)."""
    return " ".join(pdf_pages(pdf))


def normalise(text: str) -> str:
    """Runs of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


def assert_page_furniture(pdf: bytes, case_reference: str) -> list[str]:
    """Every page has the marking at top and bottom, the case reference and "Page x of y"."""
    pages = pdf_pages(pdf)
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, number
        assert case_reference in page, number
        assert f"Page {number} of {len(pages)}" in page, number
    return pages


def test_pdf_tools_are_installed() -> None:
    for tool in TOOLS:
        require(tool)
