"""Delivery metrics that need only the words: fillers, hedges, repetition, readability, rubric."""

from __future__ import annotations

import json

import pytest

from delivery_fixtures import sentences_of
from narrative_coach.analysis.delivery import DEFAULTS, analyze_delivery
from narrative_coach.errors import UserError


def typed(text: str, rubric: dict | None = None):
    return analyze_delivery(text, sentences_of(text), None, None, 16000, rubric)


def filler_words(text: str) -> list[str]:
    return [it["word"] for it in typed(text).delivery["fillers"]["items"]]


def test_typed_text_has_text_metrics_and_no_sound_metrics():
    text = "My mother cleaned offices at night. We are a city that works. Vote on Tuesday."
    r = typed(text)
    d = r.delivery
    assert d["wpm"] is None and d["wpm_timeline"] == [] and d["wpm_range"] == [100.0, 165.0]
    assert d["pitch"] is None and d["loudness"] is None
    assert d["pauses"]["available"] is False
    assert d["readability"]["sentence_count"] == 3
    assert d["readability"]["avg_sentence_words"] == pytest.approx(15 / 3, abs=0.05)
    assert d["available"] == {"text": True, "timing": False, "audio": False}
    assert 0 <= r.score <= 100
    json.dumps(d)  # the report is stored as JSON


@pytest.mark.parametrize("text, expected", [
    ("Um, we need this. Uh, we need it now.", ["um", "uh"]),
    ("I like this city. We like our parks.", []),  # the verb
    ("It looks like rain. Cities like Boston did it.", []),  # the preposition
    ("It was, like, the worst winter.", ["like"]),
    ("We saved so that our children could stay. We did so much.", []),
    ("So, here is the plan.", ["so"]),
    ("And so, my fellow citizens, we begin.", []),  # rhetorical, not a filler
    ("You know, this matters. You know the way home.", ["you know"]),
    ("I mean, it is late. I mean it.", ["i mean"]),
    ("It is basically done.", ["basically"]),
])
def test_filler_context_rules(text, expected):
    assert filler_words(text) == expected


def test_filler_rates_per_100_words_for_typed_text():
    text = "Um, we will fix the roads. Uh, we will fix the parks. Um, and the schools."
    f = typed(text).delivery["fillers"]
    assert f["count"] == 3 and f["per_minute"] is None
    assert f["per_100_words"] == pytest.approx(100 * 3 / 16, abs=0.01)
    assert [it["sentence"] for it in f["items"]] == [0, 1, 2]


def test_hedges_counted_but_not_a_just_city():
    text = "I think we could maybe just try. We want a just city. It is sort of urgent."
    h = typed(text).delivery["hedges"]
    phrases = [it["phrase"] for it in h["items"]]
    assert phrases == ["i think", "maybe", "just", "sort of"]
    assert [it["sentence"] for it in h["items"]] == [0, 0, 0, 2]


def test_anaphora_is_a_device_not_a_fault():
    text = ("We will rebuild the bridge. We will reopen the clinic. And we will keep the buses running. "
            "The budget is tight.")
    r = typed(text)
    rep = r.delivery["repetition"]
    assert [a["phrase"] for a in rep["anaphora"]] == ["we will"]
    assert rep["anaphora"][0]["sentences"] == [0, 1, 2]
    assert all("we will" not in p["phrase"] for p in rep["repeated_phrases"])
    faults = [f for f in r.feedback if f["metric"] == "repetition" and f["severity"] > 0.1]
    assert faults == []


def test_repeated_phrase_outside_anaphora_is_reported():
    text = ("The budget is tight and the new bus plan matters. Our region knows the new bus plan works. "
            "Voters asked for the new bus plan last year. Nobody doubts the new bus plan today.")
    rep = typed(text).delivery["repetition"]
    assert rep["repeated_phrases"][0]["phrase"] == "the new bus plan"
    assert rep["repeated_phrases"][0]["count"] == 4
    assert rep["repeated_phrases"][0]["sentences"] == [0, 1, 2, 3]


def test_stumbles():
    rep = typed("We need the the money now.").delivery["repetition"]
    assert [s["word"] for s in rep["stumbles"]] == ["the"]


