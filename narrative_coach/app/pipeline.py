"""Use case: turn a file or typed text into a report (contract 5). Shared by the CLI and the window.

    result = analyze_path(Path("speech.txt"), settings)      # typed script
    result = analyze_path(Path("take.flac"), settings, on_progress=bar, cancel=event)
    Library.open(settings).save_draft("Flood bond", result)

Text files (.txt, .md) are read as UTF-8 with "\\r\\n" turned into "\\n" (offsets index into that
text). Anything else is audio: transcribed on this machine in a child process, then decoded here
once more for pitch and loudness, then analysed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from narrative_coach.analysis import analyze, load_rubric
from narrative_coach.errors import Cancelled, UserError
from narrative_coach.settings import Settings

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
MAX_TEXT_BYTES = 5_000_000
TRANSCRIBE_SHARE = 0.9  # of the progress bar; decoding and analysis take the rest


@dataclass(frozen=True)
class PipelineResult:
    report: dict
    source: str  # "typed" | "imported" | "recorded"
    audio_path: Path | None = None
    script_text: str | None = None


def read_text_file(path: Path) -> str:
    """The file's UTF-8 text with \\r\\n (and lone \\r) turned into \\n. Errors are `UserError`s."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"The file {path} does not exist.", "Check the path and try again.")
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a speech.", "Give a .txt or .md file, or an audio file.")
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise UserError(
                f"The file {path} is too large for one speech ({size / 1e6:.1f} MB).",
                "Analyse one speech at a time.",
            )
        raw = path.read_bytes()
    except PermissionError:
        raise UserError(f"Cannot read {path}: permission denied.", "Check the file's permissions.") from None
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror or exc}.", "Check the file and try again.") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(
            f"The file {path} is not UTF-8 text.",
            "Save it as UTF-8 (in most editors: Save As, encoding UTF-8) and try again.",
        ) from None
    if "\x00" in text:
        raise UserError(f"The file {path} looks binary, not like text.", "Give a .txt or .md file with the speech.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _rubric(settings: Settings):  # type: ignore[no-untyped-def]
    return load_rubric(settings.rubric_path or None)


def analyze_text(text: str, settings: Settings, *, rubric_path: Path | None = None) -> PipelineResult:
    """A typed or pasted script. Empty text is a `UserError` (nothing to coach)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UserError("The speech is empty.", "Type, paste or import the speech text first.")
    rubric = load_rubric(rubric_path) if rubric_path else _rubric(settings)
    report = analyze(text, rubric=rubric)
    return PipelineResult(report=report, source="typed", audio_path=None, script_text=text)


def analyze_audio(
    path: Path,
    settings: Settings,
    *,
    source: str = "imported",
    on_progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
    rubric_path: Path | None = None,
    script_text: str | None = None,
) -> PipelineResult:
    """Transcribe a recording on this machine, then analyse narrative and delivery."""
    from narrative_coach.audio.decode import decode_audio
    from narrative_coach.transcription import transcribe

    if source not in ("imported", "recorded"):
        raise ValueError(f"audio source must be 'imported' or 'recorded', not {source!r}")
    path = Path(path)
    rubric = load_rubric(rubric_path) if rubric_path else _rubric(settings)

    def scaled(fraction: float) -> None:
        if on_progress is not None:
            on_progress(min(1.0, max(0.0, fraction)) * TRANSCRIBE_SHARE)

    transcript = transcribe(path, settings=settings, on_progress=scaled, cancel=cancel)
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    audio = decode_audio(path, max_seconds=settings.max_audio_seconds)
    if on_progress is not None:
        on_progress(0.95)
    data = transcript.to_dict()
    if not data["text"].strip():
        raise UserError(
            f"No speech was recognised in {path.name}.",
            "Check that the recording has your voice in it (and the microphone was on), then try again.",
        )
    report = analyze(
        data["text"],
        words=data["words"],
        audio=audio,
        sample_rate=16000,
        transcript=data,
        duration_s=data["duration_s"],
        rubric=rubric,
    )
    if on_progress is not None:
        on_progress(1.0)
    return PipelineResult(report=report, source=source, audio_path=path, script_text=script_text)


def is_text_file(path: Path) -> bool:
    return Path(path).suffix.lower() in TEXT_SUFFIXES


def analyze_path(
    path: Path,
    settings: Settings,
    *,
    on_progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
    rubric_path: Path | None = None,
) -> PipelineResult:
    """A .txt/.md script is analysed as typed text; anything else is transcribed first."""
    path = Path(path)
    if is_text_file(path):
        text = read_text_file(path)
        if not text.strip():
            raise UserError(f"The file {path} is empty.", "Write or paste the speech into it, then analyse it again.")
        result = analyze_text(text, settings, rubric_path=rubric_path)
        if on_progress is not None:
            on_progress(1.0)
        return result
    return analyze_audio(path, settings, source="imported", on_progress=on_progress, cancel=cancel, rubric_path=rubric_path)
