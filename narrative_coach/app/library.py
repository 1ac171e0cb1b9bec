"""The speech library: every use case on speeches, drafts and annotations.

Each public method is one unit of work: it opens a Session, does its reads and writes inside one
transaction, and returns plain frozen dataclasses (never ORM objects), so the window can call it
from a worker thread and the command line can print the result. Unknown ids and titles raise
`UserError` with a message a person can act on.

Files and rows are ordered so that a crash at any point never leaves a row pointing at a missing
file: audio is copied (atomically) before the row that refers to it is committed, and removed only
after the row that referred to it is gone. The worst a crash can leave is an orphan file, which
`check()` reports.
"""

from __future__ import annotations

import copy
import difflib
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from narrative_coach.errors import UserError
from narrative_coach.settings import Settings, load_settings
from narrative_coach.storage import files, repositories as repo
from narrative_coach.storage.backup import backup_sqlite
from narrative_coach.storage.engine import WRITE_OPTION, is_sqlite, make_engine, redacted, sqlite_path
from narrative_coach.storage.migrate import UpgradeResult, current_revision, ensure_schema, head_revision
from narrative_coach.storage.models import (
    SCORE_KEYS,
    SOURCES,
    TITLE_MAX,
    Annotation,
    Draft,
    Speech,
    utcnow,
)

log = logging.getLogger(__name__)

ELEMENT_KEYS = (
    "self_challenge",
    "self_choice",
    "self_outcome",
    "us_values",
    "now_urgency",
    "now_hope",
    "now_action",
)
KIND_MAX = 32
_TOKEN = re.compile(r"\S+")


class AnalysisResult(Protocol):
    """What `save_draft` needs from a pipeline result (contract 5's `PipelineResult`)."""

    report: dict[str, Any]
    source: str
    audio_path: Path | None
    script_text: str | None


# ---------------------------------------------------------------------------------------------
# Plain records returned to callers


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    return obj


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))  # type: ignore[call-overload,no-any-return]


@dataclass(frozen=True)
class DraftSummary(_Record):
    id: int
    speech_id: int
    speech_title: str
    number: int
    created: datetime
    source: str
    duration_s: float | None
    word_count: int
    analyzer_version: str
    has_audio: bool
    scores: dict[str, float | None]
    notes: str = ""


@dataclass(frozen=True)
class DraftDetail(DraftSummary):
    text: str = ""
    script_text: str | None = None
    report: dict[str, Any] = field(default_factory=dict)
    audio_path: Path | None = None  # absolute path of the stored audio, if any
    audio_sha256: str | None = None
    language: str | None = None
    model: str | None = None


@dataclass(frozen=True)
class SpeechSummary(_Record):
    id: int
    title: str
    occasion: str | None
    audience: str | None
    target_minutes: float | None
    notes: str
    created: datetime
    updated: datetime
    draft_count: int
    latest_draft_id: int | None
    latest_scores: dict[str, float | None] | None
    best_overall: float | None
    latest_created: datetime | None = None


@dataclass(frozen=True)
class ProgressPoint(_Record):
    draft_id: int
    number: int
    created: datetime
    duration_s: float | None
    scores: dict[str, float | None]


@dataclass(frozen=True)
class Progress(_Record):
    speech_id: int
    speech_title: str
    points: list[ProgressPoint]
    first: ProgressPoint | None
    best: ProgressPoint | None  # highest overall score (the later one on a tie)
    latest: ProgressPoint | None


@dataclass(frozen=True)
class DiffOp(_Record):
    op: str  # "equal", "insert", "delete" or "replace"
    a: str  # the words of draft A in this stretch (empty for insert)
    b: str  # the words of draft B in this stretch (empty for delete)


@dataclass(frozen=True)
class Comparison(_Record):
    a: DraftSummary
    b: DraftSummary
    diff: list[DiffOp]
    similarity: float  # 0..1, difflib ratio over word tokens
    words_added: int
    words_removed: int
    score_deltas: dict[str, float | None]  # B minus A
    metric_deltas: dict[str, float | None]  # duration_s, word_count, wpm, fillers_per_minute
    elements_gained: list[str]
    elements_lost: list[str]


