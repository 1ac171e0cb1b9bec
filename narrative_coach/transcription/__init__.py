"""Local speech-to-text with faster-whisper, run in a child process.

    from narrative_coach.transcription import transcribe
    t = transcribe(Path("take.wav"), settings=settings, on_progress=print, cancel=event)
    t.text, t.words[0].start, t.to_dict()
"""

from narrative_coach.transcription.engine import TranscriptionError, available_cores, transcribe, transcribe_many
from narrative_coach.transcription.models import ModelInfo, available_models, resolve_model
from narrative_coach.transcription.transcript import Transcript, Word

__all__ = [
    "ModelInfo",
    "Transcript",
    "TranscriptionError",
    "Word",
    "available_cores",
    "available_models",
    "resolve_model",
    "transcribe",
    "transcribe_many",
]
