"""Which part of the public narrative each sentence belongs to: self, us, now or other.

A multinomial logistic regression over the explainable features in `features.py` gives each
sentence a posterior over the four parts. Parts come in runs (a story of self is several sentences
long), so the posteriors are decoded as a sequence: a hidden semi-Markov chain whose statistics were
counted on the dev split, decoded with Viterbi for the labels and with forward-backward for each
label's confidence. A plain Markov chain would give every run a geometric length, most often one
sentence; a story of self in the corpus is most often four or five. So each part is a chain of
`states_per_part` states that count the sentences of its run, and the chance of leaving the part
after j sentences is the hazard counted on dev (beyond the last state it is constant). Besides the
hand features, the model reads the sentence's word choice (`embeddings.py`: mean word-piece scores).
Weights ship as `data/parts_model.json` and `data/word_scores.json`, trained by
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
    log_start: np.ndarray  # over the (part, sentences so far) states of duration_chain()
    log_trans: np.ndarray  # (from state, to state)
    states_per_part: int
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
        if "duration_hazard" not in d:
            raise RuntimeError("parts model has no run lengths: retrain it with benchmarks/train_parts_model.py")
        hazard = np.asarray(d["duration_hazard"], dtype=float)
        log_start, log_trans = duration_chain(np.asarray(d["start"], dtype=float), np.asarray(d["segment_transitions"], dtype=float), hazard)
        return cls(
            classes=tuple(d["classes"]),
            mean=np.asarray(d["mean"], dtype=float),
            scale=np.asarray(d["scale"], dtype=float),
            weights=np.asarray(d["weights"], dtype=float),
            bias=np.asarray(d["bias"], dtype=float),
            log_prior=np.log(np.asarray(d["prior"], dtype=float)),
            log_start=log_start,
            log_trans=log_trans,
            states_per_part=hazard.shape[1],
            emission_weight=float(d.get("emission_weight", 1.0)),
            version=str(d.get("version", "0")),
        )


@lru_cache(maxsize=1)
def load_model() -> PartsModel:
    raw = resources.files("narrative_coach.analysis").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return PartsModel.from_dict(json.loads(raw))


def duration_chain(start: np.ndarray, segment_trans: np.ndarray, hazard: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The expanded Markov chain of a semi-Markov model: (log start, log transitions) over states
    part * m + j, "the j+1-th sentence (or later, for the last j) of a run of this part".

    `start[c]`: the chance a speech opens with part c; `segment_trans[c, c2]`: the chance the part
    after a run of c is c2 (zero diagonal); `hazard[c, j]`: the chance a run of c ends after its
    j+1-th sentence, given it got that far (the last column holds for every longer run)."""
    k, m = hazard.shape
    tiny = 1e-300  # not 0: every log stays finite
    trans = np.full((k * m, k * m), tiny)
    first = np.full(k * m, tiny)
    for c in range(k):
        first[c * m] = start[c]
        for j in range(m):
            s = c * m + j
            h = hazard[c, j]
            trans[s, s + 1 if j < m - 1 else s] = 1.0 - h
            for c2 in range(k):
                if c2 != c:
                    trans[s, c2 * m] = h * segment_trans[c, c2]
    return np.log(first), np.log(trans)


def _emissions(model: PartsModel, P: np.ndarray) -> np.ndarray:
    # Hybrid HMM: p(x|c) is proportional to p(c|x) / p(c).
    return model.emission_weight * (np.log(np.clip(P, 1e-12, 1.0)) - model.log_prior)


def decode(model: PartsModel, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-sentence posteriors in, (Viterbi labels as class indices, sequence posteriors (n, classes)) out."""
    m = model.states_per_part
    E = np.repeat(_emissions(model, P), m, axis=1)
    path = viterbi(model.log_start, model.log_trans, E) // m
    G = forward_backward(model.log_start, model.log_trans, E).reshape(len(P), -1, m).sum(axis=2)
    return path, G


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
    """Per-step state posteriors. Scaled recursions in probability space (Rabiner): each step is a
    matrix-vector product, several times faster than log-sum-exp over the 32 duration states."""
    n, k = E.shape
    if n == 0:
        return np.zeros((0, k))
    T = np.exp(log_trans)
    B = np.exp(E - E.max(axis=1, keepdims=True))  # a per-step constant cancels in the posteriors
    alpha = np.empty((n, k))
    beta = np.ones((n, k))
    a = np.exp(log_start - log_start.max()) * B[0]
    alpha[0] = a / a.sum()
    for t in range(1, n):
        a = (alpha[t - 1] @ T) * B[t]
        alpha[t] = a / a.sum()
    for t in range(n - 2, -1, -1):
        b = T @ (B[t + 1] * beta[t + 1])
        beta[t] = b / b.sum()
    G = alpha * beta
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
    path, G = decode(model, model.posteriors(X))
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
