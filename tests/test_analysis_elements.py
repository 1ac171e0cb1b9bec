"""Element presence and evidence from per-sentence scores (narrative_coach/analysis/elements.py)."""

from __future__ import annotations

import numpy as np
import pytest

from narrative_coach.analysis.elements import ELEMENT_NAMES, MAX_EVIDENCE, detect_elements, element_strength


def _model(threshold: float) -> dict:
    return {name: {"threshold": threshold} for name in ELEMENT_NAMES}


def _scores(values: list[float]) -> dict[str, np.ndarray]:
    return {name: np.asarray(values, dtype=float) for name in ELEMENT_NAMES}


def test_strength_is_the_chance_that_some_sentence_shows_it() -> None:
    assert element_strength(np.array([])) == 0.0
    assert element_strength(np.array([0.5, 0.5])) == pytest.approx(0.75)
    assert element_strength(np.array([0.0, 0.3])) == pytest.approx(0.3)


def test_two_half_sure_sentences_make_an_element_present_with_both_as_evidence() -> None:
    e = detect_elements(_scores([0.1, 0.5, 0.0, 0.5]), _model(0.7))["now_hope"]
    assert e["present"] and e["evidence"] == [1, 3]
    assert e["strength"] == pytest.approx(1 - 0.9 * 0.5 * 0.5, abs=1e-3)


def test_evidence_stops_once_the_threshold_is_reached_but_keeps_strong_sentences() -> None:
    e = detect_elements(_scores([0.9, 0.2, 0.8, 0.1]), _model(0.7))["self_choice"]
    assert e["evidence"] == [0, 2]
    many = detect_elements(_scores([0.95] * 9), _model(0.7))["us_values"]
    assert len(many["evidence"]) == MAX_EVIDENCE


def test_below_the_threshold_nothing_is_shown() -> None:
    e = detect_elements(_scores([0.2, 0.1]), _model(0.5))["now_action"]
    assert e == {"present": False, "evidence": [], "strength": pytest.approx(0.28, abs=1e-3)}
    assert detect_elements(_scores([]), _model(0.5))["now_action"]["present"] is False
    # A coach's rubric can demand more: the shift moves every threshold.
    assert not detect_elements(_scores([0.6]), _model(0.5), threshold_shift=0.2)["now_action"]["present"]
