"""The ``fieldkit`` command: the command tree, and one place where errors become one line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from fieldkit.cli.common import Handler, OneLineParser
from fieldkit.errors import FieldkitError, InvalidInput
from fieldkit.process_guard import disable_core_dumps
from fieldkit.settings import Settings


def cmd_app(args: argparse.Namespace, settings: Settings) -> int:
    """Start the desktop app (the one import of ``ui`` from the command line)."""
    from fieldkit import start_gc

    start_gc.hold()  # until the first window is painted (ui.app.run_app puts it back)
    from ui.app import run_app

    return run_app(settings, lead=bool(getattr(args, "lead", False)))


def cmd_self_test(args: argparse.Namespace, settings: Settings) -> int:
    """Open the desktop app offscreen, unlock with the passphrase read from standard input,
    show the cases list and close: exit 0 when every step was seen (``ui/self_test.py``)."""
    from ui.app import run_self_test

    passphrase = sys.stdin.readline().rstrip("\r\n")
    if not passphrase:
        raise InvalidInput("self-test reads the passphrase from standard input (one line); "
                           "none was given.")
    return run_self_test(settings, passphrase)


class ShowVersion(argparse.Action):
    """``--version``: the versions of fieldkit, SQLCipher and Qt and the keyring, then exit 0."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show the versions of fieldkit, SQLCipher and Qt and the keyring "
                         "in use, then exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from fieldkit import about

        try:
            from ui.app import qt_version

            running: str | None = qt_version()
        except ImportError:  # Qt cannot load here: the rest is still worth showing
            running = None
        print("\n".join(about.gather(running).lines()))
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree."""
    from fieldkit.cli import (
        form_commands,
        lead_commands,
        reception_commands,
        store_commands,
        sync_commands,
    )

    parser = OneLineParser(
        prog="fieldkit",
        description="Offline-first field app for modern slavery work. With no command, "
        "starts the desktop app.",
    )
    parser.add_argument("--data-dir", help="the store's folder (default: FIELDKIT_DATA_DIR or "
                        "the platform's data folder)")
    parser.add_argument("--version", action=ShowVersion)
    parser.set_defaults(handler=cmd_app)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in (store_commands, form_commands, sync_commands, lead_commands,
                  reception_commands):
        group.register(sub)
    app = sub.add_parser("app", help="start the desktop app")
    app.add_argument("--lead", action="store_true",
                     help="open the Modern Slavery Lead's window (a store set up as the Lead)")
    app.set_defaults(handler=cmd_app)
    sub.add_parser(
        "self-test", help="check the desktop app works here: reads the passphrase from standard "
        "input, unlocks offscreen, shows the cases list, closes (exit 0 when all went well)",
    ).set_defaults(handler=cmd_self_test)
    return parser


def app_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """What the whole parser makes of the app's own invocations, ``[--data-dir DIR] [app
    [--lead]]``, without building the command tree (its five modules and some sixty parsers,
    tens of milliseconds before the window can start); None for anything else, which the whole
    parser then decides (help, errors and abbreviations included)."""
    rest = list(argv)
    data_dir: str | None = None
    if rest[:1] == ["--data-dir"] and len(rest) > 1 and not rest[1].startswith("-"):
        data_dir, rest = rest[1], rest[2:]
    if not rest:
        return argparse.Namespace(data_dir=data_dir, handler=cmd_app, command=None)
    if rest in (["app"], ["app", "--lead"]):
        return argparse.Namespace(data_dir=data_dir, handler=cmd_app, command="app",
                                  lead=rest == ["app", "--lead"])
    return None


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line parsed (``argv`` or the process's own)."""
    given = sys.argv[1:] if argv is None else list(argv)
    quick = app_arguments(given)
    return quick if quick is not None else build_parser().parse_args(given)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fieldkit`` console script."""
    # Before anything is unlocked: decrypted records must never land in a core dump.
    disable_core_dumps()
    args = parse_arguments(argv)
    try:
        try:
            settings = Settings.from_env(args.data_dir)
        except ValueError as error:
            raise InvalidInput(f"A FIELDKIT_ setting is not valid: {error}") from None
        handler: Handler = args.handler
        return handler(args, settings)
    except FieldkitError as error:
        print(f"fieldkit: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("fieldkit: stopped.", file=sys.stderr)
        return 130
    except Exception as error:
        # Library errors can quote what they were given; never echo that (personal data).
        if os.environ.get("FIELDKIT_DEBUG"):
            raise
        print(f"fieldkit: unexpected error ({type(error).__name__}); nothing further was "
              "saved. Run again with FIELDKIT_DEBUG=1 for details.", file=sys.stderr)
        return 70
