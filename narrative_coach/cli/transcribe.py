"""`narrative-coach transcribe PATH [--json] [--model M] [--output FILE] [--no-verbatim]`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from narrative_coach.cli.progress import ProgressReporter
from narrative_coach.errors import UserError
from narrative_coach.logs import configure_logging
from narrative_coach.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "transcribe",
        help="transcribe a recording on this machine (prints the text)",
        description=(
            "Transcribe an audio or video file with the local Whisper model. Nothing leaves this "
            "machine. Prints the text, or with --json an object with text, language, duration_s, "
            "model and words (each with start, end and probability). Progress goes to stderr."
        ),
    )
    p.add_argument("path", type=Path, metavar="PATH", help="audio or video file (wav, flac, mp3, m4a, ogg, webm, mp4, ...)")
    p.add_argument("--json", action="store_true", help="print a JSON object with word timings instead of plain text")
    p.add_argument("--model", metavar="M", help="model name or CTranslate2 model folder (default: from settings, tiny.en)")
    p.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE (atomically) instead of stdout")
    verbatim = p.add_mutually_exclusive_group()
    verbatim.add_argument(
        "--verbatim", dest="verbatim", action="store_true", default=None,
        help="bias the model toward keeping 'um' and 'uh'",
    )
    verbatim.add_argument("--no-verbatim", dest="verbatim", action="store_false", help="let the model drop fillers")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=run)


def _check_output(path: Path) -> None:
    """Refuse an unwritable output before spending minutes on transcription."""
    if path.is_dir():
        raise UserError(f"The output {path} is a folder.", "Give a file name, for example speech.txt.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"Cannot write {path}: the folder {folder} does not exist.", "Create it or choose another file.")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UserError(f"Cannot write {path}: permission denied.", "Choose a file in a folder you can write to.")


def write_atomically(path: Path, content: str) -> None:
    """Write via a temporary file in the same folder and rename, so no half-written file is left."""
    folder = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise UserError(f"Cannot write {path}: {exc.strerror or exc}.", "Choose another file or free some disk space.") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def run(args: argparse.Namespace) -> int:
    from narrative_coach.transcription import transcribe

    settings = load_settings()
    configure_logging(settings)
    if args.output is not None:
        _check_output(args.output)
    progress = ProgressReporter("Transcribing", enabled=not args.quiet)
    with progress:
        transcript = transcribe(
            args.path,
            settings=settings,
            model=args.model,
            verbatim=args.verbatim,
            on_progress=progress,
            on_model=lambda m: progress.note(f"Model: {m.describe()}"),
        )
    if args.json:
        content = json.dumps(transcript.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        content = transcript.text + "\n"
    if args.output is not None:
        write_atomically(args.output, content)
    else:
        sys.stdout.write(content)
        sys.stdout.flush()
    return 0
