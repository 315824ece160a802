"""How the database's pages are sealed (``fieldkit.pages``): a new store with the seal its key
file names, a store made before (format 1 key file) with SQLCipher's default, both kept through
a passphrase change and a full re-key, and a key file that lies about its seal refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from fieldkit import cases, keys, notes, rekey
from fieldkit.errors import StoreCorrupt, WrongPassphrase
from fieldkit.pages import fastest_page_hmac, seal_pages_with
from fieldkit.settings import Settings
from fieldkit.store import BACKUP_DIR, DB_NAME, KEY_NAME, Store
from tests.conftest import PASSPHRASE, REPO
from tests.fixtures.make_store_v1 import FIXTURE_PASSPHRASE

NEW = "a brand new passphrase"
SEALS = ("HMAC_SHA256", "HMAC_SHA512")


def _reads(path: Path, key: bytes, page_hmac: str | None) -> bool:
    """Whether the file at ``path`` reads with ``key`` and pages sealed with ``page_hmac``
    (None: SQLCipher's default), with nothing of fieldkit's in between."""
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        if page_hmac is not None:
            conn.execute(f"PRAGMA cipher_hmac_algorithm = {page_hmac}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def _key_file(folder: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((folder / KEY_NAME).read_text())
    return loaded


def test_a_new_store_seals_its_pages_as_its_key_file_says(settings: Settings) -> None:
    store = Store.create(settings, PASSPHRASE)
    visit = cases.create_visit(store, cases.create_case(store, "Op Seal").id, "Car wash", "1 Road")
    notes.add_note(store, visit.id, "Four workers seen in the back office")
    used = store.conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0]
    store.lock()
    written = _key_file(settings.data_dir)
    assert written["format"] == 2 and written["page_hmac"] == used and used in SEALS
    unwrapped = keys.unwrap(settings.data_dir / KEY_NAME, PASSPHRASE)
    assert unwrapped.page_hmac == used
    db = settings.data_dir / DB_NAME
    other = next(seal for seal in SEALS if seal != used)
    assert _reads(db, unwrapped.key, used)
    assert not _reads(db, unwrapped.key, other)  # the seal is really the file's own
    with Store.open(settings, PASSPHRASE) as again:
        assert [n.text for n in notes.list_notes(again, visit.id)] == [
            "Four workers seen in the back office"]


def test_the_seal_is_the_faster_here_and_nothing_else_reaches_the_pragma() -> None:
    assert fastest_page_hmac() in SEALS
    conn = sqlcipher3.connect(":memory:")
    with pytest.raises(ValueError, match="unknown page seal"):
        seal_pages_with(conn, "HMAC_SHA1; DROP TABLE x")  # type: ignore[arg-type]
    conn.close()


def _legacy(tmp_path: Path) -> Settings:
    folder = tmp_path / "store"
    shutil.copytree(REPO / "tests" / "fixtures" / "store-v1", folder)
    return Settings(data_dir=folder, kdf_min_seconds=0.001, kdf_memory_kib=8192)


def test_a_store_made_before_keeps_sqlciphers_default_seal_through_every_key_change(
    tmp_path: Path,
) -> None:
    settings = _legacy(tmp_path)
    folder = settings.data_dir
    assert _key_file(folder)["format"] == 1 and "page_hmac" not in _key_file(folder)
    with Store.open(settings, FIXTURE_PASSPHRASE) as store:  # upgraded, backups made
        assert store.conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0] == "HMAC_SHA512"
        rekey.change_passphrase_only(store, settings, FIXTURE_PASSPHRASE, PASSPHRASE)
    assert _key_file(folder)["format"] == 1 and "page_hmac" not in _key_file(folder)
    with Store.open(settings, PASSPHRASE) as store:
        rekey.rekey(store, settings, PASSPHRASE, NEW)
        notes.add_note(store, "v1", "Written after the re-key")
    assert _key_file(folder)["format"] == 1 and "page_hmac" not in _key_file(folder)
    unwrapped = keys.unwrap(folder / KEY_NAME, NEW)
    assert unwrapped.page_hmac is None
    backups = sorted((folder / BACKUP_DIR).glob("*.db"))
    assert backups  # every backup kept, re-keyed, and read with the same seal
    for copy in [folder / DB_NAME, *backups]:
        assert _reads(copy, unwrapped.key, None)
    with Store.open(settings, NEW) as store:
        assert "Written after the re-key" in [n.text for n in notes.list_notes(store, "v1")]


def test_a_new_store_keeps_its_seal_through_a_full_rekey(settings: Settings) -> None:
    with Store.create(settings, PASSPHRASE) as store:
        case = cases.create_case(store, "Op Rekey")
        seal = store.conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0]
        rekey.rekey(store, settings, PASSPHRASE, NEW)
        cases.create_case(store, "Op After")  # written under the new key, same seal
    written = _key_file(settings.data_dir)
    assert (written["format"], written["page_hmac"]) == (2, seal)
    with Store.open(settings, NEW) as store:
        assert store.conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0] == seal
        assert {c.title for c in cases.list_cases(store)} == {"Op Rekey", "Op After"}
        assert cases.get_case(store, case.id).title == "Op Rekey"


@pytest.mark.parametrize(("change", "refused"), [
    # Naming the other seal: the key file's authenticated header no longer matches.
    (lambda f: f.update(page_hmac="HMAC_SHA512" if f["page_hmac"] == "HMAC_SHA256"
                        else "HMAC_SHA256"), WrongPassphrase),
    # Passing a format 2 file off as format 1, with or without its seal.
    (lambda f: f.update(format=1), StoreCorrupt),
    (lambda f: (f.update(format=1), f.pop("page_hmac")), WrongPassphrase),
    (lambda f: f.pop("page_hmac"), StoreCorrupt),
    (lambda f: f.update(page_hmac="HMAC_SHA1"), StoreCorrupt),
    (lambda f: f.update(format=3), StoreCorrupt),
])
def test_a_key_file_that_lies_about_its_seal_is_refused(
    settings: Settings, change: Any, refused: type[Exception],
) -> None:
    Store.create(settings, PASSPHRASE).lock()
    path = settings.data_dir / KEY_NAME
    edited = _key_file(settings.data_dir)
    change(edited)
    path.write_text(json.dumps(edited))
    with pytest.raises(refused):
        keys.unwrap(path, PASSPHRASE)


def _with_backup(settings: Settings) -> Path:
    """A new store with one backup beside it, made as the store makes one before an upgrade
    (a byte copy of the database, checkpointed first)."""
    with Store.create(settings, PASSPHRASE) as store:
        cases.create_case(store, "Op Backup")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        backups = settings.data_dir / BACKUP_DIR
        backups.mkdir()
        shutil.copyfile(settings.data_dir / DB_NAME, backups / "fieldkit-schema1-copy.db")
    return backups / "fieldkit-schema1-copy.db"


def test_a_new_stores_backups_keep_its_seal_through_a_rekey_and_a_passphrase_change(
    settings: Settings,
) -> None:
    backup = _with_backup(settings)
    seal = _key_file(settings.data_dir)["page_hmac"]
    with Store.open(settings, PASSPHRASE) as store:
        rekey.change_passphrase_only(store, settings, PASSPHRASE, NEW)
    assert (_key_file(settings.data_dir)["format"], _key_file(settings.data_dir)["page_hmac"]) \
        == (2, seal)
    with Store.open(settings, NEW) as store:
        rekey.rekey(store, settings, NEW, PASSPHRASE)
    assert (_key_file(settings.data_dir)["format"], _key_file(settings.data_dir)["page_hmac"]) \
        == (2, seal)
    unwrapped = keys.unwrap(settings.data_dir / KEY_NAME, PASSPHRASE)
    assert backup.exists()  # kept, re-keyed, read with the same seal
    assert _reads(backup, unwrapped.key, seal) and _reads(
        settings.data_dir / DB_NAME, unwrapped.key, seal)
    with Store.open(settings, PASSPHRASE) as store:
        assert [c.title for c in cases.list_cases(store)] == ["Op Backup"]
