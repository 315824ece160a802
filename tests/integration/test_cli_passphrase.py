"""``fieldkit passphrase change``: a full re-key by default (a copy of the old key file stops
opening the store), ``--passphrase-only`` keeping the key, as its help says."""

from __future__ import annotations

import shutil

from fieldkit.store import KEY_NAME
from tests.conftest import PASSPHRASE, Cli

NEW = "another long passphrase"


def _with_old_key_file(cli: Cli, old_key_file: bytes) -> Cli:
    """The store's folder as it would be with a copy of the old key file put back."""
    copy = cli.data_dir.parent / "with-old-key"
    shutil.copytree(cli.data_dir, copy)
    (copy / KEY_NAME).write_bytes(old_key_file)
    (copy / "fieldkit.lock").unlink(missing_ok=True)
    return Cli(copy, cli.env)


def test_passphrase_change_rekeys_by_default(cli: Cli) -> None:
    cli.ok("init")
    case_id = cli.ok("case", "new", "--title", "Operation Rekey").last_line
    old_key_file = (cli.data_dir / KEY_NAME).read_bytes()
    changed = cli.ok("passphrase", "change", FIELDKIT_NEW_PASSPHRASE=NEW)
    assert "encryption key changed" in changed.out
    assert cli("case", "list").code == 1
    assert case_id in cli.ok("case", "list", passphrase=NEW).out
    refused = _with_old_key_file(cli, old_key_file)("case", "list", passphrase=PASSPHRASE)
    assert refused.code == 1 and "Wrong passphrase" not in refused.err, refused.err


def test_passphrase_only_keeps_the_key_and_says_so(cli: Cli) -> None:
    cli.ok("init")
    case_id = cli.ok("case", "new", "--title", "Operation Rewrap").last_line
    old_key_file = (cli.data_dir / KEY_NAME).read_bytes()
    changed = cli.ok("passphrase", "change", "--passphrase-only", FIELDKIT_NEW_PASSPHRASE=NEW)
    assert "copy of the old key file still opens" in changed.out
    assert case_id in cli.ok("case", "list", passphrase=NEW).out
    old = _with_old_key_file(cli, old_key_file)
    assert case_id in old.ok("case", "list", passphrase=PASSPHRASE).out


def test_a_command_given_no_passphrase_says_so_in_one_line(cli: Cli) -> None:
    """No terminal and nothing on standard input (a script or a scheduled job without
    FIELDKIT_PASSPHRASE): plain words, not an unexpected error."""
    cli.ok("init")
    result = cli("lead", "import", "--from", str(cli.data_dir), passphrase=None)
    errors = [line for line in result.err.splitlines() if line.startswith("fieldkit: ")
              and not line.startswith("fieldkit: warning:")]
    assert result.code == 1
    assert errors == ["fieldkit: No passphrase was given: type it when asked, or set "
                      "FIELDKIT_PASSPHRASE for a script."], result.err
