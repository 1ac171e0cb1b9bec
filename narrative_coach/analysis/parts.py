"""Which part of the public narrative each sentence belongs to: self, us, now or other.

A multinomial logistic regression over the explainable features in `features.py` gives each
sentence a posterior over the four parts. Parts come in runs (a story of self is several sentences
long), so the posteriors are decoded as a sequence: a hidden Markov chain whose transition
probabilities were counted on the dev split, decoded with Viterbi for the labels and with
forward-backward for each label's confidence. Besides the hand features, the model reads the sentence's word
choice (`embeddings.py`: mean word-piece scores). Weights ship as `data/parts_model.json` and
`data/word_scores.json`, trained by
`benchmarks/train_parts_model.py`; nothing is downloaded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from narrative_coach.analysis.embeddings import WORD_FEATURES, token_ids, top_words, word_features
from narrative_coach.analysis.features import BASE, FEATURE_NAMES, LABELS, SentenceFeatures

PARTS = ("self", "us", "now", "other")
MODEL_FILE = "parts_model.json"
# The hand features of features.py, then the word-choice scores of embeddings.py.
MODEL_FEATURES: list[str] = FEATURE_NAMES + WORD_FEATURES


@dataclass(frozen=True)
class PartsModel:
    classes: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (classes, features)
    bias: np.ndarray
    log_prior: np.ndarray
    log_start: np.ndarray
    log_trans: np.ndarray  # (from, to)
    emission_weight: float
    version: str

    def posteriors(self, X: np.ndarray) -> np.ndarray:
        Z = (X - self.mean) / self.scale
        logits = Z @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        P = np.exp(logits)
        return P / P.sum(axis=1, keepdims=True)

    @classmethod
    def from_dict(cls, d: dict) -> "PartsModel":
        if list(d["features"]) != MODEL_FEATURES:
            raise RuntimeError("parts model was trained on different features: retrain it with benchmarks/train_parts_model.py")
        return cls(
            classes=tuple(d["classes"]),
            mean=np.asarray(d["mean"], dtype=float),
            scale=np.asarray(d["scale"], dtype=float),
            weights=np.asarray(d["weights"], dtype=float),
            bias=np.asarray(d["bias"], dtype=float),
            log_prior=np.log(np.asarray(d["prior"], dtype=float)),
            log_start=np.log(np.asarray(d["start"], dtype=float)),
            log_trans=np.log(np.asarray(d["transitions"], dtype=float)),
            emission_weight=float(d.get("emission_weight", 1.0)),
            version=str(d.get("version", "0")),
        )


@lru_cache(maxsize=1)
def load_model() -> PartsModel:
    raw = resources.files("narrative_coach.analysis").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return PartsModel.from_dict(json.loads(raw))


def _emissions(model: PartsModel, P: np.ndarray) -> np.ndarray:
    # Hybrid HMM: p(x|c) is proportional to p(c|x) / p(c).
    return model.emission_weight * (np.log(np.clip(P, 1e-12, 1.0)) - model.log_prior)


def viterbi(log_start: np.ndarray, log_trans: np.ndarray, E: np.ndarray) -> np.ndarray:
    n, k = E.shape
    if n == 0:
        return np.zeros(0, dtype=int)
    score = log_start + E[0]
    back = np.zeros((n, k), dtype=int)
    for t in range(1, n):
        cand = score[:, None] + log_trans  # (from, to)
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + E[t]
    path = np.zeros(n, dtype=int)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def forward_backward(log_start: np.ndarray, log_trans: np.ndarray, E: np.ndarray) -> np.ndarray:
    n, k = E.shape
    if n == 0:
        return np.zeros((0, k))
    la = np.zeros((n, k))
    lb = np.zeros((n, k))
    la[0] = log_start + E[0]
    for t in range(1, n):
        la[t] = np.logaddexp.reduce(la[t - 1][:, None] + log_trans, axis=0) + E[t]
    for t in range(n - 2, -1, -1):
        lb[t] = np.logaddexp.reduce(log_trans + (E[t + 1] + lb[t + 1])[None, :], axis=1)
    g = la + lb
    g -= g.max(axis=1, keepdims=True)
    G = np.exp(g)
    return G / G.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class PartsResult:
    labels: list[str]
    confidence: list[float]
    posteriors: np.ndarray  # (sentences, classes) after sequence decoding, columns in PARTS order
    cues: list[list[str]]


def model_inputs(X: np.ndarray, ids: list[list[int]]) -> np.ndarray:
    """The hand features of a speech joined with its word-choice features (MODEL_FEATURES)."""
    return np.hstack([X, word_features(ids)]) if len(X) else np.zeros((0, len(MODEL_FEATURES)))


def classify(X: np.ndarray, feats: list[SentenceFeatures], model: PartsModel | None = None) -> PartsResult:
    """`X` holds FEATURE_NAMES (features.feature_matrix); the word-choice columns are added here."""
    model = model or load_model()
    n = X.shape[0]
    if n == 0:
        return PartsResult([], [], np.zeros((0, len(PARTS))), [])
    ids = token_ids([f.text for f in feats])
    X = model_inputs(X, ids)
    P = model.posteriors(X)
    E = _emissions(model, P)
    path = viterbi(model.log_start, model.log_trans, E)
    G = forward_backward(model.log_start, model.log_trans, E)
    order = [model.classes.index(p) for p in PARTS]
    labels = [model.classes[i] for i in path]
    conf = [round(float(G[t, path[t]]), 3) for t in range(n)]
    Z = (X - model.mean) / model.scale
    cues = [_cues(model, Z[t], feats[t], int(path[t]), ids[t]) for t in range(n)]
    return PartsResult(labels, conf, G[:, order], cues)


def _cues(model: PartsModel, z: np.ndarray, f: SentenceFeatures, cls: int, ids: list[int], limit: int = 3) -> list[str]:
    """The sentence's own features that pushed hardest toward its label, in words the user knows."""
    w = model.weights[cls] - model.weights.mean(axis=0)
    nb = len(BASE)
    rel0 = FEATURE_NAMES.index(f"rel_{BASE[0]}")
    out: list[tuple[float, str]] = []
    for j, name in enumerate(BASE):
        if f.values.get(name, 0.0) <= 0.0:
            continue
        contrib = float(w[j] * z[j] + w[rel0 + j] * z[rel0 + j])
        if contrib <= 0.05:
            continue
        words = f.evidence.get(name)
        label = LABELS[name]
        out.append((contrib, f"{label}: {', '.join(repr(x) for x in words[:3])}" if words else label))
    out.sort(key=lambda c: -c[0])
    cues = [c for _, c in out[:limit]]
    # Word choice comes after the named features (they explain more): the words the lists did not
    # already show that pulled the sentence toward its label.
    w0 = len(FEATURE_NAMES)
    if float(w[w0:] @ z[w0:]) > 0.05:
        shown = {x for c in cues for x in re.findall(r"'([^']+)'", c)}
        words = [x for x in top_words(ids, model.classes[cls], limit=6) if x not in shown][:3]
        if words:
            cues.append(f"word choice: {', '.join(repr(x) for x in words)}")
    if not cues and nb:
        cues.append("the sentences around it")
    return cues
