"""`narrative-coach analyze PATH [--json] [--speech TITLE] [--rubric FILE]` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrative_coach.cli import main
from narrative_samples import RESUME, STRONG


@pytest.fixture
def speech_file(tmp_path: Path) -> Path:
    path = tmp_path / "heat.txt"
    path.write_text(STRONG, encoding="utf-8")
    return path


def test_readable_report_puts_three_coaching_points_first(speech_file: Path, capsys, tmp_path: Path) -> None:
    path = tmp_path / "resume.txt"
    path.write_text(RESUME, encoding="utf-8")
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Narrative Coach report:")
    head = out.split("Coaching, most important first:")[1]
    assert "1. " in head and "2. " in head and "3. " in head
    assert "Scores (0-100): overall" in out
    assert "[ ] story of now: a specific ask" in out


def test_json_report_has_the_contract_fields(speech_file: Path, capsys) -> None:
    assert main(["analyze", str(speech_file), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "narrative-coach/report@1"
    assert report["text"] == STRONG
    for key in ("duration_s", "transcript", "sentences", "parts", "elements", "delivery", "scores", "feedback"):
        assert key in report
    s = report["sentences"][0]
    assert STRONG[s["start_char"] : s["end_char"]] == s["text"]
    assert report["elements"]["now_action"]["present"] is True


def test_speech_option_stores_the_next_draft(speech_file: Path, capsys, settings) -> None:
    assert main(["analyze", str(speech_file), "--speech", "Heat repair fund"]) == 0
    assert "Saved as draft 1" in capsys.readouterr().err
    assert main(["analyze", str(speech_file), "--speech", "Heat repair fund", "--json"]) == 0
    captured = capsys.readouterr()
    assert "Saved as draft 2" in captured.err
    json.loads(captured.out)
    from narrative_coach.app.library import Library

    with Library.open(settings) as lib:
        drafts = lib.history("Heat repair fund")
    assert [d.number for d in drafts] == [1, 2]
    assert drafts[0].source == "typed"


def test_without_speech_nothing_is_stored(speech_file: Path, capsys, library_home: Path) -> None:
    assert main(["analyze", str(speech_file)]) == 0
    assert not (library_home / "library.sqlite3").exists()


def test_errors_are_one_line_with_exit_2(tmp_path: Path, capsys, speech_file: Path) -> None:
    assert main(["analyze", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("narrative-coach: The file") and err.count("\n") == 1
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["analyze", str(empty)]) == 2
    assert "is empty" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("[scores.self]\npresent = 'x'\n", encoding="utf-8")
    assert main(["analyze", str(speech_file), "--rubric", str(bad)]) == 2
    assert "must be a number" in capsys.readouterr().err
    assert "Traceback" not in capsys.readouterr().err


def test_rubric_option_changes_the_scores(tmp_path: Path, capsys, speech_file: Path) -> None:
    rubric = tmp_path / "r.toml"
    rubric.write_text("[scores.overall]\nself = 0\nus = 0\nnow = 1\nstructure = 0\ndelivery = 0\n", encoding="utf-8")
    assert main(["analyze", str(speech_file), "--json", "--rubric", str(rubric)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["scores"]["overall"] == report["scores"]["now"]


@pytest.mark.slow
def test_audio_is_transcribed_with_progress_and_stored_with_its_audio(tmp_path: Path, capsys, settings, espeak) -> None:
    from speech_helpers import speak

    wav = speak("We rebuilt this town after the flood. I am asking you to vote on Tuesday.", tmp_path / "take.wav")
    assert main(["analyze", str(wav), "--json", "--speech", "Flood vote"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert "Transcribing" in captured.err and "Saved as draft 1" in captured.err
    assert report["duration_s"] > 2 and report["transcript"]["words"]
    assert "tuesday" in report["text"].lower()
    from narrative_coach.app.library import Library

    with Library.open(settings) as lib:
        (draft,) = lib.history("Flood vote")
    assert draft.source == "imported" and draft.has_audio
