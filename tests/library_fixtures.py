"""Fixtures and builders for the storage and library tests: a library on SQLite (a real file) or
on PostgreSQL (a fresh database on the throwaway server of scripts/test.sh), and reports shaped
like the analyser's (contract: ARCHITECTURE.md, report@1)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ELEMENTS = ("self_challenge", "self_choice", "self_outcome", "us_values", "now_urgency", "now_hope", "now_action")


@dataclass
class FakePipelineResult:
    """Shaped like contract 5's PipelineResult (save_draft only reads these attributes)."""

    report: dict[str, Any]
    source: str = "typed"
    audio_path: Path | None = None
    script_text: str | None = None


def make_report(
    text: str,
    *,
    overall: float = 50.0,
    elements: tuple[str, ...] = (),
    version: str = "test-1",
    with_words: bool = True,
    seed: int = 0,
) -> dict[str, Any]:
    rng = random.Random(seed)
    tokens = text.split()
    t = 0.0
    words = []
    for tok in tokens:
        words.append({"word": " " + tok, "start": round(t, 2), "end": round(t + 0.3, 2), "probability": round(rng.uniform(0.6, 1), 3)})
        t += 0.38
    duration = round(t, 2) if with_words else None
    return {
        "schema": "narrative-coach/report@1",
        "text": text,
        "duration_s": duration,
        "transcript": {"language": "en", "model": "tiny.en", "words": words} if with_words else None,
        "sentences": [{"index": 0, "text": text, "start_char": 0, "end_char": len(text), "start_s": 0.0,
                       "end_s": duration, "part": "self", "confidence": 0.7, "cues": ["I"]}],
        "parts": {p: {"share_words": 0.33, "seconds": None, "sentence_count": 1, "score": overall} for p in ("self", "us", "now")},
        "elements": {e: {"present": e in elements, "evidence": [0] if e in elements else []} for e in ELEMENTS},
        "delivery": {"wpm": 150.0 + overall / 10, "fillers": {"count": 2, "per_minute": 1.5, "items": []}},
        "scores": {"overall": overall, "self": overall - 5, "us": overall + 5, "now": overall, "structure": 60.0, "delivery": 70.0},
        "feedback": [{"area": "now", "severity": 0.8, "message": "Name one action.", "evidence": [0]}],
        "analyzer_version": version,
    }


def _pg_database(pg_url: str) -> tuple[str, str]:
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"nc_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(pg_url).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(pg_url: str, name: str) -> None:
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def library_settings(backend: str, settings, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Settings whose database is a real SQLite file, or a fresh PostgreSQL database."""
    if backend == "sqlite":
        yield settings
        return
    pg_url = request.getfixturevalue("pg_url")
    name, url = _pg_database(pg_url)
    try:
        yield settings.with_changes(db_url=url)
    finally:
        _drop_pg_database(pg_url, name)


@pytest.fixture
def library(library_settings):  # type: ignore[no-untyped-def]
    from narrative_coach.app.library import Library

    lib = Library.open(library_settings)
    yield lib
    lib.close()


def write_audio(path: Path, payload: bytes | None = None) -> Path:
    """A small file standing in for a take (storage treats audio as opaque bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload if payload is not None else uuid.uuid4().bytes * 64)
    return path
