"""What every command shares: the passphrase, one typed way to open the store, reading and
writing the files a command is given."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeAlias

from fieldkit.atomicfile import write_atomic
from fieldkit.errors import InvalidInput
from fieldkit.settings import Settings

if TYPE_CHECKING:
    from fieldkit.store import Store

Handler = Callable[[argparse.Namespace, Settings], int]
"""A command: its parsed arguments and the settings in, the exit status out."""

SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""What ``add_subparsers`` returns; each command module adds its groups to it."""


def read_passphrase(
    prompt: str = "Passphrase: ", *, confirm: bool = False, env: str = "FIELDKIT_PASSPHRASE"
) -> str:
    """The passphrase from ``env`` (scripts, tests) or a prompt that does not echo."""
    supplied = os.environ.get(env)
    if supplied is not None:
        passphrase = supplied
    else:
        try:
            passphrase = getpass.getpass(prompt)
            if confirm and getpass.getpass("Repeat it: ") != passphrase:
                raise InvalidInput("The two passphrases do not match.")
        except EOFError:  # no terminal and nothing piped in (a script, a scheduled job)
            print(file=sys.stderr)  # end the prompt's line: the error stands on its own
            raise InvalidInput(
                f"No passphrase was given: type it when asked, or set {env} for a script."
            ) from None
    if confirm and len(passphrase) < 8:
        raise InvalidInput(
            "Passphrase is too short: use at least 8 characters (a few words is best)."
        )
    if not passphrase:
        raise InvalidInput("Passphrase is needed.")
    return passphrase


TEXT_HELP = ("the text; leave it out (or give -) to type it, or pipe it, on standard input, "
             "which keeps personal data out of the list of running processes and the shell's "
             "history")


def text_argument(words: list[str], what: str) -> str:
    """The text given after a command (``words``), or read from standard input when it is
    left out or ``-``: a note's words on the command line are visible to other users in the
    list of running processes and stay in the shell's history."""
    if words and words != ["-"]:
        return " ".join(words)
    if sys.stdin.isatty():
        print(f"Type the {what}, then press Ctrl+D on a line of its own:", file=sys.stderr)
    text = sys.stdin.read().strip()
    if not text:
        raise InvalidInput(f"No {what} was given: type it after the command, or on standard "
                           "input.")
    return text


def warn(message: str) -> None:
    """One line on standard error, as every warning of the command line is."""
    print(f"fieldkit: warning: {message}", file=sys.stderr)


def open_store(settings: Settings) -> Store:
    """Unlock the store with the passphrase, saying so when the keyring plays no part."""
    from fieldkit.store import NO_KEYRING_WARNING, Store

    store = Store.open(settings, read_passphrase())
    if not store.uses_device_secret:
        warn(NO_KEYRING_WARNING)
    return store


def read_input(path: str, what: str) -> bytes:
    """The bytes of a file the command was given; a one-line error naming ``what`` otherwise."""
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise InvalidInput(f"{what} {path} cannot be read: {error.strerror}.") from None


def write_output(path: str, data: bytes, mode: int = 0o644) -> None:
    """Write a file the command was asked for, whole or not at all."""
    target = Path(path)
    if not target.parent.exists():
        raise InvalidInput(f"Folder {target.parent} does not exist.")
    write_atomic(target, data, mode=mode)


class OneLineParser(argparse.ArgumentParser):
    """Usage mistakes get one line too, like every other error (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"fieldkit: {message} (see '{self.prog} --help')\n")
