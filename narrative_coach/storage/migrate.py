"""Run the Alembic migrations shipped in `storage/migrations`, programmatically.

At start-up `ensure_schema` checks the database's revision (one cheap query, without importing
Alembic, which costs a quarter of a second on a busy laptop). Only when it is
behind does it back up a SQLite file (time-stamped, in the backups folder) and upgrade, inside one
write transaction: SQLite takes the write lock with BEGIN IMMEDIATE and PostgreSQL an advisory
lock, so two copies starting together never migrate twice, and a crash mid-upgrade rolls back to
the old schema (both databases have transactional DDL).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import re
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from narrative_coach.errors import UserError
from narrative_coach.storage.backup import backup_sqlite
from narrative_coach.storage.engine import WRITE_OPTION, redacted, sqlite_path

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 0x4E43_4C49  # "NCLI": serialises upgrades across a cohort's copies


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*(.+)$", re.M)


def head_revision() -> str:
    """The newest revision shipped, read from the revision files' headers (no Alembic import;
    a test checks it agrees with Alembic's own ScriptDirectory)."""
    return _heads(str(MIGRATIONS_DIR))


@lru_cache(maxsize=4)
def _heads(migrations_dir: str) -> str:
    revisions, parents = set(), set()
    for path in (Path(migrations_dir) / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if not found:
            continue
        revisions.add(found.group(1))
        down = _DOWN.search(source)
        if down:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    heads = sorted(revisions - parents)
    if len(heads) != 1:  # pragma: no cover - a packaging mistake, caught by the tests
        raise RuntimeError(f"expected one migration head, found {heads}")
    return heads[0]


def known_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(rev.revision for rev in script.walk_revisions())


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return _current(conn)
    except OperationalError as exc:
        raise _unreachable(engine, exc) from exc


def _current(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return ",".join(rows) if rows else None


def ensure_schema(engine: Engine, backups_dir: Path | None) -> UpgradeResult:
    """Bring the database to the newest schema, backing up a SQLite file first if it changes."""
    head = head_revision()
    before = current_revision(engine)
    if before == head:
        return UpgradeResult(before, head, None)
    _refuse_unknown(before)
    backup = None
    db_file = sqlite_path(str(engine.url))
    if before is not None and db_file is not None and backups_dir is not None:
        backup = backup_sqlite(db_file, backups_dir, label=f"before-{head}")
        log.info("backed up the library to %s before upgrading", backup.name)
    return _upgrade(engine, backup)


def upgrade(engine: Engine, backups_dir: Path | None) -> UpgradeResult:
    """`db upgrade`: the same as start-up, but callable explicitly."""
    return ensure_schema(engine, backups_dir)


def _upgrade(engine: Engine, backup: Path | None) -> UpgradeResult:
    from alembic import command  # imported only when there is work to do: keeps start-up fast

    try:
        with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                # SQLite's recipe for schema changes: with foreign keys on, a batch migration that
                # rebuilds a parent table (DROP TABLE speeches) would cascade-delete every draft.
                # The pragma only works outside a transaction, hence the raw driver connection;
                # this connection is not pooled (NullPool), so the setting dies with it.
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
                before = _current(conn)
                _refuse_unknown(before)
                if before is None and _has_foreign_tables(conn):
                    raise UserError(
                        "This database already holds tables that are not a Narrative Coach library.",
                        "Point NARRATIVE_COACH_DB_URL at an empty database or an existing library.",
                    )
                if before != head_revision():
                    command.upgrade(alembic_config(conn), "head")
                    if sqlite:
                        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                        if broken:
                            raise RuntimeError(f"migration left {len(broken)} broken foreign keys; rolled back")
                after = _current(conn)
    except OperationalError as exc:
        raise _unreachable(engine, exc) from exc
    except SQLAlchemyError as exc:
        raise UserError(
            f"Could not upgrade the library's database: {type(exc).__name__}.",
            "Nothing was changed. Restore from the backups folder if needed, and report the problem.",
        ) from exc
    assert after is not None
    if before != after:
        log.info("upgraded the library database from %s to %s", before, after)
    return UpgradeResult(before, after, backup)


def _refuse_unknown(revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise UserError(
            f"The library was written by a newer version of Narrative Coach (schema {revision}).",
            "Update Narrative Coach to open it; nothing was changed.",
        )


def _has_foreign_tables(conn: Connection) -> bool:
    ours = {"speeches", "drafts", "annotations", "alembic_version"}
    names = set(inspect(conn).get_table_names())
    return bool(names) and not names & ours


def _unreachable(engine: Engine, exc: Exception) -> UserError:
    return UserError(
        f"Cannot open the library database {redacted(str(engine.url))}: {str(exc).splitlines()[0][:200]}",
        "Check NARRATIVE_COACH_DB_URL (or the library folder) and that the database server is running.",
    )
