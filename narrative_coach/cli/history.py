"""Draft history on the command line: `history`, `show`, `compare`, `delete`, `rename`, `notes`.

Every command drives `narrative_coach.app.library.Library`, the same use cases as the window.
With `--json` the output is one JSON object on stdout; otherwise a short readable table.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from datetime import datetime
from typing import Any

from narrative_coach.errors import Cancelled, UserError
from narrative_coach.logs import configure_logging
from narrative_coach.settings import load_settings

SCORE_LABELS = (("overall", "overall"), ("self", "self"), ("us", "us"), ("now", "now"),
                ("structure", "struct"), ("delivery", "deliv"))


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "history",
        help="list speeches, or the drafts of one speech",
        description=(
            "Without --speech: every speech with its number of drafts and latest scores. "
            "With --speech: every draft of that speech (id, number, date, source, length, scores). "
            "With --json: an object whose 'drafts' list holds each draft's id, number, created, "
            "source, duration_s and scores (and 'speeches' when no speech is given)."
        ),
    )
    p.add_argument("--speech", metavar="TITLE", help="speech title (or id)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run_history)

    p = subparsers.add_parser("show", help="show one draft: scores, feedback and text")
    p.add_argument("draft", metavar="DRAFT", help="draft id (as listed by 'history')")
    p.add_argument("--json", action="store_true", help="print the draft with its full report as JSON")
    p.set_defaults(handler=run_show)

    p = subparsers.add_parser(
        "compare",
        help="compare two drafts: word changes, score changes, narrative elements gained and lost",
    )
    p.add_argument("a", metavar="A", help="the earlier draft's id")
    p.add_argument("b", metavar="B", help="the later draft's id")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run_compare)

    p = subparsers.add_parser(
        "delete",
        help="delete a draft, or a whole speech with --speech (asks first)",
        description="Delete a draft (with its annotations and audio) or, with --speech, a speech and all its drafts.",
    )
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("draft", metavar="DRAFT", nargs="?", help="draft id")
    target.add_argument("--speech", metavar="TITLE", help="delete this speech and all its drafts")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=run_delete)

    p = subparsers.add_parser("rename", help="rename a speech")
    p.add_argument("speech", metavar="TITLE", help="current title (or id)")
    p.add_argument("new_title", metavar="NEW_TITLE", help="new title")
    p.set_defaults(handler=run_rename)

    p = subparsers.add_parser("notes", help="show or set a speech's notes")
    p.add_argument("speech", metavar="TITLE", help="speech title (or id)")
    p.add_argument("text", metavar="TEXT", nargs="?", help="new notes (omit to print the current ones)")
    p.set_defaults(handler=run_notes)


def _open():  # type: ignore[no-untyped-def]
    from narrative_coach.app.library import Library

    settings = load_settings()
    configure_logging(settings)
    return Library.open(settings)


def _print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "-"


def _length(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(round(seconds))
    return f"{s // 60}:{s % 60:02d}"


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _delta(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0f}"


def _draft_json(d: Any) -> dict[str, Any]:
    return {
        "id": d.id,
        "number": d.number,
        "speech_id": d.speech_id,
        "speech": d.speech_title,
        "created": d.created.isoformat(),
        "source": d.source,
        "duration_s": d.duration_s,
        "word_count": d.word_count,
        "analyzer_version": d.analyzer_version,
        "has_audio": d.has_audio,
        "scores": d.scores,
        "notes": d.notes,
    }


def _speech_json(s: Any) -> dict[str, Any]:
    return s.to_dict()


def run_history(args: argparse.Namespace) -> int:
    with _open() as library:
        if args.speech:
            speech = library.get_speech(args.speech)
            drafts = library.history(speech.id)
            if args.json:
                _print_json({"speech": _speech_json(speech), "drafts": [_draft_json(d) for d in drafts]})
                return 0
            print(f"{speech.title}: {len(drafts)} draft{'s' if len(drafts) != 1 else ''}")
            header = f"{'id':>6} {'draft':>5}  {'created':16}  {'source':8} {'length':>6} {'words':>6}  " + " ".join(
                f"{label:>7}" for _k, label in SCORE_LABELS
            )
            print(header)
            for d in drafts:
                print(
                    f"{d.id:>6} {d.number:>5}  {_when(d.created):16}  {d.source:8} {_length(d.duration_s):>6} "
                    f"{d.word_count:>6}  " + " ".join(f"{_score(d.scores[k]):>7}" for k, _l in SCORE_LABELS)
                )
            return 0
        speeches = library.list_speeches()
        if args.json:
            _print_json(
                {
                    "speeches": [_speech_json(s) for s in speeches],
                    "drafts": [_draft_json(d) for d in library.all_drafts()],
                }
            )
            return 0
        if not speeches:
            print("No speeches yet. Analyse one with: narrative-coach analyze PATH --speech \"Title\"")
            return 0
        width = min(40, max(len(s.title) for s in speeches))
        print(f"{'id':>4}  {'speech':{width}}  {'drafts':>6}  {'latest':16}  {'overall':>7}  {'best':>5}")
        for s in speeches:
            latest = s.latest_scores or {}
            title = s.title if len(s.title) <= width else s.title[: width - 1] + "…"
            last = _when(s.latest_created)
            print(
                f"{s.id:>4}  {title:{width}}  {s.draft_count:>6}  {last:16}  "
                f"{_score(latest.get('overall')):>7}  {_score(s.best_overall):>5}"
            )
        return 0


def run_show(args: argparse.Namespace) -> int:
    with _open() as library:
        draft = library.get_draft(args.draft)
        notes = library.list_annotations(draft.id)
    if args.json:
        out = draft.to_dict()
        out["annotations"] = [n.to_dict() for n in notes]
        _print_json(out)
        return 0
    print(f"{draft.speech_title}, draft {draft.number} (id {draft.id})")
    print(
        f"{_when(draft.created)}  {draft.source}  length {_length(draft.duration_s)}  {draft.word_count} words"
        f"  analyzer {draft.analyzer_version}{'  audio kept' if draft.has_audio else ''}"
    )
    print("scores: " + "  ".join(f"{label} {_score(draft.scores[k])}" for k, label in SCORE_LABELS))
    elements = draft.report.get("elements") or {}
    if elements:
        have = [k for k, v in elements.items() if isinstance(v, dict) and v.get("present")]
        miss = [k for k, v in elements.items() if isinstance(v, dict) and not v.get("present")]
        print("elements present: " + (", ".join(have) or "none"))
        if miss:
            print("elements missing: " + ", ".join(miss))
    feedback = [f for f in draft.report.get("feedback") or [] if isinstance(f, dict)]
    if feedback:
        print("feedback:")
        for item in feedback[:5]:
            print(textwrap.fill(str(item.get("message", "")), width=96, initial_indent="  - ", subsequent_indent="    "))
    if notes:
        print(f"annotations ({len(notes)}):")
        for n in notes:
            span = f" chars {n.start_char}-{n.end_char}" if n.start_char is not None else ""
            span += f" at {n.start_s:.1f}-{n.end_s:.1f}s" if n.start_s is not None and n.end_s is not None else ""
            state = " (resolved)" if n.resolved else ""
            print(f"  [{n.id}] {n.kind}{span} by {n.author or 'unknown'}{state}: {n.body}")
    print()
    print(textwrap.fill(draft.text, width=96) if draft.text else "(no text)")
    return 0


def run_compare(args: argparse.Namespace) -> int:
    with _open() as library:
        cmp = library.compare(args.a, args.b)
    if args.json:
        _print_json(cmp.to_dict())
        return 0
    a, b = cmp.a, cmp.b
    print(f"A: {a.speech_title}, draft {a.number} (id {a.id}, {_when(a.created)})")
    print(f"B: {b.speech_title}, draft {b.number} (id {b.id}, {_when(b.created)})")
    print(f"{'score':10} {'A':>5} {'B':>5} {'change':>7}")
    for k, _label in SCORE_LABELS:
        print(f"{k:10} {_score(a.scores[k]):>5} {_score(b.scores[k]):>5} {_delta(cmp.score_deltas[k]):>7}")
    m = cmp.metric_deltas
    print(
        f"length {_length(a.duration_s)} -> {_length(b.duration_s)}; words {a.word_count} -> {b.word_count}"
        + (f"; pace {m['wpm']:+.0f} wpm" if m.get("wpm") is not None else "")
        + (f"; fillers {m['fillers_per_minute']:+.1f}/min" if m.get("fillers_per_minute") is not None else "")
    )
    print("elements gained: " + (", ".join(cmp.elements_gained) or "none"))
    print("elements lost: " + (", ".join(cmp.elements_lost) or "none"))
    print(f"text: {cmp.similarity:.0%} the same, {cmp.words_added} words added, {cmp.words_removed} removed")
    print("changes ([-removed-] {+added+}):")
    print(textwrap.fill(_word_diff(cmp.diff), width=96, break_long_words=False))
    return 0


def _word_diff(ops: list[Any]) -> str:
    parts = []
    for op in ops:
        if op.op == "equal":
            words = op.a.split()
            # Long unchanged stretches are shortened so the changes stand out.
            parts.append(op.a if len(words) <= 16 else " ".join(words[:6] + ["…"] + words[-6:]))
        if op.op in ("delete", "replace"):
            parts.append(f"[-{op.a}-]")
        if op.op in ("insert", "replace"):
            parts.append(f"{{+{op.b}+}}")
    return " ".join(parts)


def _confirm(question: str, assume_yes: bool) -> None:
    if assume_yes:
        return
    if not sys.stdin.isatty():
        raise UserError("Deleting needs confirmation.", "Run it again with --yes to confirm.")
    answer = input(f"{question} [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise Cancelled()


def run_delete(args: argparse.Namespace) -> int:
    with _open() as library:
        if args.speech:
            speech = library.get_speech(args.speech)
            _confirm(
                f"Delete the speech '{speech.title}' and its {speech.draft_count} draft(s), with their audio?",
                args.yes,
            )
            count = library.delete_speech(speech.id)
            print(f"Deleted the speech '{speech.title}' and {count} draft(s).")
            return 0
        draft = library.get_draft(args.draft)
        _confirm(f"Delete draft {draft.number} (id {draft.id}) of '{draft.speech_title}'?", args.yes)
        library.delete_draft(draft.id)
        print(f"Deleted draft {draft.number} (id {draft.id}) of '{draft.speech_title}'.")
        return 0


def run_rename(args: argparse.Namespace) -> int:
    with _open() as library:
        old = library.get_speech(args.speech)
        new = library.rename_speech(old.id, args.new_title)
    print(f"Renamed '{old.title}' to '{new.title}'.")
    return 0


def run_notes(args: argparse.Namespace) -> int:
    with _open() as library:
        if args.text is None:
            speech = library.get_speech(args.speech)
            print(speech.notes or "(no notes)")
            return 0
        speech = library.set_notes(args.speech, args.text)
    print(f"Saved the notes of '{speech.title}'.")
    return 0
