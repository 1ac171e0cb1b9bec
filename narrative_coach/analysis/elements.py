"""The seven elements of a public narrative, each present or absent with the sentences that show it.

Each element belongs to one part (a challenge, a choice and an outcome make the plot of the story of
self; values are the heart of the story of us; urgency, hope and a specific ask make the story of
now). A small logistic detector per element scores every sentence on the same explainable features,
and the score is weighted by how sure the parts decoder is that the sentence is in that element's
part. Detectors and their thresholds are trained on the dev split (`benchmarks/train_parts_model.py`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np

from narrative_coach.analysis.features import FEATURE_NAMES

ELEMENT_PART = {
    "self_challenge": "self",
    "self_choice": "self",
    "self_outcome": "self",
    "us_values": "us",
    "now_urgency": "now",
    "now_hope": "now",
    "now_action": "now",
}
ELEMENT_NAMES = tuple(ELEMENT_PART)
_PARTS = ("self", "us", "now", "other")
MAX_EVIDENCE = 4


@lru_cache(maxsize=1)
def load_element_model() -> dict:
    raw = resources.files("narrative_coach.analysis").joinpath("data", "elements_model.json").read_text(encoding="utf-8")
    d = json.loads(raw)
    if list(d["features"]) != FEATURE_NAMES:
        raise RuntimeError("element model was trained on different features: retrain it with benchmarks/train_parts_model.py")
    return d["elements"]


def element_scores(
    X: np.ndarray,
    labels: list[str],
    posteriors: np.ndarray,
    model: dict,
    mean: np.ndarray,
    scale: np.ndarray,
) -> dict[str, np.ndarray]:
    """Per element, per sentence: P(sentence shows the element)."""
    # The parts model's standardisation covers its word-choice columns too; elements use the hand features.
    d = X.shape[1]
    Z = (X - mean[:d]) / scale[:d] if len(X) else X
    out: dict[str, np.ndarray] = {}
    for name in ELEMENT_NAMES:
        m = model[name]
        if len(X) == 0:
            out[name] = np.zeros(0)
            continue
        s = 1.0 / (1.0 + np.exp(-(Z @ np.asarray(m["weights"]) + float(m["bias"]))))
        gate = posteriors[:, _PARTS.index(ELEMENT_PART[name])]
        out[name] = s * gate
    return out


def element_strength(sentence_scores: np.ndarray) -> float:
    """How sure we are that the speech shows the element anywhere: the chance that at least one
    sentence shows it (noisy-or). Two sentences that each half show a picture of success count for
    more than one; on dev cross-validation this beat the single best sentence for every element."""
    if len(sentence_scores) == 0:
        return 0.0
    return float(1.0 - np.prod(1.0 - np.clip(sentence_scores, 0.0, 1.0)))


def detect_elements(scores: dict[str, np.ndarray], model: dict, threshold_shift: float = 0.0) -> dict[str, dict]:
    """The report's `elements` object: {name: {present, evidence, strength}}.

    Present when the element's strength reaches its threshold; the evidence is the fewest strongest
    sentences that reach it together, plus any other sentence that reaches it alone (at most 4)."""
    result = {}
    for name in ELEMENT_NAMES:
        sc = scores[name]
        t = float(model[name]["threshold"]) + threshold_shift
        strength = element_strength(sc)
        idx: list[int] = []
        if len(sc) and strength >= t:
            miss = 1.0
            for i in np.argsort(-sc):
                if len(idx) >= MAX_EVIDENCE or (1.0 - miss >= t and sc[i] < t):
                    break
                idx.append(int(i))
                miss *= 1.0 - float(sc[i])
        result[name] = {
            "present": bool(idx),
            "evidence": sorted(idx),
            "strength": round(strength, 3),
        }
    return result