@dataclass(frozen=True)
class AnnotationRecord(_Record):
    id: int
    draft_id: int
    author: str
    kind: str
    start_char: int | None
    end_char: int | None
    start_s: float | None
    end_s: float | None
    body: str
    created: datetime
    resolved: bool
    resolved_at: datetime | None


@dataclass(frozen=True)
class CheckResult(_Record):
    url: str
    current_revision: str | None
    head_revision: str
    integrity_ok: bool
    integrity_messages: list[str]
    missing_files: list[dict[str, Any]]  # {draft_id, path}
    orphan_files: list[str]
    checksum_mismatches: list[dict[str, Any]]  # {draft_id, path}

    @property
    def at_head(self) -> bool:
        return self.current_revision == self.head_revision

    @property
    def ok(self) -> bool:
        return (
            self.at_head
            and self.integrity_ok
            and not self.missing_files
            and not self.orphan_files
            and not self.checksum_mismatches
        )


# ---------------------------------------------------------------------------------------------


class Library:
    """A library of speeches and their drafts. Thread-safe: each call uses its own Session."""

    def __init__(self, settings: Settings, engine: Engine, upgrade: UpgradeResult) -> None:
        self.settings = settings
        self.home = settings.home
        self.engine = engine
        self.upgrade_result = upgrade
        self._read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            bind=engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    # -- lifecycle -----------------------------------------------------------------------------

    @classmethod
    def open(cls, settings: Settings | None = None, *, migrate: bool = True) -> Library:
        """Connect, back up a SQLite file if its schema is behind, migrate, and return the library.

        `migrate=False` (for `db current` and `db check`) only reads the schema revision.
        """
        settings = settings or load_settings()
        engine = make_engine(settings.database_url)
        try:
            if migrate:
                upgrade = ensure_schema(engine, settings.backups_dir)
            else:
                current = current_revision(engine)
                upgrade = UpgradeResult(current, current or "", None)
        except BaseException:
            engine.dispose()
            raise
        return cls(settings, engine, upgrade)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        return redacted(self.engine.url.render_as_string(hide_password=False))

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(str(self.engine.url))

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with _translate_db_errors(), self._read_sessions() as session, session.begin():
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with _translate_db_errors(), self._write_sessions() as session, session.begin():
            yield session

    # -- drafts --------------------------------------------------------------------------------

    def save_draft(
        self,
        speech_title: str,
        result: AnalysisResult,
        *,
        source: str | None = None,
        occasion: str | None = None,
        audience: str | None = None,
        target_minutes: float | None = None,
    ) -> DraftSummary:
        """Store an analysis as the next draft of `speech_title`, creating the speech if missing."""
        title = _clean_title(speech_title)
        report = getattr(result, "report", None)
        if not isinstance(report, dict) or not isinstance(report.get("text"), str):
            raise UserError("There is no analysis to save.", "Analyse the speech first, then save it.")
        source = source or getattr(result, "source", None) or "imported"
        if source not in SOURCES:
            raise UserError(f"Unknown draft source '{source}'.", f"Use one of: {', '.join(SOURCES)}.")
        _check_target(target_minutes)
        stored_report, words = _split_words(report)
        audio_src = getattr(result, "audio_path", None)
        stored = files.store_audio(self.home, Path(audio_src)) if audio_src else None
        try:
            for attempt in range(3):
                try:
                    summary = self._insert_draft(
                        title, report, stored_report, words, source, stored, occasion, audience, target_minutes,
                        getattr(result, "script_text", None),
                    )
                    break
                except UserError as exc:
                    # Two copies sharing a PostgreSQL library created the same new speech at once:
                    # the loser retries and finds the speech the winner made.
                    if not isinstance(exc.__cause__, IntegrityError) or attempt == 2:
                        raise
        except BaseException:
            if stored is not None:
                self._remove_unreferenced([stored.relpath])
            raise
        log.info("saved draft %s (number %s) of speech %s", summary.id, summary.number, summary.speech_id)
        return summary

    def _insert_draft(
        self,
        title: str,
        report: dict[str, Any],
        stored_report: dict[str, Any],
        words: list[dict[str, Any]] | None,
        source: str,
        stored: files.StoredFile | None,
        occasion: str | None,
        audience: str | None,
        target_minutes: float | None,
        script_text: str | None,
    ) -> DraftSummary:
        scores = report.get("scores") or {}
        transcript = report.get("transcript") or {}
        with self._write() as session:
            speech = repo.speech_by_title(session, title, for_update=True)
            now = utcnow()
            if speech is None:
                speech = Speech(
                    title=title, title_key=repo.title_key(title), occasion=occasion, audience=audience,
                    target_minutes=target_minutes, notes="", last_number=0, created=now, updated=now,
                )
                session.add(speech)
            else:
                if occasion is not None:
                    speech.occasion = occasion
                if audience is not None:
                    speech.audience = audience
                if target_minutes is not None:
                    speech.target_minutes = target_minutes
            # The row is locked (SELECT ... FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite),
            # so concurrent saves to one speech queue here and each gets the next number.
            speech.last_number = (speech.last_number or 0) + 1
            speech.updated = now
            session.flush()
            draft = Draft(
                speech_id=speech.id,
                number=speech.last_number,
                created=now,
                source=source,
                duration_s=_num(report.get("duration_s")),
                word_count=len(_TOKEN.findall(report["text"])),
                language=transcript.get("language") if isinstance(transcript, dict) else None,
                model=transcript.get("model") if isinstance(transcript, dict) else None,
                analyzer_version=str(report.get("analyzer_version") or "unknown"),
                audio_path=stored.relpath if stored else None,
                audio_sha256=stored.sha256 if stored else None,
                audio_bytes=stored.size if stored else None,
                notes="",
                text=report["text"],
                script_text=script_text,
                report=stored_report,
                words=words,
                **{f"score_{k}": _num(scores.get(k)) for k in SCORE_KEYS},
            )
            session.add(draft)
            session.flush()
            return _summary_from_row(draft, speech.title)

    def get_draft(self, draft_id: int | str) -> DraftDetail:
        did = _parse_id(draft_id, "draft")
        with self._read() as session:
            draft = repo.draft_full(session, did)
            if draft is None:
                raise _no_draft(draft_id)
            report = _join_words(draft.report, draft.words)
            base = _summary_from_row(draft, draft.speech.title)
            return DraftDetail(
                **{f: getattr(base, f) for f in DraftSummary.__dataclass_fields__},
                text=draft.text,
                script_text=draft.script_text,
                report=report,
                audio_path=files.resolve(self.home, draft.audio_path) if draft.audio_path else None,
                audio_sha256=draft.audio_sha256,
                language=draft.language,
                model=draft.model,
            )

    def history(self, speech: int | str) -> list[DraftSummary]:
        """Every draft of a speech (title or id), oldest first."""
        with self._read() as session:
            found = _find_speech(session, speech)
            rows = repo.draft_summaries(session, speech_id=found.id)
            return [_summary_from_row(r, found.title) for r in rows]

    def all_drafts(self) -> list[DraftSummary]:
        """Every draft of every speech, by speech then number."""
        with self._read() as session:
            titles = {s.id: s.title for s in repo.all_speeches(session)}
            return [_summary_from_row(r, titles[r.speech_id]) for r in repo.draft_summaries(session)]

    def set_draft_notes(self, draft_id: int | str, notes: str) -> DraftSummary:
        did = _parse_id(draft_id, "draft")
        with self._write() as session:
            draft = repo.draft_by_id(session, did)
            if draft is None:
                raise _no_draft(draft_id)
            draft.notes = notes
            session.flush()
            return _summary_from_row(draft, draft.speech.title)

    def delete_draft(self, draft_id: int | str) -> DraftSummary:
        """Delete a draft, its annotations and (when no other draft shares it) its audio file."""
        did = _parse_id(draft_id, "draft")
        with self._write() as session:
            draft = repo.draft_by_id(session, did)
            if draft is None:
                raise _no_draft(draft_id)
            summary = _summary_from_row(draft, draft.speech.title)
            audio = draft.audio_path
            session.delete(draft)
        if audio:
            self._remove_unreferenced([audio])
        return summary

    def compare(self, a_id: int | str, b_id: int | str) -> Comparison:
        """What changed from draft A to draft B: words, scores, metrics and narrative elements."""
        a = self.get_draft(a_id)
        b = self.get_draft(b_id)
        return _compare(a, b)

    # -- speeches ------------------------------------------------------------------------------

    def list_speeches(self) -> list[SpeechSummary]:
        with self._read() as session:
            speeches = repo.all_speeches(session)
            stats = repo.speech_stats(session)
            latest_ids = [s[1] for s in stats.values() if s[1] is not None]
            latest = {r.speech_id: r for r in repo.draft_summaries(session, ids=latest_ids)} if latest_ids else {}
            return [_speech_summary(s, stats.get(s.id), latest.get(s.id)) for s in speeches]

    def get_speech(self, speech: int | str) -> SpeechSummary:
        with self._read() as session:
            return self._speech_summary(session, _find_speech(session, speech))

    def create_speech(
        self,
        title: str,
        *,
        occasion: str | None = None,
        audience: str | None = None,
        target_minutes: float | None = None,
        notes: str = "",
    ) -> SpeechSummary:
        title = _clean_title(title)
        _check_target(target_minutes)
        with self._write() as session:
            if repo.speech_by_title(session, title) is not None:
                raise UserError(f"There is already a speech called '{title}'.", "Choose another title.")
            now = utcnow()
            speech = Speech(
                title=title, title_key=repo.title_key(title), occasion=occasion, audience=audience,
                target_minutes=target_minutes, notes=notes, last_number=0, created=now, updated=now,
            )
            session.add(speech)
            session.flush()
            return _speech_summary(speech, None, None)

    def update_speech(
        self,
        speech: int | str,
        *,
        occasion: str | None = None,
        audience: str | None = None,
        target_minutes: float | None = None,
    ) -> SpeechSummary:
        """Change a speech's details; None leaves a field as it is."""
        _check_target(target_minutes)
        with self._write() as session:
            found = _find_speech(session, speech)
            if occasion is not None:
                found.occasion = occasion or None
            if audience is not None:
                found.audience = audience or None
            if target_minutes is not None:
                found.target_minutes = target_minutes or None
            found.updated = utcnow()
            session.flush()
            return self._speech_summary(session, found)

    def rename_speech(self, speech: int | str, new_title: str) -> SpeechSummary:
        title = _clean_title(new_title)
        with self._write() as session:
            found = _find_speech(session, speech)
            other = repo.speech_by_title(session, title)
            if other is not None and other.id != found.id:
                raise UserError(f"There is already a speech called '{other.title}'.", "Choose another title.")
            found.title = title
            found.title_key = repo.title_key(title)
            found.updated = utcnow()
            session.flush()
            return self._speech_summary(session, found)

    def set_notes(self, speech: int | str, notes: str) -> SpeechSummary:
        with self._write() as session:
            found = _find_speech(session, speech)
            found.notes = notes
            found.updated = utcnow()
            session.flush()
            return self._speech_summary(session, found)

    def delete_speech(self, speech: int | str) -> int:
        """Delete a speech with all its drafts, annotations and audio. Returns the drafts deleted."""
        with self._write() as session:
            found = _find_speech(session, speech)
            audio = [p for p in session.scalars(select(Draft.audio_path).where(Draft.speech_id == found.id)) if p]
            count = len(repo.draft_summaries(session, speech_id=found.id))
            # The database cascades to drafts and annotations (ON DELETE CASCADE, passive_deletes).
            session.delete(found)
        if audio:
            self._remove_unreferenced(audio)
        return count

    def progress(self, speech: int | str) -> Progress:
        """The score series of a speech, with its first, best and latest drafts."""
        with self._read() as session:
            found = _find_speech(session, speech)
            points = [
                ProgressPoint(
                    draft_id=r.id,
                    number=r.number,
                    created=r.created,
                    duration_s=r.duration_s,
                    scores={k: getattr(r, f"score_{k}") for k in SCORE_KEYS},
                )
                for r in repo.score_series(session, found.id)
            ]
        best = None
        for p in points:
            overall = p.scores["overall"]
            if overall is not None and (best is None or overall >= (best.scores["overall"] or 0)):
                best = p
        return Progress(
            speech_id=found.id,
            speech_title=found.title,
            points=points,
            first=points[0] if points else None,
            best=best,
            latest=points[-1] if points else None,
        )

    # -- annotations ---------------------------------------------------------------------------

    def add_annotation(
        self,
        draft_id: int | str,
        body: str,
        *,
        author: str | None = None,
        kind: str = "comment",
        start_char: int | None = None,
        end_char: int | None = None,
        start_s: float | None = None,
        end_s: float | None = None,
    ) -> AnnotationRecord:
        did = _parse_id(draft_id, "draft")
        body = (body or "").strip()
        if not body:
            raise UserError("The annotation is empty.", "Write what you want to say about this passage.")
        kind = (kind or "comment").strip().lower()
        if not kind or len(kind) > KIND_MAX:
            raise UserError(f"'{kind}' is not a valid annotation kind.", "Use e.g. comment, praise or suggestion.")
        with self._write() as session:
            draft = repo.draft_full(session, did)
            if draft is None:
                raise _no_draft(draft_id)
            _check_span(start_char, end_char, len(draft.text), "character")
            _check_span(start_s, end_s, draft.duration_s, "time")
            note = Annotation(
                draft_id=did,
                author=(author if author is not None else self.settings.author_name) or "",
                kind=kind,
                start_char=start_char,
                end_char=end_char,
                start_s=start_s,
                end_s=end_s,
                body=body,
                created=utcnow(),
                resolved=False,
            )
            session.add(note)
            session.flush()
            return _annotation_record(note)

    def list_annotations(self, draft_id: int | str, *, include_resolved: bool = True) -> list[AnnotationRecord]:
        did = _parse_id(draft_id, "draft")
        with self._read() as session:
            if repo.draft_by_id(session, did) is None:
                raise _no_draft(draft_id)
            notes = [_annotation_record(a) for a in repo.annotations_for(session, did)]
        return [n for n in notes if include_resolved or not n.resolved]

    def resolve_annotation(self, annotation_id: int | str, resolved: bool = True) -> AnnotationRecord:
        aid = _parse_id(annotation_id, "annotation")
        with self._write() as session:
            note = repo.annotation_by_id(session, aid)
            if note is None:
                raise UserError(f"There is no annotation {annotation_id}.", "List a draft's annotations to see their ids.")
            note.resolved = resolved
            note.resolved_at = utcnow() if resolved else None
            session.flush()
            return _annotation_record(note)

    def delete_annotation(self, annotation_id: int | str) -> None:
        aid = _parse_id(annotation_id, "annotation")
        with self._write() as session:
            note = repo.annotation_by_id(session, aid)
            if note is None:
                raise UserError(f"There is no annotation {annotation_id}.", "List a draft's annotations to see their ids.")
            session.delete(note)

    # -- analyzer upgrades ---------------------------------------------------------------------

    def outdated_drafts(self, current_version: str) -> list[int]:
        with self._read() as session:
            return repo.outdated_draft_ids(session, current_version)

    def reanalyze_outdated(
        self,
        analyze_fn: Callable[..., dict[str, Any]] | None = None,
        current_version: str | None = None,
        *,
        on_progress: Callable[[int, int], None] | None = None,
        decode_fn: Callable[[Path], Any] | None = None,
    ) -> list[int]:
        """Re-run the analyser on every draft made by another analyzer version.

        By default imports `narrative_coach.analysis.analyze` (and `ANALYZER_VERSION`) lazily, so
        storage never depends on analysis. Each draft is its own transaction: an interruption keeps
        the drafts already done. Audio, when stored, is decoded again so delivery keeps its pitch
        and loudness; if it cannot be decoded the words and timings alone are used.
        Returns the ids re-analysed.
        """
        if analyze_fn is None or current_version is None:
            from narrative_coach import analysis

            analyze_fn = analyze_fn or analysis.analyze
            current_version = current_version or analysis.ANALYZER_VERSION
        if decode_fn is None:
            decode_fn = _default_decoder()
        todo = self.outdated_drafts(current_version)
        done: list[int] = []
        for i, did in enumerate(todo):
            detail = self.get_draft(did)
            audio = None
            if detail.audio_path is not None and decode_fn is not None:
                try:
                    audio = decode_fn(detail.audio_path)
                except Exception as exc:  # noqa: BLE001 - one unreadable take must not stop the rest
                    log.warning("draft %s: audio not decoded for re-analysis (%s)", did, type(exc).__name__)
            transcript = detail.report.get("transcript")
            report = analyze_fn(
                detail.text,
                words=(transcript or {}).get("words") if transcript else None,
                audio=audio,
                transcript=transcript,
                duration_s=detail.duration_s,
            )
            self._replace_report(did, report, current_version)
            done.append(did)
            if on_progress is not None:
                on_progress(i + 1, len(todo))
        return done

    def _replace_report(self, draft_id: int, report: dict[str, Any], version: str) -> None:
        stored_report, words = _split_words(report)
        scores = report.get("scores") or {}
        with self._write() as session:
            draft = repo.draft_by_id(session, draft_id)
            if draft is None:  # deleted meanwhile (another window): nothing to update
                return
            draft.report = stored_report
            if words is not None:
                draft.words = words
            draft.analyzer_version = str(report.get("analyzer_version") or version)
            for k in SCORE_KEYS:
                setattr(draft, f"score_{k}", _num(scores.get(k)))

    # -- maintenance ---------------------------------------------------------------------------

    def backup(self) -> Path:
        """A time-stamped copy of a SQLite library in the backups folder."""
        db_file = sqlite_path(str(self.engine.url))
        if db_file is None:
            raise UserError(
                "Backups of a shared PostgreSQL library are made on the server.",
                "Ask its administrator, or run: pg_dump --format=custom DBNAME > library.dump",
            )
        return backup_sqlite(db_file, self.settings.backups_dir, label="manual")

    def check(self, *, verify_checksums: bool = False) -> CheckResult:
        """Schema at head, database integrity, audio files missing or orphaned (and checksums)."""
        current = current_revision(self.engine)
        messages: list[str] = []
        with self._read() as session:
            if self.is_sqlite:
                messages += [r[0] for r in session.execute(text("PRAGMA integrity_check")) if r[0] != "ok"]
                messages += [
                    f"foreign key broken in {r[0]} row {r[1]}" for r in session.execute(text("PRAGMA foreign_key_check"))
                ]
            # Only a schema at head can be queried with today's models.
            referenced = repo.all_audio_paths(session) if current == head_revision() else []
        missing, mismatched = [], []
        on_disk = set(files.list_stored(self.home))
        for did, rel, sha, size in referenced:
            try:
                path = files.resolve(self.home, rel)
            except UserError:
                missing.append({"draft_id": did, "path": rel})
                continue
            if not path.is_file():
                missing.append({"draft_id": did, "path": rel})
            elif (size is not None and path.stat().st_size != size) or (
                verify_checksums and sha and files.sha256_of(path) != sha
            ):
                mismatched.append({"draft_id": did, "path": rel})
        at_head = current == head_revision()
        orphans = sorted(on_disk - {rel for _d, rel, _s, _z in referenced}) if at_head else []
        return CheckResult(
            url=self.url,
            current_revision=current,
            head_revision=head_revision(),
            integrity_ok=not messages,
            integrity_messages=messages,
            missing_files=missing,
            orphan_files=orphans,
            checksum_mismatches=mismatched,
        )

    def remove_orphans(self) -> list[str]:
        """Delete audio files no draft refers to (leftovers of interrupted saves or deletes)."""
        orphans = self.check().orphan_files
        removed = []
        for rel in orphans:
            if files.is_partial(rel):
                try:
                    (self.home / rel).unlink()
                    removed.append(rel)
                except OSError:
                    pass
            elif self._remove_unreferenced([rel]):
                removed.append(rel)
        return removed

    def _remove_unreferenced(self, relpaths: Sequence[str]) -> list[str]:
        """Delete stored files that no draft refers to any more; returns those removed."""
        removed = []
        try:
            with self._read() as session:
                unused = [rel for rel in set(relpaths) if repo.audio_references(session, rel) == 0]
        except UserError:
            return removed  # the database is unreachable: leave the file, `db check` reports it
        for rel in unused:
            if files.remove_audio(self.home, rel):
                removed.append(rel)
        return removed

    def _speech_summary(self, session: Session, speech: Speech) -> SpeechSummary:
        stats = repo.speech_stats(session).get(speech.id)
        latest = None
        if stats and stats[1] is not None:
            rows = repo.draft_summaries(session, ids=[stats[1]])
            latest = rows[0] if rows else None
        return _speech_summary(speech, stats, latest)


