"""The sync commands' errors: one line, plain words, a non-zero exit, nothing changed."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli


def _errors(result_err: str) -> list[str]:
    return [line for line in result_err.splitlines()
            if line.strip() and not line.startswith("fieldkit: warning:")]


def test_sync_commands_refuse_bad_input_in_one_line(cli: Cli, tmp_path: Path) -> None:
    cli.ok("init")
    tampered = tmp_path / "profile.json"
    tampered.write_text('{"payload": {}, "signature": "AAAA"}')
    checks = [
        (("send", "--case", "nope"), "Lead profile"),
        (("sync",), "Lead profile"),
        (("device", "enrol", "--lead-profile", str(tmp_path / "missing.json")), "cannot be read"),
        (("device", "enrol", "--lead-profile", str(tampered)), "profile"),
        (("lead", "devices", "list"), "lead init"),
        (("lead", "import", "--from", str(tmp_path)), "lead init"),
    ]
    for args, words in checks:
        result = cli(*args)
        errors = _errors(result.err)
        assert result.code != 0, args
        assert len(errors) == 1 and words in errors[0], (args, result.err)
    cli.ok("lead", "init")
    assert cli("lead", "init").code == 1  # never replaces the Lead identity
    missing = cli("lead", "import", "--from", str(tmp_path / "no-share"))
    assert missing.code == 1 and "does not exist" in missing.err
    bad_url = cli("lead", "profile", "--out", str(tmp_path / "p.json"),
                  "--inbox-url", "http://inbox.council.example")
    assert bad_url.code == 1 and len(_errors(bad_url.err)) == 1
    assert not (tmp_path / "p.json").exists()
    revoke = cli("lead", "devices", "revoke", "no-such-device")
    assert revoke.code == 1 and "No enrolled device" in revoke.err
