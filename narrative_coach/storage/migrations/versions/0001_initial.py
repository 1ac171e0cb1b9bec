"""Initial library schema: speeches, drafts, annotations.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from narrative_coach.storage.models import UTCDateTime

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

json_doc = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "speeches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("title_key", sa.String(200), nullable=False),
        sa.Column("occasion", sa.String(500), nullable=True),
        sa.Column("audience", sa.String(500), nullable=True),
        sa.Column("target_minutes", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.Column("updated", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_speeches"),
        sa.UniqueConstraint("title_key", name="uq_speeches_title_key"),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speech_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("model", sa.String(100), nullable=True),
        sa.Column("analyzer_version", sa.String(50), nullable=False),
        sa.Column("audio_path", sa.String(300), nullable=True),
        sa.Column("audio_sha256", sa.String(64), nullable=True),
        sa.Column("audio_bytes", sa.Integer(), nullable=True),
        sa.Column("score_overall", sa.Float(), nullable=True),
        sa.Column("score_self", sa.Float(), nullable=True),
        sa.Column("score_us", sa.Float(), nullable=True),
        sa.Column("score_now", sa.Float(), nullable=True),
        sa.Column("score_structure", sa.Float(), nullable=True),
        sa.Column("score_delivery", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("script_text", sa.Text(), nullable=True),
        sa.Column("report", json_doc, nullable=False),
        sa.Column("words", json_doc, nullable=True),
        sa.CheckConstraint("source IN ('recorded', 'imported', 'typed')", name="ck_drafts_source"),
        sa.CheckConstraint("number >= 1", name="ck_drafts_number_positive"),
        sa.ForeignKeyConstraint(
            ["speech_id"], ["speeches.id"], name="fk_drafts_speech_id_speeches", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_drafts"),
        sa.UniqueConstraint("speech_id", "number", name="uq_drafts_speech_number"),
    )
    op.create_index("ix_drafts_speech_overview", "drafts", ["speech_id", "number", "id", "score_overall"])
    op.create_index("ix_drafts_analyzer_version", "drafts", ["analyzer_version"])
    op.create_index("ix_drafts_audio_path", "drafts", ["audio_path"])
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=True),
        sa.Column("end_char", sa.Integer(), nullable=True),
        sa.Column("start_s", sa.Float(), nullable=True),
        sa.Column("end_s", sa.Float(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "end_char IS NULL OR start_char IS NULL OR end_char >= start_char", name="ck_annotations_char_span"
        ),
        sa.CheckConstraint("end_s IS NULL OR start_s IS NULL OR end_s >= start_s", name="ck_annotations_time_span"),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["drafts.id"], name="fk_annotations_draft_id_drafts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_annotations"),
    )
    op.create_index("ix_annotations_draft_id", "annotations", ["draft_id"])


def downgrade() -> None:
    op.drop_index("ix_annotations_draft_id", table_name="annotations")
    op.drop_table("annotations")
    op.drop_index("ix_drafts_audio_path", table_name="drafts")
    op.drop_index("ix_drafts_analyzer_version", table_name="drafts")
    op.drop_index("ix_drafts_speech_overview", table_name="drafts")
    op.drop_table("drafts")
    op.drop_table("speeches")
