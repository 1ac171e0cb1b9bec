"""Start the window: `narrative-coach` with no arguments, or `narrative-coach-gui`.

Kept light on purpose: faster-whisper, numpy-heavy analysis and sounddevice are imported only
when a draft is analysed or a take recorded (see benchmarks/ui_cold_start.py).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Sequence

from narrative_coach.errors import UserError

log = logging.getLogger("narrative_coach.ui")


def _install_excepthook(window_ref: list) -> None:  # noqa: ANN001
    """An exception escaping a slot is a bug: log it, tell the user in the window, keep running."""

    def hook(exc_type, exc, tb) -> None:  # noqa: ANN001
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("unexpected error in the window", exc_info=(exc_type, exc, tb))
        if window_ref and window_ref[0] is not None:
            try:
                window_ref[0].show_error(exc)
            except Exception:  # noqa: BLE001 - never raise from the hook
                pass

    sys.excepthook = hook


def _preload_library_code() -> None:
    """Import the storage layer (SQLAlchemy) on a helper thread while Qt starts: the window is
    built meanwhile, and the database thread finds the modules ready. Import errors surface
    later, where the library is opened, as a message in the window."""

    def load() -> None:
        try:
            import narrative_coach.app.library  # noqa: F401
        except Exception:  # noqa: BLE001 - reported when the library is opened for real
            pass

    threading.Thread(target=load, name="preload-library", daemon=True).start()


def create_window(argv: Sequence[str] = ()):  # noqa: ANN201 - returns (QApplication, MainWindow)
    _preload_library_code()
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from narrative_coach.logs import configure_logging
    from narrative_coach.settings import load_settings
    from narrative_coach.ui.main_window import MainWindow
    from narrative_coach.ui.settings_dialog import library_location
    from narrative_coach.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(["narrative-coach", *argv])
    app.setApplicationName("Narrative Coach")
    app.setOrganizationName("narrative-coach")
    app.setDesktopFileName("narrative-coach")
    settings = load_settings(library_location())
    configure_logging(settings)
    apply_theme(app, settings.theme)
    window = MainWindow(settings)
    log.info("window opened (theme %s)", settings.theme)
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "colorSchemeChanged"):
        # Follow the desktop when it switches between light and dark, if the user asked for that.
        def follow(_scheme: object) -> None:
            if window.settings.theme == "system":
                apply_theme(app, "system")
                window.refresh_icons()

        hints.colorSchemeChanged.connect(follow)
    return app, window


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    window_ref: list = [None]
    _install_excepthook(window_ref)
    try:
        app, window = create_window(argv)
    except UserError as exc:
        from PySide6.QtWidgets import QApplication, QMessageBox

        _app = QApplication.instance() or QApplication(["narrative-coach"])
        QMessageBox.critical(None, "Narrative Coach", f"{exc.message}\n\n{exc.hint}".strip())
        print(f"narrative-coach: {exc}", file=sys.stderr)
        return 2
    window_ref[0] = window
    window.show()
    return int(app.exec())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