# ---------------------------------------------------------------------------------------------
# Helpers


@contextmanager
def _translate_db_errors() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        msg = str(exc.orig) if exc.orig is not None else str(exc)
        if "locked" in msg or "busy" in msg:
            raise UserError(
                "The library is busy: another copy of Narrative Coach is writing to it.",
                "Wait a moment and try again.",
            ) from exc
        raise UserError(
            f"The library database could not be used: {msg.splitlines()[0][:200]}",
            "Check that the disk is not full and the database server is running, then try again.",
        ) from exc
    except IntegrityError as exc:
        raise UserError(
            "The change conflicts with another change made at the same time.",
            "Reload and try again.",
        ) from exc


def _clean_title(title: str | None) -> str:
    cleaned = " ".join((title or "").split())
    if not cleaned:
        raise UserError("The speech needs a title.", "Give a title, e.g. --speech \"State of the City\".")
    if len(cleaned) > TITLE_MAX:
        raise UserError(f"The title is {len(cleaned)} characters long.", f"Use at most {TITLE_MAX} characters.")
    return cleaned


def _check_target(minutes: float | None) -> None:
    if minutes is not None and not (0 <= minutes <= 600):
        raise UserError(f"A target length of {minutes} minutes is not possible.", "Give minutes between 1 and 600.")


