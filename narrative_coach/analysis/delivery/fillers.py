"""Filler words: hesitation sounds (um, uh, er, ah) and discourse fillers (like, you know, I mean,
so, basically, actually) with context rules, plus acoustic candidates Whisper left out.

Context rules (DELIVERY.md): "like", "so", "you know", "I mean", "actually" are fillers only when
set off by a comma or a pause, and not in their grammatical uses: "I like it", "looks like rain",
"so that", "so much", "you know the way", "I mean it".
"""

from __future__ import annotations

from .thresholds import Thresholds
from .tokens import Token

HESITATIONS = {"um", "umm", "uh", "uhh", "er", "erm", "ah", "uhm", "hmm", "hm", "mm", "eh"}
ALWAYS = {"basically", "literally"}
# words that, right after "so", make it a conjunction or intensifier rather than a filler
_SO_GRAMMAR = {"that", "much", "many", "far", "long", "as", "to", "well", "few", "little", "too"}
# an object after "you know"/"I mean" makes them literal
_KNOW_OBJECT = {"that", "what", "how", "why", "who", "where", "when", "the", "a", "an", "this",
                "him", "her", "them", "it", "me", "us", "whether", "if", "about", "my", "your", "our"}
# a subject or auxiliary before "like" makes it the verb
_LIKE_VERB_BEFORE = {"i", "we", "you", "they", "would", "don't", "do", "does", "did", "didn't",
                     "doesn't", "to", "really", "people", "he", "she", "who", "i'd", "we'd", "you'd"}


def _set_off(tokens: list[Token], i: int, j: int, th: Thresholds) -> tuple[bool, bool]:
    """Is the phrase tokens[i:j] set off on the left / on the right (punctuation, pause, edge)?"""
    first, last = tokens[i], tokens[j - 1]
    prev = tokens[i - 1] if i > 0 else None
    nxt = tokens[j] if j < len(tokens) else None
    left = prev is None or prev.sentence != first.sentence or prev.break_after or first.break_before
    right = nxt is None or nxt.sentence != last.sentence or last.break_after
    if prev is not None and prev.end is not None and first.start is not None:
        left = left or first.start - prev.end >= th.filler_pause_s
    if nxt is not None and nxt.start is not None and last.end is not None:
        right = right or nxt.start - last.end >= th.filler_pause_s
    return left, right


def _ends_sentence(token: Token) -> bool:
    return bool(set(token.punct_after) & {".", "!", "?"})


def find_fillers(tokens: list[Token], th: Thresholds) -> list[tuple[int, int, str]]:
    """(first token, end token, filler phrase) for each filler."""
    out = []
    i = 0
    n = len(tokens)
    while i < n:
        w = tokens[i].norm
        nxt = tokens[i + 1].norm if i + 1 < n else None
        prev = tokens[i - 1].norm if i > 0 else None
        if w in HESITATIONS or w in ALWAYS:
            out.append((i, i + 1, w))
        elif w == "you" and nxt == "know":
            left, right = _set_off(tokens, i, i + 2, th)
            after = tokens[i + 2].norm if i + 2 < n else None
            if (left or right) and (right or after not in _KNOW_OBJECT):
                out.append((i, i + 2, "you know"))
                i += 2
                continue
        elif w == "i" and nxt == "mean":
            _, right = _set_off(tokens, i, i + 2, th)
            if right:
                out.append((i, i + 2, "i mean"))
                i += 2
                continue
        elif w == "like":
            left, right = _set_off(tokens, i, i + 1, th)
            # "like," is a filler; "I like, ..." and "cities, like Boston," are not
            if right and (left or prev not in _LIKE_VERB_BEFORE) and not _ends_sentence(tokens[i]):
                out.append((i, i + 1, "like"))
        elif w == "so":
            left, right = _set_off(tokens, i, i + 1, th)
            # "So, ..." is a filler; "so that", "so much" and the rhetorical "And so, ..." are not
            if right and nxt not in _SO_GRAMMAR and prev != "and" and not _ends_sentence(tokens[i]):
                out.append((i, i + 1, "so"))
        elif w == "actually":
            left, right = _set_off(tokens, i, i + 1, th)
            if left and right:
                out.append((i, i + 1, "actually"))
        i += 1
    return out


def analyze_fillers(tokens: list[Token], th: Thresholds, speaking_s: float | None,
                    acoustic: list[dict] | None = None) -> dict:
    found = find_fillers(tokens, th)
    items = []
    for i, j, phrase in found:
        a, b = tokens[i], tokens[j - 1]
        item = {"word": phrase, "start": a.start, "end": b.end, "sentence": a.sentence,
                "char": a.start_char, "source": "transcript"}
        if a.start_char is not None and b.end_char is not None:
            item["start_char"], item["end_char"] = a.start_char, b.end_char  # the span to mark in the text
        items.append(item)
    counts: dict[str, int] = {}
    for it in items:
        counts[it["word"]] = counts.get(it["word"], 0) + 1
    acoustic = acoustic or []
    # Acoustic candidates join the count only when the rubric says so: on clean speech the sound
    # evidence alone also fires on held vowels (see docs/delivery.md for the measured precision).
    counted_acoustic = acoustic if th.count_acoustic_fillers else []
    word_count = max(len(tokens), 1)
    minutes = speaking_s / 60.0 if speaking_s else None
    total = len(items) + len(counted_acoustic)
    return {
        "count": total,
        "transcript_count": len(items),
        "acoustic_count": len(counted_acoustic),
        "per_minute": round(total / minutes, 2) if minutes else None,
        "per_100_words": round(100.0 * total / word_count, 2) if tokens else 0.0,
        "per_minute_max": th.fillers_per_minute_max,
        "per_100_words_max": th.fillers_percent_max,
        "top": sorted(({"word": k, "count": v} for k, v in counts.items()), key=lambda d: -d["count"]),
        "items": sorted(items + counted_acoustic, key=lambda d: (d["start"] is None, d["start"] or 0, d["char"] or 0)),
        "acoustic_candidates": acoustic[:200],
    }
