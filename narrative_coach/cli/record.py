"""`narrative-coach record`: record a take from the microphone, then transcribe and analyse it.

Ctrl-C (or SIGTERM) ends the take and keeps it. The level meter and timer go to stderr so that
`--json` output on stdout stays clean.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from typing import Any, TextIO

from narrative_coach.audio.meter import Levels
from narrative_coach.audio.record import STOP_USER, Recorder, Take
from narrative_coach.audio.recovery import discard_take, find_interrupted_takes, recover_take, remove_take
from narrative_coach.errors import UserError
from narrative_coach.settings import Settings, load_settings, save_settings

METER_FLOOR_DB = -60.0
METER_WIDTH = 30


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "record",
        help="record a take from the microphone, then transcribe and analyse it",
        description=(
            "Record from the microphone (Ctrl-C stops and keeps the take), then transcribe it on "
            "this machine and analyse it. With --speech the take is stored as the next draft."
        ),
    )
    p.add_argument("--seconds", type=float, metavar="N", help="stop by itself after N seconds")
    p.add_argument("--device", metavar="D", help="microphone to use (name, part of a name, or number); remembered")
    p.add_argument("--speech", metavar="T", help="store the take as the next draft of the speech titled T")
    p.add_argument("--json", action="store_true", help="print the report (ARCHITECTURE.md) as JSON")
    p.add_argument("--no-analyze", action="store_true", help="only record the take; print where it is")
    p.add_argument("--recover", action="store_true", help="repair takes left by a crash and list them, then exit")
    p.add_argument("--discard-interrupted", action="store_true", help="delete takes left by a crash, then exit")
    p.set_defaults(handler=run)


def _meter_bar(levels: Levels) -> str:
    span = -METER_FLOOR_DB
    filled = int(round(max(0.0, min(1.0, (levels.rms_dbfs - METER_FLOOR_DB) / span)) * METER_WIDTH))
    peak = int(round(max(0.0, min(1.0, (levels.peak_dbfs - METER_FLOOR_DB) / span)) * (METER_WIDTH - 1)))
    cells = ["#" if i < filled else "-" for i in range(METER_WIDTH)]
    if levels.peak_dbfs > METER_FLOOR_DB:
        cells[peak] = "|"
    return "".join(cells)


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def _status(rec: Recorder) -> str:
    lv = rec.levels()
    flags = []
    if lv.clipping:
        flags.append("CLIPPING")
    if lv.silent:
        flags.append("NO SOUND")
    if rec.overflows:
        flags.append(f"{rec.overflows} gaps")
    return f"REC {_clock(rec.elapsed_s)} [{_meter_bar(lv)}] {lv.rms_dbfs:6.1f} dBFS {' '.join(flags)}"


def _handle_interrupted(settings: Settings, args: argparse.Namespace, err: TextIO) -> int | None:
    found = find_interrupted_takes(settings)
    if args.recover:
        if not found:
            print("No interrupted takes.", file=err)
        for take in found:
            path = recover_take(take)
            print(str(path))
        return 0
    if args.discard_interrupted:
        for take in found:
            discard_take(take)
        print(f"Deleted {len(found)} interrupted take(s).", file=err)
        return 0
    if found:
        print(
            f"Found {len(found)} interrupted take(s) from an earlier recording that did not finish; "
            "run 'narrative-coach record --recover' to repair them (or --discard-interrupted).",
            file=err,
        )
    return None


def _record(settings: Settings, args: argparse.Namespace, err: TextIO) -> Take:
    if args.seconds is not None and args.seconds <= 0:
        raise UserError("--seconds must be more than 0.", "For example: --seconds 90.")
    rec = Recorder(settings, args.device, max_seconds=args.seconds)
    path = rec.start()
    assert rec.device is not None
    if args.device and settings.input_device != rec.device.name:
        save_settings(settings.with_changes(input_device=rec.device.name))
    for message in rec.warnings:
        print(f"note: {message}", file=err)
    limit = f" (stops by itself after {_clock(rec.max_seconds)})" if args.seconds else ""
    print(f"Recording from '{rec.device.name}' into {path}{limit}. Press Ctrl-C to stop and keep the take.", file=err)

    # SIGTERM (a closing terminal, a service manager) ends the take the same way as Ctrl-C.
    previous = signal.getsignal(signal.SIGTERM)

    def _term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _term)
    tty = err.isatty()
    shown = len(rec.warnings)
    last_line = 0.0
    try:
        while not rec.finished:
            time.sleep(0.1)
            warnings = rec.warnings
            for message in warnings[shown:]:
                print(("\r\033[K" if tty else "") + f"note: {message}", file=err)
            shown = len(warnings)
            now = time.monotonic()
            if tty:
                print("\r\033[K" + _status(rec), end="", file=err, flush=True)
            elif now - last_line >= 5.0:
                print(_status(rec), file=err, flush=True)
                last_line = now
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if tty:
            print("", file=err)
    take = rec.stop()
    for message in take.warnings[shown:]:
        print(f"note: {message}", file=err)
    ended = "" if take.stopped_because == STOP_USER else f" ({take.stopped_because.replace('_', ' ')})"
    print(f"Saved the take: {take.path} ({take.duration_s:.1f} s){ended}.", file=err)
    return take


def run(args: argparse.Namespace, err: TextIO | None = None) -> int:
    err = err or sys.stderr
    settings = load_settings()
    done = _handle_interrupted(settings, args, err)
    if done is not None:
        return done
    take = _record(settings, args, err)
    if args.no_analyze:
        print(json.dumps(take.to_dict(), indent=2) if args.json else str(take.path))
        return 0
    if take.duration_s < 0.5:
        raise UserError(
            f"The take is too short to analyse ({take.duration_s:.1f} s).",
            f"It is kept at {take.path}. Record for longer.",
        )

    from narrative_coach.app.pipeline import analyze_audio

    print("Transcribing and analysing the take on this machine...", file=err)
    try:
        result = analyze_audio(take.path, settings, source="recorded")
    except UserError as exc:
        raise UserError(exc.message, f"{exc.hint} The take is kept at {take.path}.".strip()) from exc
    if args.speech:
        from narrative_coach.app.library import Library

        library = Library.open(settings)
        try:
            summary = library.save_draft(args.speech, result)
        finally:
            library.close()
        # The library now holds its own copy of the audio; the take has done its job.
        remove_take(take.path)
        print(f"Saved as draft {summary.number} of '{summary.speech_title}'.", file=err)
    report = result.report
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    scores = report.get("scores") or {}
    print(report.get("text", "").strip())
    print()
    shown = ", ".join(f"{k} {v:.0f}" for k, v in scores.items() if isinstance(v, (int, float)))
    print(f"Scores: {shown}" if shown else "Scores: none")
    for item in (report.get("feedback") or [])[:3]:
        print(f"- {item.get('message', '')}")
    return 0
