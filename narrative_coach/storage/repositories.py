"""Queries and writes on the library tables. Every function receives the caller's Session and
never commits: the use case (app/library.py) decides where the transaction begins and ends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, undefer

from narrative_coach.storage.models import Annotation, Draft, Speech

# Columns of a draft's summary: everything but the large deferred ones.
SUMMARY_COLUMNS = (
    Draft.id,
    Draft.speech_id,
    Draft.number,
    Draft.created,
    Draft.source,
    Draft.duration_s,
    Draft.word_count,
    Draft.analyzer_version,
    Draft.audio_path,
    Draft.score_overall,
    Draft.score_self,
    Draft.score_us,
    Draft.score_now,
    Draft.score_structure,
    Draft.score_delivery,
    Draft.notes,
)


def title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def speech_by_title(session: Session, title: str, *, for_update: bool = False) -> Speech | None:
    """`for_update` locks the row (PostgreSQL) until the transaction ends, so a value read from
    it (the last draft number) cannot change before the write that depends on it."""
    query = select(Speech).where(Speech.title_key == title_key(title))
    if for_update:
        query = query.with_for_update()
    return session.scalar(query)


def speech_by_id(session: Session, speech_id: int) -> Speech | None:
    return session.get(Speech, speech_id)


def all_speeches(session: Session) -> Sequence[Speech]:
    return session.scalars(select(Speech).order_by(Speech.title_key)).all()


def speech_stats(session: Session) -> dict[int, tuple[int, int | None, float | None]]:
    """speech id -> (draft count, id of the latest draft, best overall score)."""
    rows = session.execute(
        select(Draft.speech_id, func.count(Draft.id), func.max(Draft.number), func.max(Draft.score_overall)).group_by(
            Draft.speech_id
        )
    ).all()
    stats = {sid: (count, best) for sid, count, _number, best in rows}
    latest_ids = _latest_ids(session)
    return {sid: (count, latest_ids.get(sid), best) for sid, (count, best) in stats.items()}


def _latest_ids(session: Session) -> dict[int, int]:
    latest = (
        select(Draft.speech_id, func.max(Draft.number).label("number")).group_by(Draft.speech_id).subquery()
    )
    rows = session.execute(
        select(Draft.speech_id, Draft.id).join(
            latest, (Draft.speech_id == latest.c.speech_id) & (Draft.number == latest.c.number)
        )
    ).all()
    return {sid: did for sid, did in rows}


def draft_summaries(session: Session, speech_id: int | None = None, ids: Sequence[int] | None = None) -> Sequence[Row[Any]]:
    query = select(*SUMMARY_COLUMNS)
    if speech_id is not None:
        query = query.where(Draft.speech_id == speech_id)
    if ids is not None:
        query = query.where(Draft.id.in_(list(ids)))
    return session.execute(query.order_by(Draft.speech_id, Draft.number)).all()


def score_series(session: Session, speech_id: int) -> Sequence[Row[Any]]:
    return session.execute(
        select(
            Draft.id,
            Draft.number,
            Draft.created,
            Draft.duration_s,
            Draft.score_overall,
            Draft.score_self,
            Draft.score_us,
            Draft.score_now,
            Draft.score_structure,
            Draft.score_delivery,
        )
        .where(Draft.speech_id == speech_id)
        .order_by(Draft.number)
    ).all()


def draft_full(session: Session, draft_id: int) -> Draft | None:
    return session.scalar(
        select(Draft).where(Draft.id == draft_id).options(undefer(Draft.text), undefer(Draft.script_text),
                                                          undefer(Draft.report), undefer(Draft.words))
    )


def draft_by_id(session: Session, draft_id: int) -> Draft | None:
    return session.get(Draft, draft_id)


def next_draft_number(session: Session, speech_id: int) -> int:
    current = session.scalar(select(func.max(Draft.number)).where(Draft.speech_id == speech_id))
    return (current or 0) + 1


def audio_references(session: Session, relpath: str, excluding_draft: int | None = None) -> int:
    query = select(func.count(Draft.id)).where(Draft.audio_path == relpath)
    if excluding_draft is not None:
        query = query.where(Draft.id != excluding_draft)
    return int(session.scalar(query) or 0)


def all_audio_paths(session: Session) -> list[tuple[int, str, str | None, int | None]]:
    rows = session.execute(
        select(Draft.id, Draft.audio_path, Draft.audio_sha256, Draft.audio_bytes).where(Draft.audio_path.is_not(None))
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def outdated_draft_ids(session: Session, current_version: str) -> list[int]:
    return list(
        session.scalars(
            select(Draft.id).where(Draft.analyzer_version != current_version).order_by(Draft.id)
        ).all()
    )


def annotations_for(session: Session, draft_id: int) -> Sequence[Annotation]:
    return session.scalars(select(Annotation).where(Annotation.draft_id == draft_id).order_by(Annotation.id)).all()


def annotation_by_id(session: Session, annotation_id: int) -> Annotation | None:
    return session.get(Annotation, annotation_id)
