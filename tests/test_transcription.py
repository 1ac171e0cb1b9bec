"""The transcription engine with the real bundled model on real audio: text, words, progress,
cancel, a killed child, model registry and device errors."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import jiwer
import pytest

from conftest import AUDIO_CORPUS
from narrative_coach.audio.decode import AudioError, decode_audio
from narrative_coach.errors import Cancelled, UserError
from narrative_coach.transcription import Transcript, TranscriptionError, resolve_model, transcribe
from narrative_coach.transcription.models import available_models, bundled_model_path
from narrative_coach.transcription.normalise import normalise
from speech_helpers import join_wavs, silence, speak

JFK = AUDIO_CORPUS / "jfk.flac"
JFK_TEXT = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
CHILD_NAME = "narrative-coach-whisper"

pytestmark = pytest.mark.slow


def whisper_children() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == CHILD_NAME]


@pytest.fixture(scope="module")
def long_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 100 s of real read speech (LJ Speech clips 1-12 joined), 22.05 kHz WAV."""
    clips = sorted((AUDIO_CORPUS / "ljspeech").glob("LJ001-*.wav"))[:12]
    return join_wavs(list(clips), tmp_path_factory.mktemp("long") / "long.wav")


def test_jfk(settings) -> None:  # type: ignore[no-untyped-def]
    progress: list[float] = []
    segments: list[dict] = []
    t = transcribe(JFK, settings=settings, on_progress=progress.append, on_segment=segments.append)
    assert normalise(t.text) == normalise(JFK_TEXT)
    assert (t.language, t.model, t.english_only) == ("en", "tiny.en", True)
    assert t.duration_s == pytest.approx(11.0, abs=0.01)
    assert normalise(" ".join(w.word for w in t.words)) == normalise(JFK_TEXT)
    assert len(t.words) == 22
    for before, after in zip(t.words, t.words[1:]):
        assert before.start <= before.end <= after.start + 0.01
    assert all(0.0 < w.probability <= 1.0 for w in t.words)
    assert t.words[-1].end <= t.duration_s + 0.01
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert segments and set(segments[0]) == {"start", "end", "text", "words"}
    assert " ".join(s["text"] for s in segments) == t.text
    d = t.to_dict()
    assert list(d) == ["text", "language", "duration_s", "model", "words"]
    assert list(d["words"][0]) == ["word", "start", "end", "probability"]
    assert Transcript.from_dict(d).to_dict() == d
    assert not whisper_children()


def test_samples_and_no_verbatim(settings) -> None:  # type: ignore[no-untyped-def]
    """Already-decoded samples are accepted; without verbatim mode the JFK line is word-perfect too."""
    t = transcribe(decode_audio(JFK), settings=settings, verbatim=False)
    assert normalise(t.text) == normalise(JFK_TEXT)
    assert t.duration_s == pytest.approx(11.0, abs=0.01)


def test_generated_speech(settings, tmp_path: Path, espeak: str) -> None:  # type: ignore[no-untyped-def]
    sentences = [
        "Good evening, and thank you for coming to the town hall tonight.",
        "Our library has been closed for two years, and our children deserve better.",
        "On Thursday the council will vote, and I am asking you to be there with me.",
    ]
    parts: list = []
    for i, s in enumerate(sentences):
        parts += [speak(s, tmp_path / f"s{i}.wav", wpm=150), silence(0.8)]
    audio = join_wavs(parts, tmp_path / "speech.wav")
    t = transcribe(audio, settings=settings)
    error = jiwer.wer(normalise(" ".join(sentences)), normalise(t.text))
    assert error <= 0.15, t.text
    # Word times follow the audio: the last sentence starts after the first two.
    starts = [w.start for w in t.words]
    assert starts == sorted(starts) and t.words[-1].end > 0.6 * t.duration_s


def test_cancel_mid_file(settings, long_file: Path) -> None:  # type: ignore[no-untyped-def]
    cancel = threading.Event()
    first_segment = threading.Event()
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            transcribe(long_file, settings=settings, cancel=cancel, on_segment=lambda s: first_segment.set())
            outcome["result"] = "finished"
        except BaseException as exc:  # noqa: BLE001
            outcome["result"] = exc
        outcome["at"] = time.monotonic()

    thread = threading.Thread(target=work)
    thread.start()
    assert first_segment.wait(240), "no segment within 4 minutes"
    assert whisper_children(), "the model should be running in a child process"
    asked = time.monotonic()
    cancel.set()
    thread.join(10)
    assert isinstance(outcome["result"], Cancelled)
    assert float(outcome["at"]) - asked < 1.0  # type: ignore[arg-type]
    assert not whisper_children()


