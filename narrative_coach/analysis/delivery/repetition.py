"""Repeated phrases, with deliberate anaphora ("We will ... We will ... We will") reported as a
rhetorical device rather than a fault, and stumbles ("the the") counted apart."""

from __future__ import annotations

from collections import defaultdict

from .thresholds import Thresholds
from .tokens import Token

STOPWORDS = frozenset("""
a an the and or but if of to in on at by for with from as is are was were be been being it its this
that these those i you he she we they me him her us them my your his our their so not no do does did
have has had will would can could shall should may might must there here then than too very just
what which who whom when where why how all any some into out up down over about also am i'm it's
""".split())


_LEAD_INS = frozenset({"and", "so", "but", "now", "then", "um", "uh", "er", "ah", "well", "yes", "oh"})


def _openings(tokens: list[Token]) -> list[tuple[int, int]]:
    """(token index, sentence) where a sentence or a clause after ; : or a dash opens.

    Lead-ins are skipped: "And we will ..." and "So, we will ..." open with "we will".
    """
    out = []
    for i, t in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        if prev is None or prev.sentence != t.sentence or set(prev.punct_after) & set(";:\u2014\u2013"):
            k = i
            while k + 1 < len(tokens) and tokens[k].norm in _LEAD_INS and tokens[k + 1].sentence == t.sentence:
                k += 1
            out.append((k, t.sentence))
    return out


def find_anaphora(tokens: list[Token], th: Thresholds) -> list[dict]:
    words = [t.norm for t in tokens]
    opens = _openings(tokens)
    devices = []
    used: set[int] = set()
    for n in (4, 3, 2, 1):
        groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i, _ in opens:
            gram = tuple(words[i:i + n])
            if len(gram) < n or any(tokens[i + m].sentence != tokens[i].sentence for m in range(n)):
                continue
            if n == 1 and gram[0] in STOPWORDS:
                continue  # "The ... The ..." is not a device; "Today ... Today ..." is
            groups[gram].append(i)
        for gram, starts in groups.items():
            fresh = [i for i in starts if i not in used]
            if len(fresh) < th.anaphora_min_count:
                continue
            # openings close together (within about 12 sentences of each other) form a run
            sentences = [tokens[i].sentence for i in fresh]
            if sentences[0] is not None and sentences[-1] is not None:
                span = sentences[-1] - sentences[0] + 1
                if span > 4 * len(fresh):
                    continue
            used.update(fresh)
            devices.append({"phrase": " ".join(gram), "count": len(fresh), "sentences": sorted(set(
                s for s in sentences if s is not None)), "start": tokens[fresh[0]].start})
    return sorted(devices, key=lambda d: (d["sentences"][:1] or [0])[0])


def _subgrams(gram: tuple[str, ...]) -> set[tuple[str, ...]]:
    return {gram[i:j] for i in range(len(gram)) for j in range(i + 1, len(gram) + 1)}


def find_repeats(tokens: list[Token], th: Thresholds, anaphora: list[dict]) -> list[dict]:
    words = [t.norm for t in tokens]
    sentence = [t.sentence for t in tokens]
    device_parts: set[tuple[str, ...]] = set()
    devices = [tuple(d["phrase"].split()) for d in anaphora]
    for d in devices:
        device_parts |= _subgrams(d)
    found: list[dict] = []
    inside_longer: dict[tuple[str, ...], int] = {}  # sub-phrase of a reported phrase -> its count
    for n in (4, 3, 2):
        grams: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i in range(len(words) - n + 1):
            if sentence[i] != sentence[i + n - 1]:
                continue
            grams[tuple(words[i:i + n])].append(i)
        for gram, starts in grams.items():
            if len(starts) < th.repeat_min_count or all(w in STOPWORDS for w in gram):
                continue
            if gram in device_parts or any(_contains(gram, d) for d in devices):
                continue
            if inside_longer.get(gram, 0) >= len(starts):
                continue  # already reported inside a longer phrase said as often
            for sub in _subgrams(gram):
                inside_longer[sub] = max(inside_longer.get(sub, 0), len(starts))
            found.append({"phrase": " ".join(gram), "count": len(starts),
                          "sentences": sorted({sentence[i] for i in starts if sentence[i] is not None}),
                          "starts": [tokens[i].start for i in starts][:20]})
    return sorted(found, key=lambda d: (-d["count"], -len(d["phrase"])))[:30]


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def find_stumbles(tokens: list[Token]) -> list[dict]:
    """A word said twice in a row with no break between: "the the", "we we"."""
    out = []
    for a, b in zip(tokens, tokens[1:]):
        if a.norm == b.norm and a.sentence == b.sentence and not a.break_after and a.norm.isalpha():
            out.append({"word": a.norm, "start": a.start, "sentence": a.sentence, "char": a.start_char})
    return out


def analyze_repetition(tokens: list[Token], th: Thresholds) -> dict:
    anaphora = find_anaphora(tokens, th)
    repeats = find_repeats(tokens, th, anaphora)
    stumbles = find_stumbles(tokens)
    return {
        "repeated_phrases": repeats,
        "anaphora": anaphora,
        "stumbles": stumbles,
        "repeat_min_count": th.repeat_min_count,
    }
