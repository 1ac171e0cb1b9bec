"""Audio decoding: every container people bring, resampled to 16 kHz mono float32, and clear errors."""

from __future__ import annotations

import os
import shutil
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile as sf

from narrative_coach.audio.decode import AudioError, check_audio, decode_audio, probe_duration
from conftest import AUDIO_CORPUS
from speech_helpers import speak

JFK = AUDIO_CORPUS / "jfk.flac"


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory, espeak: str) -> Path:
    """About 3 s of espeak-ng speech, 22.05 kHz mono WAV."""
    return speak("Thank you all for coming to the town hall tonight.", tmp_path_factory.mktemp("speech") / "s.wav")


def encode(
    src: Path,
    out: Path,
    codec: str,
    *,
    rate: int = 48000,
    layout: str = "stereo",
    video: str | None = None,
    options: dict[str, str] | None = None,
) -> Path:
    """Re-encode `src` with PyAV (FFmpeg) into `out`'s container, optionally with a video track."""
    data, sr = sf.read(str(src), dtype="float32", always_2d=True)
    mono = data.mean(axis=1)
    with av.open(str(out), "w", options=options or {}) as container:
        if video:
            vs = container.add_stream(video, rate=10)
            vs.width, vs.height, vs.pix_fmt = 64, 48, "yuv420p"
        stream = container.add_stream(codec, rate=rate)
        stream.layout = layout
        resampler = av.AudioResampler(format=stream.format.name, layout=layout, rate=rate)
        channels = 2 if layout == "stereo" else 1
        block = 1024
        pts = 0
        frames_v = 0
        for i in range(0, len(mono), block):
            chunk = np.repeat(mono[i : i + block][None, :], channels, axis=0)
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="fltp", layout=layout)
            frame.sample_rate = sr
            frame.pts = i
            frame.time_base = Fraction(1, sr)
            for rf in resampler.resample(frame):
                rf.pts = pts
                pts += rf.samples
                for packet in stream.encode(rf):
                    container.mux(packet)
            if video and i / sr * 10 >= frames_v:
                img = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), dtype=np.uint8), format="rgb24")
                img.pts = frames_v
                frames_v += 1
                for packet in vs.encode(img):
                    container.mux(packet)
        for rf in resampler.resample(None):
            rf.pts = pts
            pts += rf.samples
            for packet in stream.encode(rf):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
        if video:
            for packet in vs.encode(None):
                container.mux(packet)
    return out


def test_jfk_flac_44k_stereo_24bit(corpus: Path) -> None:
    info = sf.info(str(JFK))
    assert (info.samplerate, info.channels, info.subtype) == (44100, 2, "PCM_24")
    audio = decode_audio(JFK)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert len(audio) == 11 * 16000
    assert np.isfinite(audio).all()
    assert 0.3 < np.abs(audio).max() < 2.0
    assert probe_duration(JFK) == pytest.approx(11.0, abs=0.01)


def test_resamples_to_other_rates(spoken: Path) -> None:
    seconds = sf.info(str(spoken)).duration
    assert len(decode_audio(spoken)) == pytest.approx(seconds * 16000, abs=16)
    assert len(decode_audio(spoken, sample_rate=8000)) == pytest.approx(seconds * 8000, abs=8)


@pytest.mark.parametrize(
    "name, codec, rate, video",
    [
        ("speech.flac", "flac", 44100, None),
        ("speech.mp3", "libmp3lame", 44100, None),
        ("speech.m4a", "aac", 48000, None),
        ("speech.aac", "aac", 44100, None),
        ("speech.ogg", "libopus", 48000, None),
        ("speech.opus", "libopus", 48000, None),
        ("speech.webm", "libopus", 48000, None),
        ("speech.mp4", "aac", 48000, "libx264"),
        ("speech.mov", "aac", 44100, "mpeg4"),
    ],
)
def test_formats(spoken: Path, tmp_path: Path, name: str, codec: str, rate: int, video: str | None) -> None:
    path = encode(spoken, tmp_path / name, codec, rate=rate, video=video)
    reference = decode_audio(spoken)
    audio = decode_audio(path)
    assert audio.dtype == np.float32 and audio.ndim == 1
    # Lossy encoders add priming/padding of up to a few tens of milliseconds.
    assert abs(len(audio) - len(reference)) < 0.1 * 16000
    assert np.sqrt(np.mean(audio**2)) == pytest.approx(np.sqrt(np.mean(reference**2)), rel=0.25)


