"""Time-stamped backups of a SQLite library file.

Uses SQLite's online backup API, so the copy is consistent even while another process (the
window, the command line) has the library open in WAL mode. The copy is written under a temporary
name and renamed, so a crash never leaves a half backup that looks complete.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from narrative_coach.errors import UserError

KEEP_BACKUPS = 20
_NAME = re.compile(r"^library-\d{8}T\d{6}\d*Z(-[a-z0-9-]+)?\.sqlite3$")


def backup_sqlite(db_path: Path, backups_dir: Path, label: str = "") -> Path:
    """Copy the SQLite library at `db_path` into `backups_dir`; returns the backup's path."""
    if not db_path.exists():
        raise UserError(f"There is no library file at {db_path} to back up.", "Open the app once to create it.")
    backups_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    suffix = f"-{_slug(label)}" if label else ""
    target = backups_dir / f"library-{stamp}{suffix}.sqlite3"
    tmp = target.with_name(f".{target.name}.partial")
    try:
        src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=15)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            f"Could not back up the library to {backups_dir}: {exc}.",
            "Free some disk space or check the folder's permissions, then try again.",
        ) from exc
    prune_backups(backups_dir)
    return target


def list_backups(backups_dir: Path) -> list[Path]:
    if not backups_dir.is_dir():
        return []
    return sorted(p for p in backups_dir.iterdir() if _NAME.match(p.name))


def prune_backups(backups_dir: Path, keep: int = KEEP_BACKUPS) -> None:
    """Keep the newest `keep` backups; time-stamped names sort in time order."""
    for old in list_backups(backups_dir)[:-keep]:
        old.unlink(missing_ok=True)


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40]