def _check_span(start: float | None, end: float | None, limit: float | None, what: str) -> None:
    if start is None and end is None:
        return
    if start is None or end is None:
        raise UserError(f"A {what} span needs both a start and an end.", "Select the passage again.")
    if start < 0 or end < start or (limit is not None and end > limit + (0.5 if what == "time" else 0)):
        raise UserError(f"The {what} span {start}-{end} is outside this draft.", "Select the passage again.")


def _parse_id(value: int | str, what: str) -> int:
    if isinstance(value, bool):
        raise UserError(f"'{value}' is not a {what} id.", f"Give the {what}'s number as shown by 'narrative-coach history'.")
    if isinstance(value, int):
        return value
    text_value = str(value).strip().lstrip("#")
    if text_value.isdigit():
        return int(text_value)
    raise UserError(f"'{value}' is not a {what} id.", f"Give the {what}'s number as shown by 'narrative-coach history'.")


def _no_draft(draft_id: int | str) -> UserError:
    return UserError(f"There is no draft {draft_id}.", "Run 'narrative-coach history' to see the drafts and their ids.")


def _find_speech(session: Session, speech: int | str) -> Speech:
    found = None
    if isinstance(speech, str):
        found = repo.speech_by_title(session, speech)
        if found is None and speech.strip().isdigit():
            found = repo.speech_by_id(session, int(speech.strip()))
    elif isinstance(speech, int) and not isinstance(speech, bool):
        found = repo.speech_by_id(session, speech)
    if found is None:
        raise UserError(
            f"There is no speech called '{speech}'.", "Run 'narrative-coach history' to see the speeches."
        )
    return found


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if out == out else None  # NaN is stored as unknown


