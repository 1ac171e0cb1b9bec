"""Train the parts classifier and the element detectors on the DEV split only.

    .venv/bin/python benchmarks/train_parts_model.py            # writes narrative_coach/analysis/data/*.json

Hyper-parameters (L2 strength, emission weight of the sequence decoder, element thresholds) are
chosen by 5-fold cross-validation over dev speeches, so no test file is ever read here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from narrative_corpus import ELEMENT_NAMES, LabeledSpeech, load_split  # noqa: E402

from narrative_coach.analysis.elements import ELEMENT_PART, element_scores  # noqa: E402
from narrative_coach.analysis.features import FEATURE_NAMES, feature_matrix  # noqa: E402
from narrative_coach.analysis.parts import PARTS, PartsModel, forward_backward, viterbi  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "narrative_coach" / "analysis" / "data"
K = len(PARTS)


def fit_softmax(X: np.ndarray, y: np.ndarray, k: int, l2: float, iters: int = 500, lr: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Class-balanced multinomial logistic regression, full-batch Adam."""
    n, d = X.shape
    counts = np.bincount(y, minlength=k).astype(float)
    cw = np.where(counts > 0, n / (k * np.maximum(counts, 1)), 0.0)
    sw = cw[y]
    Y = np.eye(k)[y]
    W = np.zeros((k, d))
    b = np.zeros(k)
    mW, vW, mb, vb = np.zeros_like(W), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b)
    b1, b2, eps = 0.9, 0.999, 1e-8
    for t in range(1, iters + 1):
        logits = X @ W.T + b
        logits -= logits.max(axis=1, keepdims=True)
        P = np.exp(logits)
        P /= P.sum(axis=1, keepdims=True)
        G = (P - Y) * sw[:, None] / sw.sum()
        gW = G.T @ X + l2 * W
        gb = G.sum(axis=0)
        mW = b1 * mW + (1 - b1) * gW
        vW = b2 * vW + (1 - b2) * gW * gW
        mb = b1 * mb + (1 - b1) * gb
        vb = b2 * vb + (1 - b2) * gb * gb
        W -= lr * (mW / (1 - b1**t)) / (np.sqrt(vW / (1 - b2**t)) + eps)
        b -= lr * (mb / (1 - b1**t)) / (np.sqrt(vb / (1 - b2**t)) + eps)
    return W, b


def _stack(speeches: list[LabeledSpeech]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    Xs, ys = [], []
    for s in speeches:
        X, _ = feature_matrix(s.sentences)
        Xs.append(X)
        ys.append(np.array([PARTS.index(p) for p in s.parts]))
    return Xs, ys


def train_parts(Xs: list[np.ndarray], ys: list[np.ndarray], l2: float, emission_weight: float) -> dict:
    X = np.vstack(Xs)
    y = np.concatenate(ys)
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-6] = 1.0
    W, b = fit_softmax((X - mean) / scale, y, K, l2)
    prior = (np.bincount(y, minlength=K) + 1.0) / (len(y) + K)
    # Balanced training already flattens the prior; the decoder divides by the prior it was trained with.
    prior_eff = np.full(K, 1.0 / K)
    start = np.ones(K)
    trans = np.ones((K, K))
    for yy in ys:
        if len(yy):
            start[yy[0]] += 1
        for a, c in zip(yy[:-1], yy[1:]):
            trans[a, c] += 1
    start /= start.sum()
    trans /= trans.sum(axis=1, keepdims=True)
    return {
        "version": "parts-1",
        "classes": list(PARTS),
        "features": FEATURE_NAMES,
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "weights": W.round(5).tolist(),
        "bias": b.round(5).tolist(),
        "prior": prior_eff.tolist(),
        "class_frequency": prior.round(4).tolist(),
        "start": start.round(5).tolist(),
        "transitions": trans.round(5).tolist(),
        "emission_weight": emission_weight,
    }


def decode(model: PartsModel, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    P = model.posteriors(X)
    E = model.emission_weight * (np.log(np.clip(P, 1e-12, 1)) - model.log_prior)
    return viterbi(model.log_start, model.log_trans, E), forward_backward(model.log_start, model.log_trans, E)


def macro_f1(y: np.ndarray, p: np.ndarray) -> float:
    f1s = []
    for c in range(K):
        tp = np.sum((p == c) & (y == c))
        fp = np.sum((p == c) & (y != c))
        fn = np.sum((p != c) & (y == c))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s))


def folds(n: int, k: int = 5) -> list[np.ndarray]:
    idx = np.arange(n)
    return [idx[i::k] for i in range(k)]