@pytest.mark.parametrize("clip", ["jfk.flac", "fleurs/fleurs-en-003.ogg", "librispeech/1089-134686-0001.wav"])
def test_same_signal_as_faster_whisper(clip: str) -> None:
    """The model gets what faster-whisper's own decoder gives it (16-bit), minus the rounding."""
    from faster_whisper.audio import decode_audio as fw_decode

    ours, theirs = decode_audio(AUDIO_CORPUS / clip), fw_decode(str(AUDIO_CORPUS / clip))
    assert len(ours) == len(theirs)
    assert np.abs(np.clip(ours, -1, 1) - theirs).max() <= 2 / 32768


def test_stereo_average_keeps_the_level(spoken: Path, tmp_path: Path) -> None:
    path = encode(spoken, tmp_path / "stereo.flac", "flac", rate=22050)  # identical channels
    mono = decode_audio(spoken)
    stereo = decode_audio(path)
    assert np.abs(stereo - mono).max() < 1e-3


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="does not exist"):
        decode_audio(tmp_path / "nope.wav")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="is a folder"):
        decode_audio(tmp_path)


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "speech.txt"
    path.write_text("My fellow citizens, tonight I want to talk about our town.\n")
    with pytest.raises(AudioError, match="text document.*analyze"):
        decode_audio(path)
    # A text file with an audio name is still found out.
    renamed = tmp_path / "speech.wav"
    shutil.copy(path, renamed)
    with pytest.raises(AudioError, match="text document"):
        decode_audio(renamed)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(AudioError, match="empty"):
        decode_audio(path)


def test_zero_length_audio(tmp_path: Path) -> None:
    path = tmp_path / "zero.wav"
    sf.write(str(path), np.zeros(0, dtype=np.float32), 16000)
    assert path.stat().st_size > 0  # a valid header with no samples
    with pytest.raises(AudioError, match="zero length|no audio"):
        decode_audio(path)


def test_corrupt_data(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.mp3"
    path.write_bytes(np.random.default_rng(1).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    with pytest.raises(AudioError, match="not an audio or video file|damaged|no audio"):
        decode_audio(path)


def test_no_audio_track(tmp_path: Path) -> None:
    path = tmp_path / "silent-film.mp4"
    with av.open(str(path), "w") as container:
        vs = container.add_stream("mpeg4", rate=10)
        vs.width, vs.height, vs.pix_fmt = 64, 48, "yuv420p"
        for i in range(10):
            img = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), dtype=np.uint8), format="rgb24")
            img.pts = i
            for packet in vs.encode(img):
                container.mux(packet)
        for packet in vs.encode(None):
            container.mux(packet)
    with pytest.raises(AudioError, match="no audio track"):
        decode_audio(path)


def test_too_long_from_header() -> None:
    with pytest.raises(AudioError, match=r"0:11 long; the limit is 0:05.*Settings"):
        decode_audio(JFK, max_seconds=5)
    with pytest.raises(AudioError, match="limit"):
        check_audio(JFK, max_seconds=5)
    assert check_audio(JFK, max_seconds=60) == pytest.approx(11.0, abs=0.01)


def test_too_long_while_decoding(tmp_path: Path) -> None:
    """A file that declares no length (WebM written live, as browsers record) is stopped while decoding."""
    src = tmp_path / "tone.wav"
    sf.write(str(src), (0.1 * np.sin(np.arange(16000 * 12) * 0.05)).astype(np.float32), 16000)
    path = encode(src, tmp_path / "live.webm", "libopus", layout="mono", options={"live": "1"})
    with av.open(str(path)) as container:
        assert container.duration is None and container.streams.audio[0].duration is None
    assert check_audio(path, max_seconds=5) is None
    with pytest.raises(AudioError, match=r"more than .* the limit is 0:05"):
        decode_audio(path, max_seconds=5)
    assert len(decode_audio(path)) == pytest.approx(12 * 16000, abs=0.1 * 16000)


def test_truncated_file_keeps_what_is_there(spoken: Path, tmp_path: Path) -> None:
    """A recording cut off mid-write (a crash) still decodes up to the cut."""
    data = spoken.read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(data[: len(data) // 2])
    audio = decode_audio(cut)
    assert len(audio) == pytest.approx(len(decode_audio(spoken)) / 2, rel=0.05)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch to another user")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    """Covered end to end as another user in test_cli_transcribe; here: the message wording."""
    from narrative_coach.audio import decode

    path = tmp_path / "private.wav"
    shutil.copy(JFK, path)
    real_open = open

    def deny(p, *a, **k):  # type: ignore[no-untyped-def]
        if str(p) == str(path):
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(p, *a, **k)

    decode.open = deny  # type: ignore[attr-defined]
    try:
        with pytest.raises(AudioError, match="permission to read"):
            decode_audio(path)
    finally:
        del decode.open  # type: ignore[attr-defined]