def _split_words(report: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """The report without its transcript words, and the words (stored in their own column)."""
    stored = dict(report)
    transcript = report.get("transcript")
    if not isinstance(transcript, dict) or "words" not in transcript:
        return _jsonsafe(stored), None
    stored["transcript"] = {k: v for k, v in transcript.items() if k != "words"}
    return _jsonsafe(stored), _jsonsafe(list(transcript["words"] or []))


def _join_words(report: dict[str, Any], words: list[dict[str, Any]] | None) -> dict[str, Any]:
    out = copy.deepcopy(report)
    if words is not None and isinstance(out.get("transcript"), dict):
        out["transcript"]["words"] = words
    return out


def _jsonsafe(obj: Any) -> Any:
    """Plain JSON types only (numpy scalars become floats, tuples lists), NaN/inf become null."""
    if isinstance(obj, dict):
        return {str(k): _jsonsafe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonsafe(v) for v in obj]
    if isinstance(obj, (str, bool)) or obj is None:
        return obj
    if isinstance(obj, int):
        return obj
    if isinstance(obj, float):
        return obj if obj == obj and obj not in (float("inf"), float("-inf")) else None
    if hasattr(obj, "item"):  # numpy scalar
        return _jsonsafe(obj.item())
    if hasattr(obj, "tolist"):
        return _jsonsafe(obj.tolist())
    if isinstance(obj, (datetime, Path)):
        return str(obj) if isinstance(obj, Path) else obj.isoformat()
    return str(obj)


def _summary_from_row(row: Any, title: str) -> DraftSummary:
    """A summary from a `Draft` or from a history query row (both carry the same columns)."""
    return DraftSummary(
        id=row.id,
        speech_id=row.speech_id,
        speech_title=title,
        number=row.number,
        created=row.created,
        source=row.source,
        duration_s=row.duration_s,
        word_count=row.word_count,
        analyzer_version=row.analyzer_version,
        has_audio=row.audio_path is not None,
        scores={k: getattr(row, f"score_{k}") for k in SCORE_KEYS},
        notes=row.notes or "",
    )


def _speech_summary(speech: Speech, stats: tuple[int, int | None, float | None] | None, latest: Any) -> SpeechSummary:
    count, latest_id, best = stats if stats else (0, None, None)
    return SpeechSummary(
        id=speech.id,
        title=speech.title,
        occasion=speech.occasion,
        audience=speech.audience,
        target_minutes=speech.target_minutes,
        notes=speech.notes or "",
        created=speech.created,
        updated=speech.updated,
        draft_count=count,
        latest_draft_id=latest_id,
        latest_scores={k: getattr(latest, f"score_{k}") for k in SCORE_KEYS} if latest is not None else None,
        best_overall=best,
        latest_created=latest.created if latest is not None else None,
    )


def _annotation_record(note: Annotation) -> AnnotationRecord:
    return AnnotationRecord(
        id=note.id,
        draft_id=note.draft_id,
        author=note.author,
        kind=note.kind,
        start_char=note.start_char,
        end_char=note.end_char,
        start_s=note.start_s,
        end_s=note.end_s,
        body=note.body,
        created=note.created,
        resolved=bool(note.resolved),
        resolved_at=note.resolved_at,
    )


def _default_decoder() -> Callable[[Path], Any] | None:
    try:
        from narrative_coach.audio.decode import decode_audio
    except ImportError:
        return None
    return decode_audio


def _elements_present(report: dict[str, Any]) -> set[str]:
    elements = report.get("elements") or {}
    present = set()
    for key, value in elements.items():
        if isinstance(value, dict) and value.get("present"):
            present.add(key)
    return present


def _metric(report: dict[str, Any], *path: str) -> float | None:
    node: Any = report
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return _num(node)


def _delta(a: float | None, b: float | None) -> float | None:
    return round(b - a, 3) if a is not None and b is not None else None


def _compare(a: DraftDetail, b: DraftDetail) -> Comparison:
    a_words = _TOKEN.findall(a.text)
    b_words = _TOKEN.findall(b.text)
    matcher = difflib.SequenceMatcher(None, a_words, b_words, autojunk=False)
    diff = []
    added = removed = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        diff.append(DiffOp(op=op, a=" ".join(a_words[i1:i2]), b=" ".join(b_words[j1:j2])))
        if op in ("insert", "replace"):
            added += j2 - j1
        if op in ("delete", "replace"):
            removed += i2 - i1
    gained = _elements_present(b.report) - _elements_present(a.report)
    lost = _elements_present(a.report) - _elements_present(b.report)
    order = {k: i for i, k in enumerate(ELEMENT_KEYS)}
    return Comparison(
        a=DraftSummary(**{f: getattr(a, f) for f in DraftSummary.__dataclass_fields__}),
        b=DraftSummary(**{f: getattr(b, f) for f in DraftSummary.__dataclass_fields__}),
        diff=diff,
        similarity=round(matcher.ratio(), 4),
        words_added=added,
        words_removed=removed,
        score_deltas={k: _delta(a.scores.get(k), b.scores.get(k)) for k in SCORE_KEYS},
        metric_deltas={
            "duration_s": _delta(a.duration_s, b.duration_s),
            "word_count": _delta(float(a.word_count), float(b.word_count)),
            "wpm": _delta(_metric(a.report, "delivery", "wpm"), _metric(b.report, "delivery", "wpm")),
            "fillers_per_minute": _delta(
                _metric(a.report, "delivery", "fillers", "per_minute"),
                _metric(b.report, "delivery", "fillers", "per_minute"),
            ),
        },
        elements_gained=sorted(gained, key=lambda k: order.get(k, 99)),
        elements_lost=sorted(lost, key=lambda k: order.get(k, 99)),
    )