def train_elements(Xs: list[np.ndarray], speeches: list[LabeledSpeech], mean: np.ndarray, scale: np.ndarray, l2: float) -> dict:
    out = {}
    for name in ELEMENT_NAMES:
        gate = ELEMENT_PART[name]
        rows, labels = [], []
        for X, s in zip(Xs, speeches):
            pos = set(s.elements[name])
            for i, part in enumerate(s.parts):
                if part == gate or i in pos:
                    rows.append(X[i])
                    labels.append(1 if i in pos else 0)
        if not rows or len(set(labels)) < 2:
            out[name] = {"weights": [0.0] * len(FEATURE_NAMES), "bias": -5.0, "threshold": 0.5}
            continue
        Z = (np.array(rows) - mean) / scale
        W, b = fit_softmax(Z, np.array(labels), 2, l2, iters=400)
        out[name] = {"weights": (W[1] - W[0]).round(5).tolist(), "bias": round(float(b[1] - b[0]), 5), "threshold": 0.5}
    return out


def best_threshold(scores: list[float], present: list[bool]) -> float:
    cands = sorted(set([0.5] + [round(x, 3) for x in scores]))
    best, best_acc = 0.5, -1.0
    for i, t in enumerate(cands):
        acc = np.mean([(s >= t) == p for s, p in zip(scores, present)])
        if acc > best_acc + 1e-9:
            best_acc = acc
            # midpoint to the next candidate generalises better than the exact score
            best = (t + cands[i - 1]) / 2 if i > 0 else t
    return float(best)


def main() -> int:
    dev = load_split("dev")
    if not dev:
        print("no dev speeches under tests/data/narrative/dev", file=sys.stderr)
        return 1
    Xs, ys = _stack(dev)
    fs = folds(len(dev))
    results = {}
    for l2 in (0.03, 0.1, 0.3):
        cv_models = []
        for f in fs:
            tr = [i for i in range(len(dev)) if i not in set(f)]
            cv_models.append((f, train_parts([Xs[i] for i in tr], [ys[i] for i in tr], l2, 1.0)))
        for ew in (1.0, 1.5, 2.5, 4.0):
            yt, yp = [], []
            for f, md in cv_models:
                md = dict(md, emission_weight=ew)
                m = PartsModel.from_dict(md)
                for i in f:
                    path, _ = decode(m, Xs[i])
                    yt.append(ys[i])
                    yp.append(path)
            results[(l2, ew)] = macro_f1(np.concatenate(yt), np.concatenate(yp))
    (l2, ew), score = max(results.items(), key=lambda kv: kv[1])
    print(f"cv macro-F1 on dev: {score:.3f} with l2={l2} emission_weight={ew}")

    # Element thresholds from cross-validated scores.
    el_scores: dict[str, list[float]] = {n: [] for n in ELEMENT_NAMES}
    el_present: dict[str, list[bool]] = {n: [] for n in ELEMENT_NAMES}
    for f in fs:
        tr = [i for i in range(len(dev)) if i not in set(f)]
        md = train_parts([Xs[i] for i in tr], [ys[i] for i in tr], l2, ew)
        m = PartsModel.from_dict(md)
        em = train_elements([Xs[i] for i in tr], [dev[i] for i in tr], m.mean, m.scale, l2)
        for i in f:
            path, G = decode(m, Xs[i])
            labels = [PARTS[j] for j in path]
            sc = element_scores(Xs[i], labels, G, em, m.mean, m.scale)
            for n in ELEMENT_NAMES:
                el_scores[n].append(max(sc[n]) if len(sc[n]) else 0.0)
                el_present[n].append(bool(dev[i].elements[n]))
    model = train_parts(Xs, ys, l2, ew)
    m = PartsModel.from_dict(model)
    elements = train_elements(Xs, dev, m.mean, m.scale, l2)
    accs = []
    for n in ELEMENT_NAMES:
        t = best_threshold(el_scores[n], el_present[n])
        elements[n]["threshold"] = round(t, 4)
        acc = np.mean([(s >= t) == p for s, p in zip(el_scores[n], el_present[n])])
        accs.append(acc)
        print(f"  {n:15s} threshold {t:.3f} cv accuracy {acc:.3f}")
    print(f"cv element accuracy on dev: {np.mean(accs):.3f}")
    model["trained_on"] = {"split": "dev", "speeches": len(dev), "sentences": int(sum(len(y) for y in ys)), "cv_macro_f1": round(score, 4)}
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "parts_model.json").write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    (DATA / "elements_model.json").write_text(
        json.dumps({"version": "elements-1", "features": FEATURE_NAMES, "elements": elements}, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {DATA / 'parts_model.json'} and elements_model.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
