"""The `narrative-coach` command line.

Each command lives in its own module in this package and exposes `register(subparsers)`, which
adds a parser and sets `handler=<callable(args) -> int>`. Commands call the same use cases as the
window (`narrative_coach.app`), so everything the window does can be tested without a screen.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from narrative_coach import __version__
from narrative_coach.errors import Cancelled, UserError

COMMAND_MODULES = (
    "transcribe",
    "analyze",
    "history",
    "db",
    "devices",
    "record",
)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

log = logging.getLogger("narrative_coach.cli")


class _Parser(argparse.ArgumentParser):
    """argparse exits with status 2 on usage errors already; keep its one-line style."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for the options.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="narrative-coach",
        description=(
            "Rehearse a public speech in private: transcribe it on this machine, score it against "
            "the public-narrative structure (story of self, us and now) and on delivery, and keep "
            "every draft. Run without arguments to open the app window."
        ),
    )
    parser.add_argument("--version", action="version", version=f"narrative-coach {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"narrative_coach.cli.{name}")
        module.register(subparsers)
    return parser


def _open_window() -> int:
    from narrative_coach.ui.app import main as gui_main

    return gui_main([])


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        return _run(_open_window)
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_OK
    return _run(lambda: _with_logging(handler, args))


def _with_logging(handler, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from narrative_coach.logs import configure_logging
    from narrative_coach.settings import load_settings

    configure_logging(load_settings())
    log.info("command %s", args.command)
    return handler(args)


def _run(action) -> int:  # type: ignore[no-untyped-def]
    try:
        return int(action() or 0)
    except UserError as exc:
        print(f"narrative-coach: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Cancelled:
        print("narrative-coach: stopped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("\nnarrative-coach: interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        log.exception("unexpected error")
        print(
            f"narrative-coach: unexpected error ({type(exc).__name__}). "
            "Details are in the log file in your library folder; please report it.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
