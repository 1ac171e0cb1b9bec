"""Readability of the words as spoken: Flesch reading ease, Flesch-Kincaid grade, sentence length.

textstat 0.7.13 looks English syllables up in NLTK's cmudict and downloads it on first use, which
this app must never do (no network at run time). So the two Flesch formulas are computed here, with
syllables counted the way textstat falls back to for words cmudict lacks (pyphen hyphenation, a
textstat dependency), kept honest by a vowel-group count: the larger of the two.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .thresholds import Thresholds

_VOWELS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=1)
def _pyphen():
    try:
        import pyphen

        return pyphen.Pyphen(lang="en_US")
    except Exception:  # pyphen missing or without its dictionary: fall back to vowel groups
        return None


@lru_cache(maxsize=20000)
def syllables(word: str) -> int:
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 1 if any(ch.isdigit() for ch in word) else 0
    groups = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1  # silent final e: "fire", "hope"
    silent_ed = w.endswith("ed") and not w.endswith(("ted", "ded", "eed")) and groups > 1
    if silent_ed:
        groups -= 1  # "walked", "jumped"; but "wanted", "needed" keep theirs
    if w.endswith(("ea", "ia", "ism", "thm")) and len(w) > 3:
        groups += 1  # "idea", "media", "rhythm": two sounds the vowel groups merge or miss
    hyph = _pyphen()
    by_hyphens = len(hyph.positions(w)) + 1 if hyph is not None else 0
    if silent_ed:
        by_hyphens = min(by_hyphens, groups)  # pyphen splits "walk-ed" for print, not for speech
    return max(1, groups, by_hyphens)


_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019-][A-Za-z0-9]+)*")


def analyze_readability(text: str, sentences: list[dict], th: Thresholds) -> dict:
    spans = [(int(s.get("index", i)), str(s.get("text", ""))) for i, s in enumerate(sentences)]
    if not spans:
        spans = [(0, text)] if text.strip() else []
    lengths = [(idx, len(_WORD.findall(t))) for idx, t in spans]
    lengths = [(idx, n) for idx, n in lengths if n > 0]
    words = _WORD.findall(text)
    result = {
        "flesch_reading_ease": None,
        "grade": None,
        "grade_max": th.grade_max,
        "avg_sentence_words": None,
        "sentence_words_max": th.sentence_words_max,
        "word_count": len(words),
        "sentence_count": len(lengths),
        "longest_sentences": [],
    }
    if not words or not lengths:
        return result
    n_words = len(words)
    n_sent = len(lengths)
    n_syll = sum(syllables(w) for w in words)
    wps = n_words / n_sent
    spw = n_syll / n_words
    result["flesch_reading_ease"] = round(206.835 - 1.015 * wps - 84.6 * spw, 1)
    result["grade"] = round(max(0.0, 0.39 * wps + 11.8 * spw - 15.59), 1)
    result["avg_sentence_words"] = round(wps, 1)
    longest = sorted(lengths, key=lambda p: -p[1])[:3]
    result["longest_sentences"] = [{"sentence": idx, "words": n} for idx, n in longest]
    return result
