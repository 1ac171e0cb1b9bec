"""Crash and concurrency safety: SIGKILL in the middle of writes, two processes on one library."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from library_fixtures import backend, library_settings  # noqa: F401

from narrative_coach.app.library import Library

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

# A child that saves drafts (with audio and a large report), annotates and deletes, forever,
# printing one line per completed use case.
WRITER = r"""
import os, sys
from pathlib import Path
from library_fixtures import FakePipelineResult, make_report
from narrative_coach.app.library import Library
from narrative_coach.settings import load_settings

speech, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lib = Library.open(load_settings())
work = Path(os.environ["NC_WORK"])
work.mkdir(parents=True, exist_ok=True)
i = 0
while count <= 0 or i < count:
    i += 1
    text = f"{tag} draft {i}. " + " ".join(f"word{j}" for j in range(2000))
    audio = work / f"{tag}-{i}.wav"
    audio.write_bytes(os.urandom(150_000))
    d = lib.save_draft(speech, FakePipelineResult(make_report(text, overall=i % 100, seed=i), source="recorded", audio_path=audio))
    lib.add_annotation(d.id, f"note {i}", start_char=0, end_char=5)
    if i % 4 == 0:
        lib.delete_draft(d.id)
    print(f"saved {d.id} {d.number}", flush=True)
"""


def _env(settings, work: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = dict(os.environ)
    env["NARRATIVE_COACH_HOME"] = str(settings.home)
    if settings.db_url:
        env["NARRATIVE_COACH_DB_URL"] = settings.db_url
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), str(REPO)])
    env["NC_WORK"] = str(work)
    return env


def _writer(settings, work: Path, speech: str, count: int, tag: str) -> subprocess.Popen[str]:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, speech, str(count), tag],
        env=_env(settings, work), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )


def _assert_consistent(settings) -> Library:  # type: ignore[no-untyped-def]
    lib = Library.open(settings)
    result = lib.check(verify_checksums=True)
    assert result.integrity_ok, result.integrity_messages
    assert result.missing_files == [] and result.checksum_mismatches == []
    for speech in lib.list_speeches():
        drafts = lib.history(speech.id)
        numbers = [d.number for d in drafts]
        assert numbers == sorted(set(numbers))
        for summary in drafts:
            d = lib.get_draft(summary.id)
            # A whole draft or none: text, report, words and audio all belong together.
            assert d.report["text"] == d.text and d.text.endswith("word1999") and len(d.text.split()) == 2003
            assert len(d.report["transcript"]["words"]) == len(d.text.split())
            assert d.audio_path is not None and d.audio_path.exists()
            assert all(n.draft_id == d.id for n in lib.list_annotations(d.id))
    # Leftovers of an interrupted copy are at most one file, and can be cleaned away.
    assert len(result.orphan_files) <= 1
    lib.remove_orphans()
    assert lib.check().ok
    return lib


def test_sigkill_during_writes_leaves_the_library_consistent(library_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    Library.open(library_settings).close()
    rng = random.Random(5)
    saved_total = 0
    for round_no in range(4):
        child = _writer(library_settings, tmp_path / "work", "Crash test", 0, f"r{round_no}")
        assert child.stdout is not None
        for _ in range(2 + round_no):
            line = child.stdout.readline()
            assert line.startswith("saved"), child.stderr.read() if child.stderr else line
        time.sleep(rng.uniform(0.0, 0.25))  # land somewhere inside the next save
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
        with _assert_consistent(library_settings) as lib:
            count = len(lib.history("Crash test"))
            assert count >= saved_total  # nothing committed was lost
            saved_total = count
    assert saved_total >= 6


def test_two_processes_write_one_speech_at_once(library_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    Library.open(library_settings).close()
    writers = [_writer(library_settings, tmp_path / "work", "Shared", 12, tag) for tag in ("a", "b")]
    for w in writers:
        out, err = w.communicate(timeout=240)
        assert w.returncode == 0, err
        assert len(out.splitlines()) == 12
    with _assert_consistent(library_settings) as lib:
        numbers = [d.number for d in lib.history("Shared")]
        # 24 saved, every 4th deleted by its writer; numbers unique and never reused.
        assert len(numbers) == 18 and set(numbers) <= set(range(1, 25))


def test_cli_reads_while_another_process_writes(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The command line and the window (here: a writer process) on one SQLite library."""
    Library.open(settings).close()
    writer = _writer(settings, tmp_path / "work", "Busy", 20, "w")
    env = _env(settings, tmp_path / "work")
    reads = 0
    try:
        while writer.poll() is None or reads < 3:
            cli = subprocess.run(
                [sys.executable, "-m", "narrative_coach", "history", "--speech", "Busy", "--json"]
                if reads else [sys.executable, "-m", "narrative_coach", "history", "--json"],
                env=env, capture_output=True, text=True, timeout=60, cwd=REPO,
            )
            if cli.returncode == 2 and "no speech called" in cli.stderr:
                continue  # the writer has not saved its first draft yet
            assert cli.returncode == 0, cli.stderr
            assert isinstance(json.loads(cli.stdout)["drafts"], list)
            reads += 1
        out, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err
    finally:
        if writer.poll() is None:
            writer.kill()
    with _assert_consistent(settings) as lib:
        assert len(lib.history("Busy")) == 15
