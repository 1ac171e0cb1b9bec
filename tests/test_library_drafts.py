"""The library's use cases on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

import pytest
from library_fixtures import FakePipelineResult, backend, library, library_settings, make_report, write_audio  # noqa: F401

from narrative_coach.app.library import DraftDetail, DraftSummary, Library
from narrative_coach.errors import UserError
from narrative_coach.storage import files

TEXT_1 = "I grew up on Elm Street. We all share this town. Tonight we must act."
TEXT_2 = "I grew up on Elm Street where the mill closed. We all share this town. Tonight, vote yes."


def test_save_creates_speech_and_numbers_drafts(library: Library, tmp_path: Path) -> None:
    audio = write_audio(tmp_path / "take.flac")
    first = library.save_draft(
        "State of the City",
        FakePipelineResult(make_report(TEXT_1, overall=40), source="imported", audio_path=audio),
        occasion="council", audience="residents", target_minutes=7,
    )
    second = library.save_draft("  state of THE   city ", FakePipelineResult(make_report(TEXT_2, overall=55)))
    third = library.save_draft("Budget", FakePipelineResult(make_report(TEXT_2)), source="recorded")

    assert isinstance(first, DraftSummary)
    assert (first.number, second.number, third.number) == (1, 2, 1)
    assert first.speech_id == second.speech_id != third.speech_id
    assert first.source == "imported" and second.source == "typed" and third.source == "recorded"
    assert first.has_audio and not second.has_audio
    assert first.scores["overall"] == 40 and second.scores["self"] == 50
    assert first.word_count == len(TEXT_1.split())
    assert first.created.tzinfo is not None

    speeches = {s.title: s for s in library.list_speeches()}
    assert set(speeches) == {"State of the City", "Budget"}
    city = speeches["State of the City"]
    assert (city.draft_count, city.latest_draft_id, city.best_overall) == (2, second.id, 55)
    assert city.latest_scores and city.latest_scores["overall"] == 55
    assert city.latest_created == second.created
    assert (city.occasion, city.audience, city.target_minutes) == ("council", "residents", 7)

    history = library.history("STATE OF THE CITY")
    assert [d.id for d in history] == [first.id, second.id]
    assert library.history(city.id) == history
    assert library.history(str(city.id)) == history


def test_get_draft_round_trips_report_words_and_audio(library: Library, tmp_path: Path) -> None:
    payload = b"fLaC" + bytes(range(256)) * 40
    audio = write_audio(tmp_path / "Take One.FLAC", payload)
    report = make_report(TEXT_1, overall=61.5, elements=("self_challenge", "now_action"))
    saved = library.save_draft("Speech", FakePipelineResult(report, source="imported", audio_path=audio, script_text="script"))
    detail = library.get_draft(saved.id)

    assert isinstance(detail, DraftDetail)
    assert detail.report == report  # words stored in their own column come back in place
    assert detail.text == TEXT_1 and detail.script_text == "script"
    assert detail.language == "en" and detail.model == "tiny.en"
    assert detail.duration_s == report["duration_s"]
    assert detail.audio_path is not None and detail.audio_path.read_bytes() == payload
    assert detail.audio_path.is_relative_to(library.home / "audio")
    assert detail.audio_path.suffix == ".flac"
    assert detail.audio_sha256 == files.sha256_of(audio) == detail.audio_path.stem
    # The caller's file is copied, not moved.
    assert audio.exists()


def test_typed_draft_without_transcript(library: Library) -> None:
    report = make_report(TEXT_1, with_words=False)
    saved = library.save_draft("Typed", FakePipelineResult(report, source="typed"))
    detail = library.get_draft(saved.id)
    assert detail.report == report
    assert detail.duration_s is None and detail.audio_path is None


def test_compare_diffs_words_scores_and_elements(library: Library) -> None:
    a = library.save_draft("S", FakePipelineResult(make_report(TEXT_1, overall=40, elements=("self_challenge", "us_values"))))
    b = library.save_draft("S", FakePipelineResult(make_report(TEXT_2, overall=65, elements=("us_values", "now_action", "now_hope"))))
    cmp = library.compare(a.id, b.id)

    assert cmp.a.id == a.id and cmp.b.id == b.id
    assert cmp.score_deltas["overall"] == 25
    assert cmp.elements_gained == ["now_hope", "now_action"]
    assert cmp.elements_lost == ["self_challenge"]
    assert cmp.metric_deltas["wpm"] == pytest.approx(2.5)
    # Rebuilding both texts from the diff proves it covers every word, in order.
    assert " ".join(op.a for op in cmp.diff if op.a) == " ".join(TEXT_1.split())
    assert " ".join(op.b for op in cmp.diff if op.b) == " ".join(TEXT_2.split())
    inserted = " ".join(op.b for op in cmp.diff if op.op in ("insert", "replace"))
    assert "mill" in inserted and "vote" in inserted
    assert 0 < cmp.similarity < 1
    assert cmp.words_added > 0 and cmp.words_removed > 0
    assert cmp.to_dict()["diff"][0]["op"] in ("equal", "insert", "delete", "replace")
    same = library.compare(a.id, a.id)
    assert same.similarity == 1 and same.words_added == same.words_removed == 0


def test_progress_first_best_latest(library: Library) -> None:
    ids = [library.save_draft("P", FakePipelineResult(make_report(TEXT_1, overall=o))).id for o in (30, 72, 55)]
    progress = library.progress("P")
    assert [p.draft_id for p in progress.points] == ids
    assert progress.first and progress.first.draft_id == ids[0]
    assert progress.best and progress.best.draft_id == ids[1] and progress.best.scores["overall"] == 72
    assert progress.latest and progress.latest.draft_id == ids[2]
    empty = library.create_speech("Empty")
    assert library.progress(empty.id).points == [] and library.progress("Empty").best is None


def test_rename_notes_and_duplicate_titles(library: Library) -> None:
    library.save_draft("Old title", FakePipelineResult(make_report(TEXT_1)))
    library.create_speech("Other")
    renamed = library.rename_speech("old title", "New Title")
    assert renamed.title == "New Title" and renamed.draft_count == 1
    assert library.history("new title")[0].speech_title == "New Title"
    with pytest.raises(UserError, match="already a speech"):
        library.rename_speech("New Title", "other")
    with pytest.raises(UserError, match="already a speech"):
        library.create_speech("OTHER")
    assert library.set_notes("New Title", "slow down in the middle").notes == "slow down in the middle"
    assert library.get_speech("New Title").notes == "slow down in the middle"
    assert library.rename_speech("New Title", "new title").title == "new title"  # case change only


def test_delete_draft_removes_audio_and_never_reuses_numbers(library: Library, tmp_path: Path) -> None:
    a = library.save_draft("D", FakePipelineResult(make_report(TEXT_1), audio_path=write_audio(tmp_path / "a.wav")))
    b = library.save_draft("D", FakePipelineResult(make_report(TEXT_2), audio_path=write_audio(tmp_path / "b.wav")))
    b_audio = library.get_draft(b.id).audio_path
    assert b_audio is not None and b_audio.exists()
    library.add_annotation(b.id, "good pause")
    deleted = library.delete_draft(b.id)
    assert deleted.id == b.id
    assert not b_audio.exists()
    with pytest.raises(UserError, match=f"no draft {b.id}"):
        library.get_draft(b.id)
    c = library.save_draft("D", FakePipelineResult(make_report(TEXT_2)))
    assert c.number == 3  # "draft 2" keeps meaning the deleted one in a coach's notes
    assert [d.number for d in library.history("D")] == [1, 3]
    assert library.get_draft(a.id).audio_path.exists()  # type: ignore[union-attr]
    assert library.check().ok


def test_shared_audio_survives_until_last_reference(library: Library, tmp_path: Path) -> None:
    audio = write_audio(tmp_path / "same.wav", b"RIFF" + b"x" * 5000)
    a = library.save_draft("One", FakePipelineResult(make_report(TEXT_1), audio_path=audio))
    b = library.save_draft("Two", FakePipelineResult(make_report(TEXT_2), audio_path=audio))
    path = library.get_draft(a.id).audio_path
    assert path == library.get_draft(b.id).audio_path  # stored once (content-addressed)
    assert library.delete_speech("One") == 1
    assert path is not None and path.exists()
    library.delete_draft(b.id)
    assert not path.exists()
    assert library.check().ok


def test_delete_speech_cascades(library: Library, tmp_path: Path) -> None:
    d1 = library.save_draft("Gone", FakePipelineResult(make_report(TEXT_1), audio_path=write_audio(tmp_path / "1.wav")))
    library.save_draft("Gone", FakePipelineResult(make_report(TEXT_2)))
    keep = library.save_draft("Kept", FakePipelineResult(make_report(TEXT_2)))
    note = library.add_annotation(d1.id, "louder here", start_char=0, end_char=5)
    assert library.delete_speech("gone") == 2
    assert [s.title for s in library.list_speeches()] == ["Kept"]
    with pytest.raises(UserError):
        library.resolve_annotation(note.id)
    assert library.history("Kept")[0].id == keep.id
    assert list((library.home / "audio").rglob("*.wav")) == []
    with pytest.raises(UserError, match="no speech"):
        library.delete_speech("Gone")


def test_annotations(library: Library) -> None:
    d = library.save_draft("A", FakePipelineResult(make_report(TEXT_1)))
    first = library.add_annotation(d.id, "Strong opening", kind="Praise", start_char=0, end_char=23, author="Coach Kim")
    second = library.add_annotation(d.id, "Slow down", start_s=1.0, end_s=3.5)
    assert first.kind == "praise" and first.author == "Coach Kim" and not first.resolved
    assert second.author == "" and second.start_char is None and second.end_s == 3.5
    resolved = library.resolve_annotation(second.id)
    assert resolved.resolved and resolved.resolved_at is not None
    assert [n.id for n in library.list_annotations(d.id)] == [first.id, second.id]
    assert [n.id for n in library.list_annotations(d.id, include_resolved=False)] == [first.id]
    assert not library.resolve_annotation(second.id, resolved=False).resolved
    library.delete_annotation(first.id)
    assert [n.id for n in library.list_annotations(d.id)] == [second.id]
    for bad in (
        dict(body="   "),
        dict(body="x", start_char=5, end_char=2),
        dict(body="x", start_char=0, end_char=len(TEXT_1) + 1),
        dict(body="x", start_char=3),
        dict(body="x", start_s=-1.0, end_s=2.0),
        dict(body="x", kind="k" * 40),
    ):
        with pytest.raises(UserError):
            library.add_annotation(d.id, **bad)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="no draft 999"):
        library.add_annotation(999, "x")


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.get_draft(12345),
        lambda lib: lib.get_draft("abc"),
        lambda lib: lib.delete_draft(777),
        lambda lib: lib.compare(1, 2),
        lambda lib: lib.history("Nope"),
        lambda lib: lib.progress("Nope"),
        lambda lib: lib.rename_speech("Nope", "X"),
        lambda lib: lib.set_notes("Nope", "x"),
        lambda lib: lib.list_annotations(5),
        lambda lib: lib.resolve_annotation(5),
        lambda lib: lib.save_draft("   ", FakePipelineResult(make_report(TEXT_1))),
        lambda lib: lib.save_draft("T" * 201, FakePipelineResult(make_report(TEXT_1))),
        lambda lib: lib.save_draft("S", FakePipelineResult(make_report(TEXT_1), source="dictated")),
        lambda lib: lib.save_draft("S", FakePipelineResult({"no": "text"})),
        lambda lib: lib.save_draft("S", FakePipelineResult(make_report(TEXT_1), audio_path=Path("/no/such.wav"))),
    ],
)
def test_unknown_ids_titles_and_bad_input_are_user_errors(library: Library, call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError) as info:
        call(library)
    assert info.value.message and info.value.hint
    assert library.list_speeches() == []  # nothing half-saved


def test_failed_save_leaves_no_audio_behind(library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    boom = RuntimeError("disk vanished")

    def fail(*_a, **_k):  # type: ignore[no-untyped-def]
        raise boom

    monkeypatch.setattr(library, "_insert_draft", fail)
    with pytest.raises(RuntimeError):
        library.save_draft("S", FakePipelineResult(make_report(TEXT_1), audio_path=write_audio(tmp_path / "t.wav")))
    assert files.list_stored(library.home) == []


def test_reanalyze_outdated_with_a_given_analyser(library: Library, tmp_path: Path) -> None:
    old = library.save_draft("R", FakePipelineResult(make_report(TEXT_1, overall=10, version="v1"),
                                                     audio_path=write_audio(tmp_path / "r.wav")))
    current = library.save_draft("R", FakePipelineResult(make_report(TEXT_2, overall=20, version="v2")))
    calls = []

    def analyse(text: str, **kw):  # type: ignore[no-untyped-def]
        calls.append((text, kw))
        return make_report(text, overall=88, version="v2")

    decoded = []
    done = library.reanalyze_outdated(analyse, "v2", decode_fn=lambda p: decoded.append(p) or b"pcm")
    assert done == [old.id]
    assert calls[0][0] == TEXT_1 and calls[0][1]["audio"] == b"pcm"
    assert calls[0][1]["words"] and calls[0][1]["words"][0]["word"] == " I"
    assert decoded == [library.get_draft(old.id).audio_path]
    again = library.get_draft(old.id)
    assert again.analyzer_version == "v2" and again.scores["overall"] == 88
    assert library.get_draft(current.id).scores["overall"] == 20
    assert library.reanalyze_outdated(analyse, "v2") == []
