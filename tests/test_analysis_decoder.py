"""The parts decoder: a semi-Markov chain over run lengths (parts.duration_chain), Viterbi and
forward-backward, checked against brute-force enumeration and against the shipped model."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

from narrative_coach.analysis.parts import decode, duration_chain, forward_backward, load_model, viterbi

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))


def _small_chain(m: int = 3) -> tuple[np.ndarray, np.ndarray]:
    start = np.array([0.7, 0.3])
    seg = np.array([[0.0, 1.0], [1.0, 0.0]])
    hazard = np.array([[0.1, 0.2, 0.5][:m], [0.6, 0.3, 0.4][:m]])
    return duration_chain(start, seg, hazard)


def _path_scores(log_start: np.ndarray, log_trans: np.ndarray, E: np.ndarray) -> dict[tuple[int, ...], float]:
    n, k = E.shape
    out = {}
    for path in itertools.product(range(k), repeat=n):
        s = log_start[path[0]] + E[0, path[0]]
        for t in range(1, n):
            s += log_trans[path[t - 1], path[t]] + E[t, path[t]]
        out[path] = s
    return out


def test_the_duration_chain_is_a_stochastic_matrix() -> None:
    log_start, log_trans = _small_chain()
    assert np.allclose(np.exp(log_start).sum(), 1.0)
    assert np.allclose(np.exp(log_trans).sum(axis=1), 1.0)
    model = load_model()
    assert model.states_per_part > 1
    assert np.allclose(np.exp(model.log_trans).sum(axis=1), 1.0)
    assert np.allclose(np.exp(model.log_start).sum(), 1.0)


def test_viterbi_and_forward_backward_match_enumeration() -> None:
    log_start, log_trans = _small_chain()
    rng = np.random.default_rng(3)
    E = np.log(rng.dirichlet(np.ones(6), size=5))
    scores = _path_scores(log_start, log_trans, E)
    best = max(scores, key=scores.get)
    assert tuple(viterbi(log_start, log_trans, E)) == best
    w = np.exp(np.array(list(scores.values())) - max(scores.values()))
    marg = np.zeros(E.shape)
    for (path, _), p in zip(scores.items(), w):
        marg[np.arange(len(path)), list(path)] += p
    marg /= w.sum()
    assert np.allclose(forward_backward(log_start, log_trans, E), marg, atol=1e-9)


def test_a_run_never_reaches_a_state_out_of_order() -> None:
    # A run of part 0 must pass through its states 0, 1, 2 in order; a new run starts at state 0.
    log_start, log_trans = _small_chain()
    E = np.zeros((8, 6))
    path = viterbi(log_start, log_trans, E)
    for a, b in zip(path[:-1], path[1:]):
        same_part = a // 3 == b // 3
        assert (b == min(a + 1, a // 3 * 3 + 2)) if same_part else b % 3 == 0


def _run_length_distribution(log_trans: np.ndarray, part: int, m: int, longest: int = 12) -> np.ndarray:
    """P(a run of `part` lasts d sentences), d = 1..longest, read off the chain's transitions."""
    T = np.exp(log_trans)
    out, alive = [], 1.0
    for d in range(1, longest + 1):
        s = part * m + min(d - 1, m - 1)
        stay = T[s, s + 1] if d < m else T[s, s]
        out.append(alive * (1.0 - stay))
        alive *= stay
    return np.array(out)


def test_the_shipped_decoder_expects_a_story_of_self_to_run_several_sentences() -> None:
    # The reason for the semi-Markov chain: in the corpus a story of self runs 4-5 sentences most
    # often, while a plain Markov chain makes one sentence the likeliest length of every run.
    model = load_model()
    m = model.states_per_part
    self_runs = _run_length_distribution(model.log_trans, model.classes.index("self"), m)
    assert int(self_runs.argmax()) + 1 in (3, 4, 5, 6)
    other_runs = _run_length_distribution(model.log_trans, model.classes.index("other"), m)
    assert int(other_runs.argmax()) + 1 == 1  # greetings and logistics: often one sentence


def test_decode_gives_labels_and_confidences_for_a_speech() -> None:
    model = load_model()
    P = np.vstack([np.tile([0.85, 0.05, 0.05, 0.05], (5, 1)), np.tile([0.05, 0.05, 0.85, 0.05], (4, 1))])
    P[3] = [0.40, 0.50, 0.05, 0.05]
    path, G = decode(model, P)
    assert [model.classes[i] for i in path] == ["self"] * 5 + ["now"] * 4
    assert G.shape == (9, 4) and np.allclose(G.sum(axis=1), 1.0)
    assert G[3, 0] < G[2, 0]  # the doubtful sentence shows its doubt in its confidence


def test_run_statistics_count_hazards_from_runs() -> None:
    from train_parts_model import run_statistics

    ys = [np.array([0, 0, 0, 1, 1, 0]), np.array([1, 0, 0, 0])]
    start, seg, hazard = run_statistics(ys, m=3)
    assert np.allclose(start.sum(), 1.0) and start[0] > start[2] > 0  # add-one: every part can open
    assert np.allclose(np.diag(seg), 0.0) and np.allclose(seg.sum(axis=1), 1.0)
    # runs of part 0: 3, 1, 3. Ends after one sentence 1 of 3 times, after two 0 of 2 (add 1/m, add 1)
    assert np.isclose(hazard[0, 0], (1 + 1 / 3) / (3 + 1)) and np.isclose(hazard[0, 1], (0 + 1 / 3) / (2 + 1))
    # beyond: a constant hazard from the smoothed mean excess, (0 + 0 + 1) / (2 + 1) sentences
    assert np.isclose(hazard[0, 2], 1 / (1 / 3 + 1))
    assert np.isfinite(hazard).all() and (hazard > 0).all() and (hazard < 1).all()  # part 2 never ran
