"""One typed settings object for the whole app.

Values come from, in order of precedence: environment overrides (`NARRATIVE_COACH_HOME`,
`NARRATIVE_COACH_DB_URL`, `NARRATIVE_COACH_MODEL`), then `settings.json` in the library folder,
then the defaults below. Environment overrides are never written back to the file, so a test run
or a one-off `NARRATIVE_COACH_DB_URL=... narrative-coach` cannot change a user's saved choices.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from narrative_coach.durable import atomic_write_text
from narrative_coach.errors import UserError

APP_NAME = "narrative-coach"
SETTINGS_FILE = "settings.json"
LOCATION_POINTER = "library-location"
ENV_HOME = "NARRATIVE_COACH_HOME"
ENV_DB_URL = "NARRATIVE_COACH_DB_URL"
ENV_MODEL = "NARRATIVE_COACH_MODEL"
DEFAULT_MODEL = "tiny.en"
DEFAULT_MAX_AUDIO_SECONDS = 3 * 60 * 60.0


@dataclass(frozen=True)
class Settings:
    """Everything configurable. Paths derive from `home`; use `with_changes` to update."""

    home: Path
    db_url: str = ""
    model: str = DEFAULT_MODEL
    compute_device: str = "cpu"  # "cpu", "cuda" or "auto"
    verbatim: bool = True
    max_audio_seconds: float = DEFAULT_MAX_AUDIO_SECONDS
    input_device: str | None = None
    output_device: str | None = None
    author_name: str = ""
    theme: str = "system"  # "system", "light" or "dark"
    rubric_path: str | None = None
    first_run_done: bool = False
    # Names of the fields whose value came from the environment; never persisted.
    env_overrides: frozenset[str] = field(default_factory=frozenset)

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.home / 'library.sqlite3'}"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def audio_dir(self) -> Path:
        return self.home / "audio"

    @property
    def takes_dir(self) -> Path:
        """Takes being recorded live here until they are saved as drafts."""
        return self.home / "takes"

    @property
    def backups_dir(self) -> Path:
        return self.home / "backups"

    @property
    def log_path(self) -> Path:
        return self.home / "narrative-coach.log"

    @property
    def settings_path(self) -> Path:
        return self.home / SETTINGS_FILE

    def with_changes(self, **changes: object) -> "Settings":
        return replace(self, **changes)


_PERSISTED = {f.name for f in fields(Settings)} - {"home", "env_overrides"}


def location_pointer_path() -> Path:
    """Where the folder chosen in Settings is remembered. It cannot live in settings.json,
    which is stored inside the library folder itself."""
    return Path(user_config_dir(APP_NAME, appauthor=False)) / LOCATION_POINTER


def default_home() -> Path:
    """The library folder: NARRATIVE_COACH_HOME, else the folder chosen in Settings, else the
    platform's user data folder. The window and the command line both start here."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    try:
        chosen = location_pointer_path().read_text(encoding="utf-8").strip()
    except OSError:
        chosen = ""
    if chosen:
        return Path(chosen).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False))


def remember_home(folder: Path) -> None:
    """Make `folder` the library folder of every later start (window and command line)."""
    pointer = location_pointer_path()
    pointer.parent.mkdir(parents=True, exist_ok=True)
    pointer.write_text(str(folder), encoding="utf-8")


def ensure_home(home: Path) -> Path:
    """Create the library folder readable by its owner only (speeches are private)."""
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(home, 0o700)
    except OSError as exc:
        raise UserError(
            f"Cannot create the library folder {home}: {exc.strerror}.",
            f"Choose a folder you can write to, for example with {ENV_HOME}=/path/to/folder.",
        ) from exc
    return home


def load_settings(home: Path | None = None) -> Settings:
    home = ensure_home(home or default_home())
    stored: dict[str, object] = {}
    path = home / SETTINGS_FILE
    if path.exists():
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(raw, dict):
                stored = {k: v for k, v in raw.items() if k in _PERSISTED}
        except (OSError, ValueError):
            # A damaged settings file must not stop the app; keep it aside for the user.
            path.replace(path.with_suffix(".json.damaged"))
    settings = Settings(home=home, **stored)  # type: ignore[arg-type]
    overrides: dict[str, object] = {}
    if os.environ.get(ENV_DB_URL):
        overrides["db_url"] = os.environ[ENV_DB_URL]
    if os.environ.get(ENV_MODEL):
        overrides["model"] = os.environ[ENV_MODEL]
    if overrides:
        settings = replace(settings, env_overrides=frozenset(overrides), **overrides)
    return settings


def save_settings(settings: Settings) -> None:
    """Write the user's choices atomically; environment overrides keep the stored value."""
    path = settings.settings_path
    current: dict[str, object] = {}
    if path.exists():
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            current = {}
    data = asdict(settings)
    out = {k: data[k] for k in sorted(_PERSISTED) if k not in settings.env_overrides}
    for k in settings.env_overrides:
        if k in current:
            out[k] = current[k]
    ensure_home(settings.home)
    atomic_write_text(path, json.dumps(out, indent=2), prefix=".settings-")
