"""Alembic environment. Always run programmatically by `narrative_coach.storage.migrate`, which
passes an open connection (already inside a transaction) in `config.attributes["connection"]`."""

from __future__ import annotations

from alembic import context

from narrative_coach.storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable through a hand-run `alembic` command
    raise RuntimeError("run migrations with `narrative-coach db upgrade`, not the alembic command")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite can ALTER little; batch mode rebuilds tables for later revisions.
    render_as_batch=connection.dialect.name == "sqlite",
    # SQLite DDL is transactional too once the driver's implicit transactions are off (engine.py).
    transactional_ddl=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
