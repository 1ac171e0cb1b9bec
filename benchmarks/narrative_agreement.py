"""Inter-annotator agreement: a second, blind labeller against the corpus labels.

    .venv/bin/python benchmarks/narrative_agreement.py [--json]

`tests/data/narrative/agreement/<id>.json` holds a second labelling of 33 corpus speeches (23 from
dev, 10 from test, chosen by name order: every tenth dev file from the first and the sixth, every
fourth test file), made from the labelling guide and the plain sentences only, without seeing the
first labels. Each file is `{"parts": [...], "elements": {...}}` in the corpus's sentence order.
Agreement is computed like the analyzer's figures (sentence macro-F1 over the four parts,
speech x element presence), so the two can be read side by side: it is the ceiling the labels
themselves allow. The analyzer's figures on the same speeches are printed beside it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from narrative_corpus import CORPUS_DIR, ELEMENT_NAMES, load_split  # noqa: E402
from narrative_eval import align, prf  # noqa: E402

from narrative_coach.analysis import analyze  # noqa: E402

AGREEMENT_DIR = CORPUS_DIR / "agreement"


def second_labels() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(AGREEMENT_DIR.glob("*.json"))}


def agreement() -> dict:
    gold = {s.id: (split, s) for split in ("dev", "test") for s in load_split(split)}
    rows: dict[str, dict[str, list[str]]] = {}
    el = {"second": [0, 0], "analyzer": [0, 0]}
    for sid, lab in second_labels().items():
        split, s = gold[sid]
        report = analyze(s.text)
        pred = align(s, report)
        for key in (f"{split} {s.id[:1]}-", "all"):
            r = rows.setdefault(key, {"gold": [], "second": [], "analyzer": []})
            r["gold"] += s.parts
            r["second"] += lab["parts"]
            r["analyzer"] += pred
        for n in ELEMENT_NAMES:
            g = bool(s.elements[n])
            el["second"][0] += bool(lab["elements"].get(n)) == g
            el["analyzer"][0] += report["elements"][n]["present"] == g
            el["second"][1] += 1
            el["analyzer"][1] += 1
    return {
        "speeches": len(second_labels()),
        "macro_f1": {
            k: {
                "sentences": len(r["gold"]),
                "second_labeller": prf(r["gold"], r["second"])["macro_f1"],
                "analyzer": prf(r["gold"], r["analyzer"])["macro_f1"],
            }
            for k, r in sorted(rows.items())
        },
        "element_accuracy": {k: round(h / max(t, 1), 4) for k, (h, t) in el.items()},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    res = agreement()
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    print(f"{res['speeches']} speeches labelled twice; macro-F1 against the corpus labels")
    print("(the analyzer was trained on dev: its dev rows are in-sample, its test rows are not)")
    print(f"{'':12s}{'sentences':>10s}{'2nd labeller':>14s}{'analyzer':>10s}")
    for k, r in res["macro_f1"].items():
        print(f"{k:12s}{r['sentences']:10d}{r['second_labeller']:14.3f}{r['analyzer']:10.3f}")
    e = res["element_accuracy"]
    print(f"{'elements':12s}{'':10s}{e['second']:14.3f}{e['analyzer']:10.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
