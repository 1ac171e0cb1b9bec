"""Contract 5: files and typed text in, PipelineResult out; audio through the real Whisper model."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrative_coach.app.pipeline import PipelineResult, analyze_audio, analyze_path, analyze_text, read_text_file
from narrative_coach.errors import UserError
from narrative_samples import STRONG
from speech_helpers import speak


def test_text_file_keeps_its_text_with_crlf_turned_into_lf(tmp_path: Path, settings) -> None:
    path = tmp_path / "speech.txt"
    raw = STRONG.replace(". ", ".\r\n", 3)
    path.write_bytes(raw.encode("utf-8"))
    result = analyze_path(path, settings)
    assert isinstance(result, PipelineResult)
    assert result.source == "typed" and result.audio_path is None
    expected = raw.replace("\r\n", "\n")
    assert result.report["text"] == expected
    assert result.script_text == expected
    for s in result.report["sentences"]:
        assert expected[s["start_char"] : s["end_char"]] == s["text"]


def test_markdown_and_bom(tmp_path: Path, settings) -> None:
    path = tmp_path / "speech.md"
    path.write_bytes(b"\xef\xbb\xbf" + "We rebuilt this town. I ask you to vote on Tuesday.".encode())
    result = analyze_path(path, settings)
    assert result.report["text"].startswith("We rebuilt")


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\n ", "is empty"),
        ("latin1.txt", "Caf\xe9 society".encode("latin-1"), "not UTF-8"),
        ("binary.txt", b"abc\x00def", "looks binary"),
    ],
)
def test_bad_text_files_are_user_errors(tmp_path: Path, settings, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=words):
        analyze_path(path, settings)


def test_missing_file_and_folder(tmp_path: Path, settings) -> None:
    with pytest.raises(UserError, match="does not exist"):
        read_text_file(tmp_path / "nope.txt")
    with pytest.raises(UserError, match="folder"):
        read_text_file(tmp_path)


def test_typed_text_and_rubric_from_settings(tmp_path: Path, settings) -> None:
    rubric = tmp_path / "r.toml"
    rubric.write_text("[scores.overall]\nself = 1.0\nus = 0\nnow = 0\nstructure = 0\ndelivery = 0\n", encoding="utf-8")
    result = analyze_text(STRONG, settings.with_changes(rubric_path=str(rubric)))
    assert result.report["scores"]["overall"] == result.report["scores"]["self"]
    with pytest.raises(UserError):
        analyze_text("   ", settings)


def test_not_audio_is_a_user_error(tmp_path: Path, settings) -> None:
    path = tmp_path / "notes.docx"
    path.write_text("this is not audio", encoding="utf-8")
    with pytest.raises(UserError):
        analyze_path(path, settings)


@pytest.mark.slow
def test_recording_is_transcribed_and_analysed_with_times(tmp_path: Path, settings, espeak) -> None:
    text = (
        "When I was nine, my family lost our home in the flood. "
        "I decided then to fight for this town. "
        "I am asking you to vote yes on Tuesday."
    )
    wav = speak(text, tmp_path / "take.wav", wpm=150)
    seen: list[float] = []
    result = analyze_audio(wav, settings, source="recorded", on_progress=seen.append)
    r = result.report
    assert result.source == "recorded" and result.audio_path == wav
    assert r["transcript"]["model"] and r["transcript"]["words"]
    assert r["duration_s"] > 5
    assert "flood" in r["text"].lower() and "tuesday" in r["text"].lower()
    assert len(r["sentences"]) >= 2
    for s in r["sentences"]:
        assert r["text"][s["start_char"] : s["end_char"]] == s["text"]
        assert s["start_s"] is not None and s["end_s"] >= s["start_s"]
    assert r["sentences"][-1]["end_s"] <= r["duration_s"] + 0.5
    assert r["delivery"]["wpm"] and 90 < r["delivery"]["wpm"] < 220
    assert r["parts"]["self"]["seconds"] is not None
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
