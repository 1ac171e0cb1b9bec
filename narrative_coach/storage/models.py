"""The library's tables, in SQLAlchemy 2.0 typed ORM.

Speech 1--n Draft 1--n Annotation. A draft keeps the report JSON exactly as the analyser produced
it (minus the transcript words, which sit in their own JSON column so they are stored once), the
analyzer version that made it, and the key scores copied into columns so history lists and
progress charts never parse JSON. Large columns are `deferred`: listing drafts never loads them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

SOURCES = ("recorded", "imported", "typed")
SCORE_KEYS = ("overall", "self", "us", "now", "structure", "delivery")
TITLE_MAX = 200

# Stable constraint names so later migrations (and SQLite batch mode) can refer to them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone, so we restore it on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


# JSONB on PostgreSQL (queryable with jsonb_array_elements), JSON text elsewhere (json_each).
JSONDoc = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Speech(Base):
    __tablename__ = "speeches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    # Case-folded title: "Budget Speech" and "budget speech" are the same speech.
    title_key: Mapped[str] = mapped_column(String(TITLE_MAX), unique=True)
    occasion: Mapped[str | None] = mapped_column(String(500))
    audience: Mapped[str | None] = mapped_column(String(500))
    target_minutes: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Highest draft number ever given: numbers are never reused after a delete, and bumping this
    # row serialises concurrent saves to one speech on PostgreSQL (row lock) without retries.
    last_number: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    drafts: Mapped[list[Draft]] = relationship(
        back_populates="speech", cascade="all, delete-orphan", passive_deletes=True, order_by="Draft.number"
    )


class Draft(Base):
    __tablename__ = "drafts"
    __table_args__ = (
        UniqueConstraint("speech_id", "number", name="uq_drafts_speech_number"),
        CheckConstraint("source IN ('recorded', 'imported', 'typed')", name="source"),
        CheckConstraint("number >= 1", name="number_positive"),
        # Covers the per-speech counts, latest draft and best score of the speech list, so that
        # query never reads the draft rows (whose reports make them large).
        Index("ix_drafts_speech_overview", "speech_id", "number", "id", "score_overall"),
        Index("ix_drafts_analyzer_version", "analyzer_version"),
        Index("ix_drafts_audio_path", "audio_path"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    speech_id: Mapped[int] = mapped_column(ForeignKey("speeches.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(16))
    duration_s: Mapped[float | None] = mapped_column(Float)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str | None] = mapped_column(String(16))
    model: Mapped[str | None] = mapped_column(String(100))
    analyzer_version: Mapped[str] = mapped_column(String(50))
    # Audio file relative to the library folder (forward slashes) with its SHA-256 and size.
    audio_path: Mapped[str | None] = mapped_column(String(300))
    audio_sha256: Mapped[str | None] = mapped_column(String(64))
    audio_bytes: Mapped[int | None] = mapped_column(Integer)
    score_overall: Mapped[float | None] = mapped_column(Float)
    score_self: Mapped[float | None] = mapped_column(Float)
    score_us: Mapped[float | None] = mapped_column(Float)
    score_now: Mapped[float | None] = mapped_column(Float)
    score_structure: Mapped[float | None] = mapped_column(Float)
    score_delivery: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    script_text: Mapped[str | None] = mapped_column(Text, deferred=True)
    report: Mapped[dict[str, Any]] = mapped_column(JSONDoc, deferred=True)
    words: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONDoc, deferred=True)

    speech: Mapped[Speech] = relationship(back_populates="drafts")
    annotations: Mapped[list[Annotation]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", passive_deletes=True, order_by="Annotation.id"
    )

    def scores(self) -> dict[str, float | None]:
        return {key: getattr(self, f"score_{key}") for key in SCORE_KEYS}


class Annotation(Base):
    __tablename__ = "annotations"
    __table_args__ = (
        CheckConstraint("end_char IS NULL OR start_char IS NULL OR end_char >= start_char", name="char_span"),
        CheckConstraint("end_s IS NULL OR start_s IS NULL OR end_s >= start_s", name="time_span"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(32), default="comment")
    start_char: Mapped[int | None] = mapped_column(Integer)
    end_char: Mapped[int | None] = mapped_column(Integer)
    start_s: Mapped[float | None] = mapped_column(Float)
    end_s: Mapped[float | None] = mapped_column(Float)
    body: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    draft: Mapped[Draft] = relationship(back_populates="annotations")
