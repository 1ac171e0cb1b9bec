"""Whatever the transcript, timestamps or audio look like, delivery analysis returns a JSON-safe
result with scores and severities in range."""

from __future__ import annotations

import json
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delivery_fixtures import sentences_of
from narrative_coach.analysis.delivery import analyze_delivery

VOCAB = ["we", "will", "um", "uh", "like", "so", "you", "know", "I", "mean", "just", "the", "city", "that",
         "a", "basically", "kind", "of", "vote", "Tuesday", "don't", "30", "—", "Mayor", "we'll"]
PUNCT = ["", "", "", ",", ".", "?", "!", ";", "...", " -"]

words_st = st.lists(st.tuples(st.sampled_from(VOCAB), st.sampled_from(PUNCT)), min_size=0, max_size=60)
time_st = st.one_of(st.floats(min_value=-5, max_value=400), st.sampled_from([math.nan, math.inf, -math.inf]), st.none())


def _check(r) -> None:
    json.dumps(r.delivery, allow_nan=False)
    assert 0 <= r.score <= 100 and not math.isnan(r.score)
    for f in r.feedback:
        assert 0 <= f["severity"] <= 1 and f["message"] and isinstance(f["evidence"], list)
        json.dumps(f, allow_nan=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words_st, st.lists(st.tuples(time_st, time_st), min_size=0, max_size=60), st.booleans())
def test_any_words_and_times(tokens, times, typed):
    text = " ".join(w + p for w, p in tokens)
    sents = sentences_of(text)
    words = None
    if not typed:
        words = [{"word": " " + w + p, "start": t0, "end": t1, "probability": 0.5}
                 for (w, p), (t0, t1) in zip(tokens, times + [(None, None)] * len(tokens))]
    _check(analyze_delivery(text, sents, words, None, 16000))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words_st, st.integers(min_value=0, max_value=3 * 16000), st.sampled_from([8000, 16000, 44100]),
       st.floats(min_value=0.0, max_value=4.0), st.integers(min_value=0, max_value=2**31 - 1))
def test_any_audio(tokens, n, sr, gain, seed):
    text = " ".join(w + p for w, p in tokens)
    rng = np.random.default_rng(seed)
    t = np.arange(n) / sr
    x = (gain * (0.3 * np.sin(2 * np.pi * 140 * t) * (np.sin(2 * np.pi * 2 * t) > 0)
                 + 0.05 * rng.standard_normal(n))).astype(np.float32)
    x = np.clip(x, -1, 1)
    step = (n / sr) / max(len(tokens), 1)
    words = [{"word": w + p, "start": i * step, "end": (i + 0.8) * step, "probability": 0.9}
             for i, (w, p) in enumerate(tokens)]
    _check(analyze_delivery(text, sentences_of(text), words, x, sr))
