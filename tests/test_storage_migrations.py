"""Alembic migrations shipped in the package: run at start-up, after a backup, all or nothing."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from library_fixtures import FakePipelineResult, backend, library_settings, make_report  # noqa: F401
from sqlalchemy import inspect, text

from narrative_coach.app.library import Library
from narrative_coach.errors import UserError
from narrative_coach.storage import migrate
from narrative_coach.storage.backup import list_backups
from narrative_coach.storage.engine import make_engine
from narrative_coach.storage.models import Base

REBUILD_SPEECHES = '''
import sqlalchemy as sa
from alembic import op
revision = "0002_test"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

def upgrade():
    # On SQLite, rebuild the parent table as a real column change there would.
    recreate = "always" if op.get_bind().dialect.name == "sqlite" else "auto"
    with op.batch_alter_table("speeches", recreate=recreate) as batch:
        batch.add_column(sa.Column("colour", sa.String(20), nullable=True))
    op.execute("UPDATE speeches SET colour = 'blue'")
    {extra}

def downgrade():
    pass
'''


@pytest.fixture
def extra_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Ship a copy of the migrations with one more revision, as a newer release would."""

    def install(extra: str = "pass") -> None:
        copy = tmp_path / "migrations"
        shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
        (copy / "versions" / "0002_test.py").write_text(REBUILD_SPEECHES.format(extra=extra))
        monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)

    return install


def test_fresh_database_gets_the_schema_of_the_models(library_settings) -> None:  # type: ignore[no-untyped-def]
    with Library.open(library_settings) as lib:
        assert lib.upgrade_result.before is None and lib.upgrade_result.after == migrate.head_revision()
        assert lib.upgrade_result.backup is None  # nothing to back up in a new library
        with lib.engine.connect() as conn:
            # The hand-written revision and the ORM models describe the same tables.
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
            assert diff == []
            assert {"speeches", "drafts", "annotations", "alembic_version"} <= set(inspect(conn).get_table_names())
    with Library.open(library_settings) as again:
        assert not again.upgrade_result.changed
    assert list_backups(library_settings.backups_dir) == []


def test_sqlite_connection_settings(settings) -> None:  # type: ignore[no-untyped-def]
    with Library.open(settings) as lib, lib.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_upgrade_backs_up_sqlite_first_and_keeps_data(settings, extra_revision) -> None:  # type: ignore[no-untyped-def]
    with Library.open(settings) as lib:
        draft = lib.save_draft("Kept", FakePipelineResult(make_report("We keep every draft.")))
        lib.add_annotation(draft.id, "note")
    extra_revision()
    with Library.open(settings) as lib:
        result = lib.upgrade_result
        assert (result.before, result.after) == ("0001_initial", "0002_test")
        assert result.backup is not None and result.backup.parent == settings.backups_dir
        # The rebuilt parent table did not cascade-delete its drafts and annotations.
        assert lib.history("Kept")[0].id == draft.id
        assert len(lib.list_annotations(draft.id)) == 1
        with lib.engine.connect() as conn:
            assert conn.execute(text("SELECT colour FROM speeches")).scalar() == "blue"
        assert lib.check().integrity_ok
    with sqlite3.connect(result.backup) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001_initial",)
        assert old.execute("SELECT title FROM speeches").fetchall() == [("Kept",)]
    assert oct(result.backup.stat().st_mode & 0o777) == "0o600"


def test_failed_migration_rolls_back_everything(library_settings, extra_revision) -> None:  # type: ignore[no-untyped-def]
    with Library.open(library_settings) as lib:
        lib.save_draft("Safe", FakePipelineResult(make_report("Nothing is lost.")))
    extra_revision(extra="raise RuntimeError('bug in a migration')")
    with pytest.raises(RuntimeError, match="bug in a migration"):
        Library.open(library_settings)
    engine = make_engine(library_settings.database_url)
    try:
        assert migrate.current_revision(engine) == "0001_initial"
        with engine.connect() as conn:
            assert "colour" not in {c["name"] for c in inspect(conn).get_columns("speeches")}
            assert conn.execute(text("SELECT count(*) FROM drafts")).scalar() == 1
    finally:
        engine.dispose()


def test_a_library_from_a_newer_version_is_refused(library_settings) -> None:  # type: ignore[no-untyped-def]
    with Library.open(library_settings) as lib, lib.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(UserError, match="newer version"):
        Library.open(library_settings)


def test_foreign_tables_are_not_touched(settings) -> None:  # type: ignore[no-untyped-def]
    db = settings.home / "library.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    with pytest.raises(UserError, match="not a Narrative Coach library"):
        Library.open(settings)


def test_unreachable_database_is_a_user_error(settings) -> None:  # type: ignore[no-untyped-def]
    bad = settings.with_changes(db_url="postgresql://nobody@127.0.0.1:1/nothing")
    with pytest.raises(UserError, match="Cannot open the library database"):
        Library.open(bad)
    with pytest.raises(UserError, match="not a valid"):
        Library.open(settings.with_changes(db_url="not a url"))


def test_migrations_ship_inside_the_package() -> None:
    assert migrate.MIGRATIONS_DIR.parent.name == "storage"
    assert (migrate.MIGRATIONS_DIR / "env.py").is_file()
    assert (migrate.MIGRATIONS_DIR / "script.py.mako").is_file()
    # The fast head lookup used at start-up agrees with Alembic's own.
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert heads == [migrate.head_revision()] == ["0001_initial"]


def test_head_lookup_follows_a_new_revision(extra_revision) -> None:  # type: ignore[no-untyped-def]
    extra_revision()
    assert migrate.head_revision() == "0002_test"
    assert ScriptDirectory.from_config(migrate.alembic_config()).get_heads() == ["0002_test"]
    assert migrate.known_revisions() == {"0001_initial", "0002_test"}


def test_opening_an_up_to_date_library_does_not_import_alembic(settings) -> None:  # type: ignore[no-untyped-def]
    Library.open(settings).close()
    code = (
        "import sys; from narrative_coach.app.library import Library; from narrative_coach.settings import load_settings;"
        "Library.open(load_settings()).close(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
