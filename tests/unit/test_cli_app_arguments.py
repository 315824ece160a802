"""Starting the app parses its command line without building the whole command tree, and
means exactly what the whole parser means (issue 12, ``unlock_to_list``)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fieldkit.cli.main import app_arguments, build_parser, parse_arguments
from tests.conftest import REPO

APP_STARTS = ([], ["app"], ["app", "--lead"], ["--data-dir", "/some/folder"],
              ["--data-dir", "app"], ["--data-dir", ""], ["--data-dir", "/f", "app"],
              ["--data-dir", "/f", "app", "--lead"])
"""The app's own invocations."""

OTHERS = (["--help"], ["-h"], ["--version"], ["case", "list"], ["--data-dir"],
          ["--data-dir=/f"], ["--data", "/f"], ["app", "--le"], ["app", "--data-dir", "/f"],
          ["--data-dir", "-x"], ["app", "app"], ["self-test"], ["--data-dir", "/f", "search", "x"])
"""Anything else: the whole parser decides (help, abbreviations, errors)."""


@pytest.mark.parametrize("argv", APP_STARTS)
def test_the_app_starts_parse_as_the_whole_parser_parses_them(argv: list[str]) -> None:
    quick = app_arguments(argv)
    assert quick is not None
    assert vars(quick) == vars(build_parser().parse_args(argv))
    assert vars(parse_arguments(argv)) == vars(quick)


@pytest.mark.parametrize("argv", OTHERS)
def test_anything_else_is_left_to_the_whole_parser(argv: list[str]) -> None:
    assert app_arguments(argv) is None


def test_starting_the_app_loads_none_of_the_command_modules() -> None:
    probe = ("import sys; from fieldkit.cli.main import parse_arguments; "
             "parse_arguments(['--data-dir', '/f']); "
             "print(sorted(m for m in sys.modules if m.endswith('_commands')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=REPO, timeout=60, check=True)
    assert done.stdout.strip() == "[]"
