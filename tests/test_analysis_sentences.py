"""Sentence segmentation: offsets, abbreviations, run-ons, and times from word timestamps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from narrative_coach.analysis.sentences import MAX_WORDS, align_words, sentence_times, split_sentences


def texts(t: str) -> list[str]:
    return [sp.text(t) for sp in split_sentences(t)]


def test_abbreviations_decimals_and_initials_do_not_split() -> None:
    t = (
        "Dr. King came to St. Louis in 1964. It cost $3.5 million, i.e. a lot. John F. Kennedy spoke. "
        "Mr. and Mrs. Ortiz met at 7 p.m. on Tuesday. We met on Main St. We rebuilt it!"
    )
    assert texts(t) == [
        "Dr. King came to St. Louis in 1964.",
        "It cost $3.5 million, i.e. a lot.",
        "John F. Kennedy spoke.",
        "Mr. and Mrs. Ortiz met at 7 p.m. on Tuesday.",
        "We met on Main St.",
        "We rebuilt it!",
    ]


def test_abbreviation_at_the_end_of_a_sentence() -> None:
    assert texts("I was born in the U.S. We came in 1990. The U.S. Army helped.") == [
        "I was born in the U.S.",
        "We came in 1990.",
        "The U.S. Army helped.",
    ]


def test_quotations_and_question_marks_keep_their_closers() -> None:
    t = 'She said, "We will not leave." Will you stand with us? "Yes!" they said.'
    assert texts(t) == ['She said, "We will not leave."', "Will you stand with us?", '"Yes!" they said.']


def test_run_on_and_unpunctuated_text_is_cut_into_readable_pieces() -> None:
    run_on = " ".join(["and then we went down to the river and we filled the sandbags"] * 10)
    pieces = texts(run_on)
    assert len(pieces) >= 4
    assert all(len(p.split()) <= MAX_WORDS for p in pieces)
    bare = " ".join(f"word{i}" for i in range(200))  # no punctuation and no joiners at all
    pieces = texts(bare)
    assert all(len(p.split()) <= MAX_WORDS for p in pieces)
    assert " ".join(pieces) == bare


def test_blank_lines_end_a_sentence_and_whitespace_is_not_a_sentence() -> None:
    assert texts("Thank you all\n\nWe begin tonight with the budget") == ["Thank you all", "We begin tonight with the budget"]
    assert texts("   \n\t ") == []
    assert texts("") == []
    assert texts("... !!! ???") == []


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("abcXYZ .!?,;\"'\n\t-()’…0123456789") + ["Mr. ", "U.S. ", "Dr. ", " and ", "e.g. ", "We ", "i "]),
        max_size=300,
    ).map("".join)
    | st.text(max_size=300)
)
def test_offsets_are_exact_ordered_and_cover_every_word(text: str) -> None:
    spans = split_sentences(text)
    prev_end = 0
    for sp in spans:
        assert 0 <= prev_end <= sp.start < sp.end <= len(text)
        piece = text[sp.start : sp.end]
        assert piece == piece.strip()
        assert any(ch.isalnum() for ch in piece)
        prev_end = sp.end
    covered = set()
    for sp in spans:
        covered.update(range(sp.start, sp.end))
    for i, ch in enumerate(text):
        if ch.isalnum():
            assert i in covered, f"character {i} ({ch!r}) is in no sentence"


def test_sentence_times_from_whisper_style_words() -> None:
    text = "We rebuilt this town. Now we vote on Tuesday."
    words = [
        {"word": " We", "start": 0.0, "end": 0.2, "probability": 0.9},
        {"word": " rebuilt", "start": 0.2, "end": 0.6, "probability": 0.9},
        {"word": " this", "start": 0.6, "end": 0.8, "probability": 0.9},
        {"word": " town.", "start": 0.8, "end": 1.1, "probability": 0.9},
        {"word": " Now", "start": 1.9, "end": 2.1, "probability": 0.9},
        {"word": " we", "start": 2.1, "end": 2.2, "probability": 0.9},
        {"word": " vote", "start": 2.2, "end": 2.5, "probability": 0.9},
        {"word": " on", "start": 2.5, "end": 2.6, "probability": 0.9},
        {"word": " Tuesday.", "start": 2.6, "end": 3.2, "probability": 0.9},
    ]
    spans = split_sentences(text)
    assert sentence_times(text, spans, words) == [(0.0, 1.1), (1.9, 3.2)]
    assert sentence_times(text, spans, None) == [(None, None), (None, None)]


def test_alignment_survives_words_missing_from_the_text() -> None:
    text = "Thank you. We begin."
    words = [
        {"word": "Thank", "start": 0.0, "end": 0.3},
        {"word": "um", "start": 0.3, "end": 0.5},  # not in the text
        {"word": "you.", "start": 0.5, "end": 0.7},
        {"word": "We", "start": 1.0, "end": 1.2},
        {"word": "begin.", "start": 1.2, "end": 1.6},
    ]
    aligned = align_words(text, words)
    assert aligned[0] == (0, 5) and aligned[1] is None and aligned[3] == (11, 13)
    assert sentence_times(text, split_sentences(text), words) == [(0.0, 0.7), (1.0, 1.6)]