def test_killed_child_is_a_clear_error(settings, long_file: Path) -> None:  # type: ignore[no-untyped-def]
    first_segment = threading.Event()
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            transcribe(long_file, settings=settings, on_segment=lambda s: first_segment.set())
            outcome["result"] = "finished"
        except BaseException as exc:  # noqa: BLE001
            outcome["result"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    assert first_segment.wait(240)
    (child,) = whisper_children()
    os.kill(child.pid, signal.SIGKILL)
    thread.join(10)
    error = outcome["result"]
    assert isinstance(error, TranscriptionError) and isinstance(error, UserError)
    assert "killed by signal SIGKILL" in str(error) and "Try again" in str(error)


def test_bad_input_fails_before_starting_a_child(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = tmp_path / "speech.txt"
    text.write_text("Friends, neighbours, fellow citizens.")
    for bad, message in [(tmp_path / "missing.wav", "does not exist"), (tmp_path, "folder"), (text, "text document")]:
        with pytest.raises(AudioError, match=message):
            transcribe(bad, settings=settings)
    with pytest.raises(AudioError, match="limit"):
        transcribe(JFK, settings=settings.with_changes(max_audio_seconds=5.0))
    assert not whisper_children()


def test_cuda_asked_without_a_gpu(settings) -> None:  # type: ignore[no-untyped-def]
    import ctranslate2

    if ctranslate2.get_cuda_device_count() > 0:
        pytest.skip("this machine has a GPU")
    with pytest.raises(TranscriptionError, match="No CUDA.*'cpu' or 'auto'"):
        transcribe(JFK, settings=settings.with_changes(compute_device="cuda"))
    # "auto" falls back to the CPU.
    t = transcribe(JFK, settings=settings.with_changes(compute_device="auto"), verbatim=False)
    assert normalise(t.text) == normalise(JFK_TEXT)


def test_broken_model_folder(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken-model"
    broken.mkdir()
    shutil.copy(bundled_model_path() / "config.json", broken / "config.json")
    (broken / "model.bin").write_bytes(b"not a model")
    with pytest.raises(TranscriptionError, match="could not be loaded"):
        transcribe(JFK, settings=settings, model=str(broken))


# Model registry (no transcription)


def test_registry_default_and_aliases(settings) -> None:  # type: ignore[no-untyped-def]
    for name in (None, "tiny.en", "default"):
        info = resolve_model(name, settings)
        assert (info.name, info.source, info.english_only) == ("tiny.en", "bundled", True)
        assert (info.path / "model.bin").is_file()
    assert info.describe() == "tiny.en (English only)"


def test_registry_library_and_folder_models(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.models_dir.mkdir(parents=True)
    (settings.models_dir / "my-whisper").symlink_to(bundled_model_path(), target_is_directory=True)
    info = resolve_model("my-whisper", settings)
    assert (info.source, info.english_only) == ("library", True)
    assert [m.name for m in available_models(settings)] == ["tiny.en", "my-whisper"]

    multi = tmp_path / "multilingual"
    multi.mkdir()
    (multi / "model.bin").write_bytes(b"")
    (multi / "config.json").write_text("{}")
    (multi / "vocabulary.txt").write_text("t\n" * 51865)
    info = resolve_model(str(multi), settings)
    assert (info.source, info.english_only, info.describe()) == ("folder", False, f"{multi} (multilingual)")


def test_registry_errors(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError, match=r"Unknown speech model 'large-v9'\. Available: tiny.en\..*models"):
        resolve_model("large-v9", settings)
    with pytest.raises(UserError, match="not a CTranslate2 Whisper model"):
        resolve_model(str(tmp_path), settings)


def test_settings_model_is_used(settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError, match="Unknown speech model 'nope'"):
        transcribe(JFK, settings=settings.with_changes(model="nope"))


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_child_stops_when_the_app_is_killed(long_file: Path, library_home: Path) -> None:
    """A crashed app (kill -9) must not leave a whisper process burning CPU."""
    import subprocess
    import sys

    from conftest import REPO

    script = (
        "import sys\nfrom pathlib import Path\nfrom narrative_coach.transcription import transcribe\n"
        "if __name__ == '__main__':\n"
        "    transcribe(Path(sys.argv[1]), on_segment=lambda s: print('segment', flush=True))\n"
    )
    app = subprocess.Popen([sys.executable, "-c", script, str(long_file)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert app.stdout is not None and app.stdout.readline().strip() == "segment"
        # The resource tracker is the other child; the whisper child runs spawn_main.
        whisper = [pid for pid in _children_of(app.pid) if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()]
        assert len(whisper) == 1, "the app should have one whisper child"
        app.kill()
        app.wait(10)
        # Without a watchdog it would only notice at its next message, seconds later.
        deadline = time.monotonic() + 1.0
        while any(_alive(pid) for pid in whisper) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in whisper)
    finally:
        if app.poll() is None:
            app.kill()
