"""The library with the real pipeline: an espeak recording transcribed and stored, re-analysis
with the real analyser, and one Library shared by threads (as the window's workers do)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from library_fixtures import FakePipelineResult, backend, library, library_settings, make_report  # noqa: F401
from speech_helpers import speak

from narrative_coach.app.library import Library
from narrative_coach.storage import files

SCRIPT = (
    "When the river flooded my street, I carried my neighbours' children to the school gym. "
    "We are a town that shows up for each other. Tonight I ask you to vote yes on the flood bond."
)


@pytest.mark.slow
def test_recorded_speech_is_transcribed_analysed_and_stored(settings, espeak, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from narrative_coach.app.pipeline import analyze_audio

    wav = speak(SCRIPT, tmp_path / "take.wav")
    result = analyze_audio(wav, settings, source="recorded")
    with Library.open(settings) as lib:
        saved = lib.save_draft("Flood bond", result)
        draft = lib.get_draft(saved.id)
        assert saved.source == "recorded" and saved.has_audio and saved.number == 1
        assert draft.report == result.report
        assert draft.duration_s == pytest.approx(result.report["duration_s"])
        assert "flood" in draft.text.lower()
        assert len(draft.report["transcript"]["words"]) >= 20
        assert draft.audio_path is not None and files.sha256_of(draft.audio_path) == files.sha256_of(wav)
        assert draft.scores["overall"] == result.report["scores"]["overall"]
        assert lib.check(verify_checksums=True).ok


def test_reanalyze_with_the_real_analyser(library: Library) -> None:
    from narrative_coach.analysis import ANALYZER_VERSION

    old = library.save_draft("R", FakePipelineResult(make_report(SCRIPT, overall=1, version="0.0-old", with_words=False)))
    assert library.outdated_drafts(ANALYZER_VERSION) == [old.id]
    assert library.reanalyze_outdated() == [old.id]
    draft = library.get_draft(old.id)
    assert draft.analyzer_version == ANALYZER_VERSION == draft.report["analyzer_version"]
    assert draft.scores["overall"] == draft.report["scores"]["overall"] != 1
    assert draft.report["text"] == SCRIPT
    assert library.outdated_drafts(ANALYZER_VERSION) == []


def test_one_library_shared_by_threads(library: Library) -> None:
    errors: list[BaseException] = []

    def work(tag: int) -> None:
        try:
            for i in range(6):
                library.save_draft("Threads", FakePipelineResult(make_report(f"{SCRIPT} {tag} {i}", overall=i)))
                library.list_speeches()
                library.history("Threads")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(d.number for d in library.history("Threads")) == list(range(1, 25))
