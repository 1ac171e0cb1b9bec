"""A small journal of work the user must not lose: a take or a pasted script that has not yet
become a saved draft.

An entry is written *before* transcription/analysis starts and removed only after the draft is
saved, so closing the window (or a crash) mid-way leaves the entry behind; at the next start the
window offers to finish it. The journal lives in the library folder, owner-only. It holds the
pasted text itself (that is the point), so it is never logged.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from narrative_coach.durable import atomic_write_text
from narrative_coach.settings import Settings, ensure_home

JOURNAL = "pending-drafts.json"


@dataclass(frozen=True)
class PendingDraft:
    id: str
    kind: str  # "take" (recorded audio), "file" (imported audio/text), "text" (pasted script)
    speech_title: str
    created: float
    path: str | None = None
    text: str | None = None

    @property
    def source(self) -> str | None:
        """The draft's source; None for a file, whose pipeline result knows (audio or a script)."""
        return {"take": "recorded", "text": "typed"}.get(self.kind)

    def describe(self) -> str:
        when = time.strftime("%d %b %H:%M", time.localtime(self.created))
        what = {"take": "a recorded take", "text": "a pasted script", "file": "an imported file"}[self.kind]
        return f"{what} for “{self.speech_title}” ({when})"


def _path(settings: Settings) -> Path:
    return settings.home / JOURNAL


def load(settings: Settings) -> list[PendingDraft]:
    try:
        raw = json.loads(_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for item in raw if isinstance(raw, list) else []:
        try:
            out.append(PendingDraft(**item))
        except TypeError:
            continue
    # A take or file that has gone (deleted by the user) cannot be finished.
    return [p for p in out if p.kind == "text" or (p.path and Path(p.path).exists())]


def _write(settings: Settings, entries: list[PendingDraft]) -> None:
    ensure_home(settings.home)
    atomic_write_text(_path(settings), json.dumps([asdict(e) for e in entries]), prefix=".pending-")


# The journal is read, changed and rewritten by the GUI thread, the analysis thread and the
# database thread: one lock keeps an update from undoing another.
_lock = threading.Lock()


def new(kind: str, speech_title: str, *, path: Path | None = None, text: str | None = None) -> PendingDraft:
    """An entry, not yet written (cheap: no disk access on the GUI thread)."""
    return PendingDraft(uuid.uuid4().hex, kind, speech_title, time.time(), str(path) if path else None, text)


def record(settings: Settings, entry: PendingDraft) -> PendingDraft:
    """Write the entry to the journal (fsynced) unless it is already there."""
    with _lock:
        entries = load(settings)
        if all(e.id != entry.id for e in entries):
            _write(settings, entries + [entry])
    return entry


def add(settings: Settings, kind: str, speech_title: str, *, path: Path | None = None,
        text: str | None = None) -> PendingDraft:
    return record(settings, new(kind, speech_title, path=path, text=text))


def remove(settings: Settings, entry_id: str) -> None:
    with _lock:
        entries = load(settings)
        kept = [e for e in entries if e.id != entry_id]
        if len(kept) != len(entries):
            _write(settings, kept)
