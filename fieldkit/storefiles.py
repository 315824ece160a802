"""The names of the files in a store's folder, in one place (the store, its re-key and its
recovery all need them; none of them imports the others for it)."""

from __future__ import annotations

DB_NAME = "fieldkit.db"
KEY_NAME = "fieldkit.key"
BACKUP_DIR = "backups"
NEW_KEY_NAME = "fieldkit.key.new"
"""A re-key's new key file, beside the old until the re-key commits."""
REKEYED_SUFFIX = ".rekeyed"
"""A backup re-encrypted under the new key, beside the old until the re-key commits."""
