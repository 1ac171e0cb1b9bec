"""Hedges and weak words: the phrases that make a call to action sound unsure of itself."""

from __future__ import annotations

from .thresholds import Thresholds
from .tokens import Token

# Longest phrases first so "i think that" is one hedge, not "i think" plus a stray word.
HEDGES: tuple[tuple[str, ...], ...] = tuple(sorted((tuple(p.split()) for p in [
    "just", "kind of", "sort of", "kinda", "sorta", "i think", "i guess", "i suppose", "i feel like",
    "maybe", "perhaps", "hopefully", "probably", "possibly", "a little bit", "a bit", "somewhat",
    "i hope", "try to", "we'll try", "i'll try", "i believe", "more or less", "in a way", "i'm not sure",
    "i don't know", "pretty much", "fairly", "quite", "somehow", "might",
]), key=len, reverse=True))

# "just" is an adjective in "a just city"; "quite" in "not quite" is a negation, not a hedge.
_NOT_HEDGE_BEFORE = {("just",): {"a", "more", "the", "is", "be", "and", "most"}, ("quite",): {"not"}}


def find_hedges(tokens: list[Token]) -> list[tuple[int, int, str]]:
    words = [t.norm for t in tokens]
    out = []
    i = 0
    while i < len(words):
        for phrase in HEDGES:
            k = len(phrase)
            if tuple(words[i:i + k]) == phrase and all(
                tokens[i + m].sentence == tokens[i].sentence for m in range(k)
            ):
                prev = words[i - 1] if i > 0 else None
                if prev in _NOT_HEDGE_BEFORE.get(phrase, ()):
                    continue
                out.append((i, i + k, " ".join(phrase)))
                i += k - 1
                break
        i += 1
    return out


def analyze_hedges(tokens: list[Token], th: Thresholds, speaking_s: float | None) -> dict:
    found = find_hedges(tokens)
    counts: dict[str, int] = {}
    items = []
    for i, j, phrase in found:
        counts[phrase] = counts.get(phrase, 0) + 1
        item = {"phrase": phrase, "start": tokens[i].start, "end": tokens[j - 1].end,
                "sentence": tokens[i].sentence, "char": tokens[i].start_char}
        if tokens[i].start_char is not None and tokens[j - 1].end_char is not None:
            item["start_char"], item["end_char"] = tokens[i].start_char, tokens[j - 1].end_char
        items.append(item)
    minutes = speaking_s / 60.0 if speaking_s else None
    return {
        "count": len(items),
        "per_minute": round(len(items) / minutes, 2) if minutes else None,
        "per_100_words": round(100.0 * len(items) / len(tokens), 2) if tokens else 0.0,
        "per_minute_max": th.hedges_per_minute_max,
        "per_100_words_max": th.hedges_per_100_words_max,
        "top": sorted(({"phrase": k, "count": v} for k, v in counts.items()), key=lambda d: -d["count"]),
        "items": items,
    }
