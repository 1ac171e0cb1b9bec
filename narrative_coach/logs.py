"""The log file in the library folder. It records what happened, never what was said:
no transcript or script text is ever passed to a logger."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from narrative_coach.settings import Settings, ensure_home

_handler: logging.Handler | None = None
_handler_path: Path | None = None


def configure_logging(settings: Settings) -> None:
    """Send the app's log to the library in use; a later call for another library re-points it."""
    global _handler, _handler_path
    if _handler_path == settings.log_path:
        return
    ensure_home(settings.home)
    root = logging.getLogger("narrative_coach")
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    handler = logging.handlers.RotatingFileHandler(
        settings.log_path, maxBytes=1_000_000, backupCount=2, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    _handler, _handler_path = handler, settings.log_path
