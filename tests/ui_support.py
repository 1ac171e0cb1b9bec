"""Helpers for the window tests (tests/test_ui_*.py)."""

from __future__ import annotations

from pathlib import Path

from narrative_coach.settings import Settings, load_settings, save_settings

SHORT_SPEECH = (
    "When I was nine my father lost his job and I decided to help at the shelter. "
    "We are a city that looks after its neighbours. "
    "Tonight I ask you to vote yes on Tuesday at seven."
)


def prepared_settings(home: Path, *, first_run_done: bool = True, **changes: object) -> Settings:
    settings = load_settings(home).with_changes(first_run_done=first_run_done, **changes)
    save_settings(settings)
    return settings


def open_window(qtbot, settings: Settings, timeout: int = 30000):  # noqa: ANN001, ANN201
    """A real MainWindow on the test's own library, shown offscreen, its library opened.

    The library opens on the database thread and `ready` is delivered through the event loop,
    so waiting after construction cannot miss it."""
    from narrative_coach.ui.main_window import MainWindow

    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=timeout):
        pass
    return window


def wait_saved(qtbot, window, timeout: int = 120000) -> str:  # noqa: ANN001
    """Wait until the current analysis has been saved, failed or been cancelled; return which."""
    with qtbot.waitSignal(window.work_finished, timeout=timeout) as blocker:
        pass
    return blocker.args[0]
