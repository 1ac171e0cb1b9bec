"""THE one place that builds database engines.

SQLite (the default, one file in the library folder) gets WAL, foreign keys, a busy timeout and
`synchronous=FULL` in a `connect` listener, and explicit transactions: the stdlib driver's own
implicit BEGIN is switched off so that SQLAlchemy decides when a transaction starts, and write
transactions start with `BEGIN IMMEDIATE` so two processes (the window and the command line)
queue for the write lock instead of failing half-way with "database is locked".
Any other SQLAlchemy URL is accepted; `postgresql://` is routed to psycopg 3.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import NullPool

from narrative_coach.errors import UserError

BUSY_TIMEOUT_MS = 15_000
# Execution option asking for a write transaction (BEGIN IMMEDIATE on SQLite, ignored elsewhere).
WRITE_OPTION = "nc_write"


def normalise_url(url: str) -> str:
    """Route plain PostgreSQL URLs to psycopg 3, the driver we ship."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def is_sqlite(url: str) -> bool:
    return normalise_url(url).startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for in-memory and non-SQLite URLs."""
    if not is_sqlite(url):
        return None
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def make_engine(url: str) -> Engine:
    """Build an engine for `url` with the settings this app relies on."""
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UserError(
            f"The database address '{_redact(url)}' is not a valid SQLAlchemy URL.",
            "Use e.g. sqlite:////path/to/library.sqlite3 or postgresql://user@host/dbname.",
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        # NullPool: a desktop app opens few connections; not pooling them means no connection
        # outlives a fork or a closed Library holding the file open.
        engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)
    except (NoSuchModuleError, ImportError) as exc:
        raise UserError(
            f"No database driver for '{parsed.get_backend_name()}'.",
            "Use SQLite (the default) or PostgreSQL (postgresql://user@host/dbname).",
        ) from exc


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, see module docstring
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        # A filesystem that refuses WAL leaves the rollback journal, which is still safe.
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _redact(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable>"


def redacted(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    return _redact(normalise_url(url))
