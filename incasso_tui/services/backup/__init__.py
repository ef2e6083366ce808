"""Backup and restore of the whole database (`incasso db backup|restore`)."""

from __future__ import annotations

from incasso_tui.services.backup.archive import BACKEND_NAMES, BackupFileError, Manifest, read_manifest
from incasso_tui.services.backup.backup import BackupMade, make_backup
from incasso_tui.services.backup.restore import Restored, describe_contents, restore_backup

__all__ = [
    "BACKEND_NAMES",
    "BackupFileError",
    "BackupMade",
    "Manifest",
    "Restored",
    "describe_contents",
    "make_backup",
    "read_manifest",
    "restore_backup",
]
