"""The log file in the library folder. It records what happened, never what was said:
no transcript or script text is ever passed to a logger."""

from __future__ import annotations

import logging
import logging.handlers

from narrative_coach.settings import Settings, ensure_home

_configured = False


def configure_logging(settings: Settings) -> None:
    global _configured
    if _configured:
        return
    ensure_home(settings.home)
    handler = logging.handlers.RotatingFileHandler(
        settings.log_path, maxBytes=1_000_000, backupCount=2, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("narrative_coach")
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    _configured = True
