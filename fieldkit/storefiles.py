"""The names of the files in a store's folder, in one place (the store, its re-key and its
recovery all need them; none of them imports the others for it)."""

from __future__ import annotations

DB_NAME = "fieldkit.db"
KEY_NAME = "fieldkit.key"
BACKUP_DIR = "backups"
NEW_KEY_NAME = "fieldkit.key.new"
"""A re-key's new key file, beside the old until the re-key commits (a store whose key file is
format 1: made before key files named the database's page seal)."""
NEW_SEALED_KEY_NAME = "fieldkit.key.new2"
"""The same for a store whose key file is format 2. A fieldkit from before format 2 never looks
for this name: meeting a re-key cut short, it refuses the store by its key file's format instead
of taking a new key file it cannot read for a damaged one and rolling the re-key back (which,
after the database itself was re-keyed, would leave no key that opens it)."""
NEW_KEY_NAMES = (NEW_SEALED_KEY_NAME, NEW_KEY_NAME)


def new_key_name(page_hmac: str | None) -> str:
    """The name of a re-key's new key file for a store sealed with ``page_hmac`` (None: a store
    whose key file is format 1)."""
    return NEW_KEY_NAME if page_hmac is None else NEW_SEALED_KEY_NAME
REKEYED_SUFFIX = ".rekeyed"
"""A backup re-encrypted under the new key, beside the old until the re-key commits."""
