"""`narrative-coach analyze PATH [--json] [--speech TITLE] [--rubric FILE]`."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from narrative_coach.logs import configure_logging
from narrative_coach.settings import load_settings

ELEMENT_WORDS = {
    "self_challenge": "story of self: the challenge",
    "self_choice": "story of self: the choice",
    "self_outcome": "story of self: the outcome or lesson",
    "us_values": "story of us: shared values",
    "now_urgency": "story of now: why now",
    "now_hope": "story of now: the hope",
    "now_action": "story of now: a specific ask",
}
PART_WORDS = {"self": "story of self", "us": "story of us", "now": "story of now"}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "analyze",
        help="score a speech against story of self, us and now, and on delivery",
        description=(
            "Analyse a speech: a text file (.txt, .md) or a recording (transcribed on this machine). "
            "Prints a readable report with the three most important coaching points first, or with "
            "--json the full report object. With --speech the analysis is saved as the next draft "
            "of that speech in your library; without it nothing is stored."
        ),
    )
    p.add_argument("path", type=Path, metavar="PATH", help="speech text (.txt, .md) or audio/video file")
    p.add_argument("--json", action="store_true", help="print the report as JSON (schema narrative-coach/report@1)")
    p.add_argument("--speech", metavar="TITLE", help="save this analysis as the next draft of the speech TITLE")
    p.add_argument("--rubric", type=Path, metavar="FILE", help="a rubric TOML file (a copy of the default, adjusted)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=run)


def _fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}:{s:02d}"


def _score(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.0f}"


def _sentences_ref(idx: list[int]) -> str:
    if not idx:
        return ""
    nums = ", ".join(str(i + 1) for i in idx[:6])
    return f" (sentence{'s' if len(idx) > 1 else ''} {nums})"


def render_text(report: dict, width: int = 88) -> str:
    out: list[str] = []
    wrap = lambda s, ind="   ": textwrap.fill(s, width=width, initial_indent=ind, subsequent_indent=ind)  # noqa: E731
    sc = report["scores"]
    dur = report.get("duration_s")
    head = f"{report.get('word_count', 0)} words, {len(report['sentences'])} sentences"
    if dur is not None:
        head += f", {_fmt_time(dur)} spoken"
    out.append(f"Narrative Coach report: {head}")
    if report.get("language_message"):
        out.append("")
        out.append(wrap(report["language_message"], ""))
    out.append("")
    out.append(
        "Scores (0-100): overall {o}  |  self {s}  us {u}  now {n}  |  structure {st}  delivery {d}".format(
            o=_score(sc.get("overall")), s=_score(sc.get("self")), u=_score(sc.get("us")), n=_score(sc.get("now")),
            st=_score(sc.get("structure")), d=_score(sc.get("delivery")),
        )
    )
    out.append("")
    good = report.get("strengths") or []
    if good:
        out.append("What works:")
        for item in good:
            out.append(textwrap.fill(f" + {item['message']}", width=width, subsequent_indent="   "))
        out.append("")
    out.append("Coaching, most important first:")
    fb = report.get("feedback") or []
    if not fb:
        out.append("   Nothing to flag: this speech tells all three stories with a specific ask. Rehearse it aloud.")
    for i, item in enumerate(fb[:3], 1):
        out.append(textwrap.fill(f"{i}. {item['message']}{_sentences_ref(item.get('evidence', []))}", width=width,
                                 subsequent_indent="   "))
    if len(fb) > 3:
        out.append("")
        out.append("Also worth a look:")
        for item in fb[3:]:
            out.append(textwrap.fill(f" - {item['message']}{_sentences_ref(item.get('evidence', []))}", width=width,
                                     subsequent_indent="   "))
    out.append("")
    out.append("The three stories:")
    for p, label in PART_WORDS.items():
        d = report["parts"][p]
        secs = f", {_fmt_time(d['seconds'])}" if d.get("seconds") is not None else ""
        out.append(
            f"   {label:14s} {d['share_words'] * 100:3.0f}% of words, {d['sentence_count']:2d} sentences{secs}"
            f"   score {_score(d.get('score'))}"
        )
    runs = [r["part"] for r in report.get("qualities", {}).get("order", []) if r["part"] != "other"]
    if runs:
        out.append(f"   order: {' > '.join(runs)}")
    out.append("")
    out.append("Elements:")
    for name, d in report["elements"].items():
        mark = "x" if d["present"] else " "
        out.append(f"   [{mark}] {ELEMENT_WORDS.get(name, name)}{_sentences_ref(d['evidence'])}")
    links = report.get("qualities", {}).get("links") or []
    if links:
        out.append(f"   links between the stories: {', '.join(repr(l['word']) for l in links[:4])}")
    out.append("")
    out.append("Sentences (part, confidence):")
    for s in report["sentences"]:
        t = f" {_fmt_time(s['start_s'])}" if s.get("start_s") is not None else ""
        prefix = f"{s['index'] + 1:3d} {s['part']:5s} {s['confidence']:.2f}{t} "
        out.append(textwrap.fill(s["text"], width=width, initial_indent=prefix, subsequent_indent=" " * len(prefix)))
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    from narrative_coach.app.pipeline import analyze_path, is_text_file

    settings = load_settings()
    configure_logging(settings)
    if args.rubric is not None:
        from narrative_coach.analysis import load_rubric

        load_rubric(args.rubric)  # fail on a bad rubric before minutes of transcription
    progress = None
    if not args.quiet and not is_text_file(args.path):
        from narrative_coach.cli.progress import ProgressReporter

        progress = ProgressReporter("Transcribing")
    try:
        result = analyze_path(args.path, settings, on_progress=progress, rubric_path=args.rubric)
    finally:
        if progress is not None and hasattr(progress, "done"):
            progress.done()
    saved = None
    if args.speech is not None:
        from narrative_coach.app.library import Library

        with Library.open(settings) as library:
            saved = library.save_draft(args.speech, result)
    if args.json:
        sys.stdout.write(json.dumps(result.report, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(result.report))
    if saved is not None:
        print(f"Saved as draft {saved.number} of \"{saved.speech_title}\".", file=sys.stderr)
    return 0
