"""analyze(): the report contract, the narrative judgement on clear cases, and robustness."""

from __future__ import annotations

import json

import numpy as np
import pytest

from narrative_coach.analysis import ANALYZER_VERSION, analyze
from narrative_coach.analysis.elements import ELEMENT_NAMES
from narrative_coach.analysis.feedback import quote
from narrative_samples import RESUME, SPANISH, STRONG

PARTS = {"self", "us", "now", "other"}


def check_contract(report: dict) -> None:
    """Every field of the report contract (ARCHITECTURE.md) under its exact name and type."""
    assert report["schema"] == "narrative-coach/report@1"
    assert report["analyzer_version"] == ANALYZER_VERSION
    text = report["text"]
    assert isinstance(text, str)
    assert "duration_s" in report and "transcript" in report
    for i, s in enumerate(report["sentences"]):
        assert s["index"] == i
        assert text[s["start_char"] : s["end_char"]] == s["text"]
        assert s["part"] in PARTS
        assert 0.0 <= s["confidence"] <= 1.0
        assert isinstance(s["cues"], list) and all(isinstance(c, str) for c in s["cues"])
        assert "start_s" in s and "end_s" in s
    for p in ("self", "us", "now"):
        d = report["parts"][p]
        assert set(d) >= {"share_words", "seconds", "sentence_count", "score"}
        assert 0.0 <= d["share_words"] <= 1.0
    assert set(report["elements"]) == set(ELEMENT_NAMES)
    n = len(report["sentences"])
    for e in report["elements"].values():
        assert isinstance(e["present"], bool)
        assert e["present"] == bool(e["evidence"])
        assert all(0 <= i < n for i in e["evidence"])
    assert set(report["scores"]) == {"overall", "self", "us", "now", "structure", "delivery"}
    for v in report["scores"].values():
        assert v is None or 0.0 <= v <= 100.0
    assert isinstance(report["delivery"], dict)
    sev = [f["severity"] for f in report["feedback"]]
    assert sev == sorted(sev, reverse=True)
    for f in report["feedback"]:
        assert set(f) >= {"area", "severity", "message", "evidence"}
        assert 0.0 <= f["severity"] <= 1.0 and f["message"]
        assert all(0 <= i < n for i in f["evidence"])
    json.dumps(report)  # JSON-serialisable, no numpy types


def parts_of(report: dict) -> list[str]:
    return [s["part"] for s in report["sentences"]]


def test_a_full_narrative_is_recognised_part_by_part() -> None:
    r = analyze(STRONG)
    check_contract(r)
    parts = parts_of(r)
    assert parts[:5].count("self") >= 4, parts
    assert parts[5:8].count("us") >= 2, parts
    assert parts[8:].count("now") >= 3, parts
    assert r["elements"]["now_action"]["present"]
    assert 11 in r["elements"]["now_action"]["evidence"]
    assert r["elements"]["self_challenge"]["present"]
    assert r["elements"]["now_urgency"]["present"]
    assert r["scores"]["overall"] >= 70
    # Cues name the evidence the user can see in the sentence.
    assert any("first person singular" in c or "'I'" in c for c in r["sentences"][0]["cues"])
    assert r["qualities"]["specificity"]["score"] >= 0.5
    assert any(link["word"] in {"oven", "maple", "street", "family", "warm", "freeze", "night"} for link in r["qualities"]["links"])


def test_what_works_is_said_too_and_only_when_found() -> None:
    r = analyze(STRONG)
    kinds = [s["kind"] for s in r["strengths"]]
    assert 1 <= len(kinds) <= 3
    assert "now_action" in kinds or "self_specific" in kinds
    for s in r["strengths"]:
        assert s["evidence"] and quote(r["sentences"][s["evidence"][0]]["text"]) in s["message"] or s["kind"] == "links"
    resume = analyze(RESUME)
    assert not any(s["kind"] in {"self_plot", "now_action"} for s in resume["strengths"])


def test_a_resume_and_a_budget_get_the_structural_problems_first() -> None:
    r = analyze(RESUME)
    check_contract(r)
    strong = analyze(STRONG)
    assert r["scores"]["overall"] < strong["scores"]["overall"] - 25
    top3 = r["feedback"][:3]
    kinds = [f.get("kind") for f in top3]
    assert {"missing_self", "missing_us", "missing_now", "resume_self", "vague_ask"} & set(kinds), kinds
    assert all(f["area"] != "delivery" for f in top3)
    # Feedback points at sentences and quotes them: never generic.
    for f in r["feedback"]:
        if f["area"] in {"self", "us", "now"} and f["evidence"]:
            assert quote(r["sentences"][f["evidence"][0]]["text"]) in f["message"]


