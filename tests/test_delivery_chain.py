"""The real chain: espeak-ng speech -> decode -> Whisper (tiny.en) -> delivery analysis; and real
recorded speech from the shared corpus for pitch and loudness."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from conftest import AUDIO_CORPUS
from delivery_fixtures import espeak_clip, sentences_of
from narrative_coach.analysis.delivery import analyze_delivery
from narrative_coach.audio.decode import decode_audio
from narrative_coach.transcription import transcribe

SR = 16000
TEXT = ("My father drove a bus in this city for thirty years. Every morning he left before dawn. "
        "We are a city that shows up for each other. Now the routes are being cut, and we have until March "
        "to stop it. I am asking you to come to the council meeting on Tuesday.")


def _transcribe(x: np.ndarray, path: Path, settings) -> dict:
    sf.write(str(path), x, SR)
    return transcribe(path, settings=settings).to_dict()


PACES = (120, 150, 190)


@pytest.fixture(scope="module")
def pace_takes(tmp_path_factory, espeak) -> dict[int, tuple[np.ndarray, float, dict]]:
    """The script at three espeak rates, transcribed in one child process (one model load)."""
    from narrative_coach.settings import load_settings
    from narrative_coach.transcription import transcribe_many

    tmp = tmp_path_factory.mktemp("pace")
    takes, paths = {}, []
    for wpm in PACES:
        speech = espeak_clip(TEXT, tmp, wpm=wpm)
        x = np.concatenate([np.zeros(SR // 2, np.float32), speech, np.zeros(SR // 2, np.float32)])
        path = tmp / f"pace{wpm}.wav"
        sf.write(str(path), x, SR)
        paths.append(path)
        takes[wpm] = (x, speech.size / SR)
    transcripts = transcribe_many(paths, settings=load_settings(tmp / "home"))
    return {wpm: (*takes[wpm], t.to_dict()) for wpm, t in zip(PACES, transcripts)}


@pytest.mark.slow
@pytest.mark.parametrize("espeak_wpm", PACES)
def test_pace_through_whisper_within_10_percent(espeak_wpm, pace_takes):
    x, speech_s, t = pace_takes[espeak_wpm]
    true_wpm = len(TEXT.split()) / speech_s * 60  # words over speaking time
    d = analyze_delivery(t["text"], sentences_of(t["text"]), t["words"], x, SR).delivery
    assert d["wpm"] == pytest.approx(true_wpm, rel=0.10)
    assert d["speaking_time_s"] == pytest.approx(speech_s, abs=0.3)


@pytest.mark.slow
def test_pauses_through_whisper_found_classed_and_placed(tmp_path, settings, espeak):
    script = ["My father drove a bus in this city for thirty years.", 0.5, "Every morning he left before dawn.", 1.5,
              "Now the routes are being cut, and we have until", 3.0, "March to stop it."]
    parts, known, t = [np.zeros(SR // 4, np.float32)], [], 0.25
    for seg in script:
        clip = np.zeros(int(seg * SR), np.float32) if isinstance(seg, float) else espeak_clip(seg, tmp_path)
        if isinstance(seg, float):
            known.append((t, t + seg))
        parts.append(clip)
        t += clip.size / SR
    parts.append(np.zeros(SR // 4, np.float32))
    x = np.concatenate(parts)
    tr = _transcribe(x, tmp_path / "pauses.wav", settings)
    p = analyze_delivery(tr["text"], sentences_of(tr["text"]), tr["words"], x, SR).delivery["pauses"]
    found = []
    for (start, end), cls, place in zip(known, ["medium", "long", "long"],
                                        ["between_sentences", "between_sentences", "inside_phrase"]):
        match = [it for it in p["items"] if abs(it["start"] - start) <= 0.2 and abs(it["end"] - end) <= 0.2]
        assert len(match) == 1, (start, end, p["items"])
        assert (match[0]["class"], match[0]["place"]) == (cls, place)
        found.append(match[0])
    assert found[2]["after_word"] == "until"
    assert p["long_inside_sentence"] == [found[2]]


# Real recorded speech: plausible pitch and loudness (figures reported in docs/delivery.md).
# (the FLEURS clips are recorded at about -60 dBFS: plausible pitch, but outside the loudness check)
CORPUS_FILES = ["jfk.flac", "librispeech/2412-153948-0000.flac", "ljspeech", "ami/ES2011a.Headset-0-40s-46s.wav"]


def _corpus_paths() -> list[Path]:
    paths = []
    for name in CORPUS_FILES:
        p = AUDIO_CORPUS / name
        if p.is_dir():
            paths.extend(sorted(q for q in p.iterdir() if q.suffix in {".wav", ".flac", ".ogg"})[:1])
        else:
            paths.append(p)
    return paths


@pytest.mark.parametrize("path", _corpus_paths(), ids=lambda p: p.name)
def test_real_speech_has_plausible_pitch_and_loudness(path, corpus):
    x = decode_audio(path)
    d = analyze_delivery("", [], None, x, SR).delivery
    pitch, loud = d["pitch"], d["loudness"]
    assert pitch["available"]
    assert 70 <= pitch["median_hz"] <= 300  # adult speaking voices
    assert 1.0 <= pitch["overall_semitone_sd"] <= 8.0  # read and spoken English: a few semitones
    assert -45 <= loud["mean_dbfs"] <= -3
    assert d["pauses"]["available"]