def test_readability_flags_long_hard_sentences():
    hard = ("Notwithstanding considerable intergovernmental complications, the municipality's comprehensive "
            "infrastructure rehabilitation initiative necessitates extraordinary administrative coordination "
            "across numerous interdependent departmental jurisdictions and organizational responsibilities.")
    easy = "We fix roads. We help kids. We pay our bills. We show up."
    rh, re_ = typed(hard).delivery["readability"], typed(easy).delivery["readability"]
    assert rh["grade"] > 15 > 5 > re_["grade"]
    assert rh["flesch_reading_ease"] < 10 < 80 < re_["flesch_reading_ease"]
    fb = typed(hard).feedback
    assert any(f["metric"] == "readability" and f["evidence"] == [0] for f in fb)


def test_time_per_part_from_words_for_typed_text():
    text = "I grew up on Elm Street. We are neighbours. Vote on Tuesday at the library."
    sents = sentences_of(text)
    for s, part in zip(sents, ["self", "us", "now"]):
        s["part"] = part
    parts = analyze_delivery(text, sents, None, None).delivery["time_per_part"]
    assert parts["basis"] == "words"
    assert (parts["self"]["words"], parts["us"]["words"], parts["now"]["words"]) == (6, 3, 6)
    assert parts["now"]["estimated_seconds"] == pytest.approx(6 / 140 * 60, abs=0.1)


def test_rubric_overrides_thresholds():
    text = "Um, we start. Uh, we go."
    default = typed(text).delivery
    strict = typed(text, {"delivery": {"fillers_percent_max": 50, "wpm_max": 180}}).delivery
    assert default["thresholds"]["wpm_max"] == DEFAULTS.wpm_max
    assert strict["thresholds"]["wpm_max"] == 180 and strict["wpm_range"] == [100.0, 180.0]
    assert strict["fillers"]["per_100_words_max"] == 50


@pytest.mark.parametrize("rubric", [{"delivery": {"wpm_maxx": 1}}, {"delivery": {"wpm_max": "fast"}},
                                    {"delivery": {"wpm_min": 200}}, {"delivery": [1, 2]}])
def test_bad_rubric_is_a_user_error(rubric):
    with pytest.raises(UserError):
        typed("We go.", rubric)


@pytest.mark.parametrize("text", ["", "   ", "Hello", "!!!", "Vote."])
def test_degenerate_text_never_crashes(text):
    r = typed(text)
    json.dumps(r.delivery)
    assert 0 <= r.score <= 100


SYLLABLES = {"the": 1, "city": 2, "community": 4, "beautiful": 3, "fire": 1, "hope": 1, "rebuild": 2,
             "neighborhood": 3, "council": 2, "library": 3, "tuesday": 2, "together": 3, "people": 2,
             "children": 2, "family": 3, "water": 2, "education": 4, "responsibility": 6, "area": 3,
             "idea": 3, "create": 2, "business": 2, "evening": 3, "different": 3, "little": 2, "quiet": 2,
             "made": 1, "walked": 1, "jumped": 1, "wanted": 2, "needed": 2, "closed": 1, "houses": 2,
             "poem": 2, "going": 2, "america": 4, "government": 3, "opportunity": 5, "violence": 3,
             "agreed": 2, "rhythm": 2, "through": 1, "streets": 1, "schools": 1, "media": 3}


def test_syllable_counts_offline():
    from narrative_coach.analysis.delivery.readability import syllables

    right = sum(syllables(w) == n for w, n in SYLLABLES.items())
    assert right / len(SYLLABLES) >= 0.9


def test_flesch_formulas_on_a_hand_computed_sentence():
    # 6 words, 1 sentence, 6 syllables: 206.835 - 1.015*6 - 84.6*1 = 116.1; grade 0.39*6 + 11.8 - 15.59 < 0
    r = typed("The cat sat on the mat.").delivery["readability"]
    assert r["flesch_reading_ease"] == pytest.approx(116.1, abs=0.05)
    assert r["grade"] == 0.0


def test_filler_and_hedge_items_carry_their_span_in_the_text():
    text = "So, we will, you know, maybe just try. I think it works."
    d = typed(text).delivery
    spans = [text[it["start_char"]:it["end_char"]] for it in d["fillers"]["items"] + d["hedges"]["items"]]
    assert spans == ["So", "you know", "maybe", "just", "I think"]