def test_vague_ask_is_named_as_such() -> None:
    speech = STRONG[: STRONG.index("I am asking")] + "Please get involved and make a difference however you can."
    r = analyze(speech)
    assert not r["elements"]["now_action"]["present"]
    vague = [f for f in r["feedback"] if f.get("kind") == "vague_ask"]
    assert vague and "get involved" in vague[0]["message"]


def test_story_without_a_choice_is_told_what_is_missing() -> None:
    speech = (
        "My father lost his job at the plant when I was nine, and we lost the house that winter. "
        "I remember the sound of the moving truck in the snow on Cedar Lane. "
        "My mother cried in the kitchen every night for a month. "
        "This is a city that has always taken care of its neighbors. "
        "We are people who show up for each other. "
        "Today 300 families in this city face eviction before the end of March. "
        "Imagine a city where no child loses a home. "
        "I am asking you to call your council member before Friday at noon and ask for a yes vote."
    )
    r = analyze(speech)
    kinds = [f.get("kind") for f in r["feedback"]]
    assert "self_no_choice" in kinds or r["elements"]["self_choice"]["present"] is False


def test_typed_text_has_no_times_and_words_give_times() -> None:
    r = analyze(STRONG)
    assert r["duration_s"] is None and r["transcript"] is None
    assert all(s["start_s"] is None for s in r["sentences"])
    assert r["parts"]["self"]["seconds"] is None

    text = "We rebuilt this town together. Now I am asking you to vote on Tuesday."
    words, t = [], 0.0
    for w in text.split():
        words.append({"word": " " + w, "start": t, "end": t + 0.3, "probability": 0.9})
        t += 0.4
    transcript = {"text": text, "language": "en", "duration_s": t, "model": "tiny.en", "words": words}
    r = analyze(text, transcript=transcript, audio=np.zeros(int(16000 * t), dtype=np.float32))
    check_contract(r)
    assert r["duration_s"] == pytest.approx(t, abs=0.01)
    assert r["transcript"]["language"] == "en" and r["transcript"]["model"] == "tiny.en"
    assert r["sentences"][0]["start_s"] == 0.0
    assert r["sentences"][1]["start_s"] == pytest.approx(5 * 0.4)
    assert r["sentences"][1]["end_s"] == pytest.approx(words[-1]["end"])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n  ",
        "Hello",
        "we came here because our town was flooded and i decided to run for mayor and now i ask you to vote on tuesday",
        STRONG.upper(),
        "!!! ??? ...",
        "1 2 3 4 5 6 7 8 9 10",
    ],
    ids=["empty", "whitespace", "one-word", "no-punctuation", "all-caps", "punctuation-only", "numbers"],
)
def test_odd_input_gives_a_clear_report(text: str) -> None:
    r = analyze(text)
    check_contract(r)
    if not text.strip() or not any(ch.isalnum() for ch in text):
        assert r["sentences"] == []
        assert r["feedback"][0]["kind"] == "empty"
        assert "no words" in r["feedback"][0]["message"]


def test_all_capitals_still_finds_the_stories() -> None:
    r = analyze(STRONG.upper())
    parts = parts_of(r)
    assert parts.count("self") >= 3 and parts.count("now") >= 2


def test_non_english_says_plainly_that_scoring_is_english_only() -> None:
    r = analyze(SPANISH)
    check_contract(r)
    assert r["language_supported"] is False
    assert "English-only" in r["language_message"]
    assert r["feedback"][0]["area"] == "language"
    assert all(s["part"] == "other" for s in r["sentences"])
    assert r["scores"]["overall"] is None
    # A transcript whose detected language is not English is treated the same way.
    r = analyze(STRONG, transcript={"language": "de", "model": "small", "words": [], "duration_s": 1.0})
    assert r["language_supported"] is False


def test_fifty_thousand_words() -> None:
    text = " ".join([STRONG] * (50_000 // len(STRONG.split()) + 1))
    r = analyze(text)
    assert r["word_count"] >= 50_000
    assert len(r["sentences"]) > 2000
    s = r["sentences"][-1]
    assert r["text"][s["start_char"] : s["end_char"]] == s["text"]


def test_analyze_is_deterministic_and_does_not_touch_its_input() -> None:
    a = analyze(STRONG)
    b = analyze(STRONG)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
