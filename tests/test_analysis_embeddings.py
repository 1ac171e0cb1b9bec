"""Word-choice features: the shipped word-piece score table, its features and its cues."""

from __future__ import annotations

import numpy as np

from narrative_coach.analysis import analyze
from narrative_coach.analysis.embeddings import (
    PARTS,
    WORD_FEATURES,
    load_word_scores,
    token_ids,
    top_words,
    vocabulary,
    word_features,
)
from narrative_coach.analysis.parts import MODEL_FEATURES, load_model


def test_the_table_matches_the_vocabulary_and_the_parts_model() -> None:
    table = load_word_scores()
    assert table.shape == (len(vocabulary()), len(WORD_FEATURES)) == (30522, 8)
    assert np.isfinite(table).all()
    assert list(load_model().classes) == list(PARTS)
    assert MODEL_FEATURES[-len(WORD_FEATURES) :] == WORD_FEATURES


def test_word_pieces_are_bert_uncased_pieces() -> None:
    ids = token_ids(["We REBUILT the levee in 1998.", ""])
    pieces = [vocabulary()[i] for i in ids[0]]
    assert pieces[:2] == ["we", "rebuilt"] and pieces[-1] == "."
    assert ids[1] == []


def test_features_are_sentence_means_and_the_relative_half_is_centred_on_the_speech() -> None:
    sents = ["My mother worked nights at the mill.", "We are a town that rebuilds.", "Vote on Tuesday."]
    ids = token_ids(sents)
    W = word_features(ids)
    table = load_word_scores()
    assert W.shape == (3, 8)
    assert np.allclose(W[1, :4], table[ids[1], :4].mean(axis=0))
    assert np.allclose(W[:, 4:].sum(axis=0), 0.0, atol=1e-9)
    # A sentence with no word pieces has no word-choice evidence (zeros before centring).
    assert np.allclose(word_features(token_ids(["..."]) + [[]])[1, :4], 0.0)


def test_the_words_that_pull_toward_a_part_are_whole_words_of_the_sentence() -> None:
    sent = "My grandmother remembered the winter the furnace quit."
    words = top_words(token_ids([sent])[0], "self", limit=5)
    assert words and all(w in sent.lower() for w in words)
    assert len(words) <= 5


def test_a_family_memory_leans_to_self_and_a_thank_you_to_other_on_word_choice_alone() -> None:
    ids = token_ids(["My mother and my dad remembered that summer.", "Thank you all, and thanks to the staff."])
    W = word_features(ids)[:, :4]  # absolute columns (the relative ones only compare within a speech)
    s, o = PARTS.index("self"), PARTS.index("other")
    assert W[0, s] - W[0, o] > W[1, s] - W[1, o] + 0.5


def test_cues_name_the_word_choice_after_the_named_features() -> None:
    r = analyze(
        "My grandmother raised six kids in a two-room apartment on Delancey Street. "
        "This neighborhood has always taken in people who arrived with nothing. "
        "On Thursday at 7 p.m. the council votes on the rent freeze, and I am asking you to be there."
    )
    cues = [c for s in r["sentences"] for c in s["cues"]]
    assert any(c.startswith("word choice: ") for c in cues)
    for s in r["sentences"]:
        wc = [i for i, c in enumerate(s["cues"]) if c.startswith("word choice")]
        assert wc in ([], [len(s["cues"]) - 1])
