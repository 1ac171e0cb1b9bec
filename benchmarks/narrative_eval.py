"""Evaluate the narrative analyzer on the labeled corpus, beside a keyword baseline.

    .venv/bin/python benchmarks/narrative_eval.py              # dev and test
    .venv/bin/python benchmarks/narrative_eval.py --split test --json

Each speech is fed as the analyzer sees a transcript: its sentences joined into one paragraph.
The analyzer segments it itself; each gold sentence takes the label of the predicted sentence that
overlaps it most, so segmentation errors count against the analyzer. Reports sentence-level
macro-F1 over self/us/now/other, per-part precision and recall, and element accuracy (speech x
7 elements, present/absent). The model is trained on dev only, so dev figures are in-sample;
test is the honest figure.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from narrative_corpus import ELEMENT_NAMES, LabeledSpeech, load_split  # noqa: E402

from narrative_coach.analysis import analyze  # noqa: E402

PARTS = ("self", "us", "now", "other")
_FIRST = re.compile(r"\b(i|me|my|mine|myself)\b|\bi'(m|ve|d|ll)\b", re.I)
_WE = re.compile(r"\b(we|us|our|ours|ourselves)\b|\bwe'(re|ve|d|ll)\b", re.I)
_NOW = re.compile(r"\b(now|must|will)\b", re.I)


def keyword_part(sentence: str) -> str:
    """The baseline of the issue: first person = self, "we" = us, "now/must/will" = now."""
    if _FIRST.search(sentence):
        return "self"
    if _WE.search(sentence):
        return "us"
    if _NOW.search(sentence):
        return "now"
    return "other"


def align(speech: LabeledSpeech, report: dict) -> list[str]:
    """Predicted part for each gold sentence: the predicted sentence overlapping it most."""
    preds = report["sentences"]
    out = []
    j = 0
    for a, b in speech.offsets():
        best, best_ov = "other", 0
        while j < len(preds) and preds[j]["end_char"] <= a:
            j += 1
        k = j
        while k < len(preds) and preds[k]["start_char"] < b:
            ov = min(b, preds[k]["end_char"]) - max(a, preds[k]["start_char"])
            if ov > best_ov:
                best, best_ov = preds[k]["part"], ov
            k += 1
        out.append(best)
    return out


def prf(gold: list[str], pred: list[str]) -> dict:
    per = {}
    for p in PARTS:
        tp = sum(1 for g, q in zip(gold, pred) if g == p and q == p)
        fp = sum(1 for g, q in zip(gold, pred) if g != p and q == p)
        fn = sum(1 for g, q in zip(gold, pred) if g == p and q != p)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[p] = {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3), "support": tp + fn}
    macro = sum(per[p]["f1"] for p in PARTS) / len(PARTS)
    acc = sum(1 for g, q in zip(gold, pred) if g == q) / max(len(gold), 1)
    return {"macro_f1": round(macro, 4), "accuracy": round(acc, 4), "per_part": per}


def baseline_elements(parts: list[str]) -> dict[str, bool]:
    """Baseline: an element is present when its part appears at all."""
    have = set(parts)
    return {name: name.split("_")[0] in have for name in ELEMENT_NAMES}


def evaluate(split: str) -> dict:
    speeches = load_split(split)
    gold_all, pred_all, base_all = [], [], []
    el_hits = el_total = base_hits = 0
    per_element = {n: [0, 0] for n in ELEMENT_NAMES}
    by_source: dict[str, tuple[list[str], list[str]]] = {"written (w-)": ([], []), "public-domain (p-)": ([], [])}
    for s in speeches:
        report = analyze(s.text)
        pred = align(s, report)
        base = [keyword_part(t) for t in s.sentences]
        gold_all += s.parts
        pred_all += pred
        src = by_source["written (w-)" if s.id.startswith("w-") else "public-domain (p-)"]
        src[0].extend(s.parts)
        src[1].extend(pred)
        base_all += base
        be = baseline_elements(base)
        for n in ELEMENT_NAMES:
            gold_present = bool(s.elements[n])
            ok = report["elements"][n]["present"] == gold_present
            el_hits += ok
            per_element[n][0] += ok
            per_element[n][1] += 1
            base_hits += be[n] == gold_present
            el_total += 1
    return {
        "split": split,
        "speeches": len(speeches),
        "sentences": len(gold_all),
        "analyzer": prf(gold_all, pred_all) | {"element_accuracy": round(el_hits / max(el_total, 1), 4)},
        "keyword_baseline": prf(gold_all, base_all) | {"element_accuracy": round(base_hits / max(el_total, 1), 4)},
        "element_accuracy_by_element": {n: round(h / max(t, 1), 3) for n, (h, t) in per_element.items()},
        "macro_f1_by_source": {k: prf(g, p)["macro_f1"] for k, (g, p) in by_source.items() if g},
    }


def _print(res: dict) -> None:
    a, b = res["analyzer"], res["keyword_baseline"]
    print(f"\n== {res['split']}: {res['speeches']} speeches, {res['sentences']} sentences")
    print(f"{'':18s}{'analyzer':>12s}{'keyword baseline':>20s}")
    print(f"{'macro-F1':18s}{a['macro_f1']:12.3f}{b['macro_f1']:20.3f}")
    print(f"{'accuracy':18s}{a['accuracy']:12.3f}{b['accuracy']:20.3f}")
    print(f"{'element accuracy':18s}{a['element_accuracy']:12.3f}{b['element_accuracy']:20.3f}")
    for p in PARTS:
        x, y = a["per_part"][p], b["per_part"][p]
        print(f"  {p:6s} P/R/F1 {x['precision']:.2f}/{x['recall']:.2f}/{x['f1']:.2f}   baseline {y['precision']:.2f}/{y['recall']:.2f}/{y['f1']:.2f}   (n={x['support']})")
    print("  macro-F1 by source: " + ", ".join(f"{k} {v:.3f}" for k, v in res["macro_f1_by_source"].items()))
    print("  elements: " + ", ".join(f"{n} {v:.2f}" for n, v in res["element_accuracy_by_element"].items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("dev", "test", "both"), default="both")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    splits = ("dev", "test") if args.split == "both" else (args.split,)
    results = [evaluate(s) for s in splits]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for r in results:
            _print(r)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
