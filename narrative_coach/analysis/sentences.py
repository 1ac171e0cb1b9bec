"""Sentence segmentation with character offsets, and sentence times from word timestamps.

Transcripts are messy: Whisper punctuates most of the time but not always, people speak in run-on
"and ... and ..." chains, and typed scripts carry abbreviations (Mr., Dr., St., U.S.), decimals and
quotations. The segmenter works on the raw text and never rewrites it, so every sentence is exactly
`text[start_char:end_char]` (stripped of surrounding whitespace), which the UI and the exports rely on.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# Abbreviations that are never the end of a sentence when followed by a capitalised name.
_TITLES = frozenset(
    "mr mrs ms dr prof rev hon gen sen rep gov lt sgt capt col cmdr supt det insp pres messrs fr sr jr st mt ft cpl ptl pvt maj adm atty ofc asst assoc".split()
)
# Abbreviations that may end a sentence ("... in the U.S. We ..."): a boundary only when the next
# word is a common sentence opener.
_OTHER_ABBREV = frozenset(
    "etc a.m p.m u.s u.k u.n d.c no nos vol fig approx dept est inc ltd co corp ave blvd rd jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_NEVER_END = frozenset("e.g i.e vs approx cf viz".split())
_OPENERS = frozenset(
    """i we you he she they it this that these those there here the a an and but so our my your their his her
    its when if now then today tonight what why how who one two three yes no let as in on at for after before
    because some many most every all please thank""".split()
)
_CLOSERS = "\"'”’)]»"
_TERMINAL = re.compile(r"[.!?…]+[\"'”’)\]»]*")
# Where a run-on chain may be cut: before these words (kept with the following sentence).
_JOINERS = re.compile(r"\s(?=(?:and|so|but|then|because|and then|and so)\b)", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9’'][A-Za-z0-9’'.-]*")

MAX_WORDS = 60  # above this a "sentence" is a run-on or unpunctuated transcript: cut it
TARGET_WORDS = 22


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def _prev_token(text: str, pos: int) -> str:
    """The token immediately before `pos` (the position of the terminal punctuation)."""
    i = pos
    while i > 0 and not text[i - 1].isspace() and text[i - 1] not in "\"'“‘(":
        i -= 1
    return text[i:pos]


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"\s*[\"'“‘(\[]*([^\s]*)", text[pos:])
    return m.group(1) if m else ""


def _is_boundary(text: str, punct_start: int, punct_end: int) -> bool:
    if punct_end < len(text) and not text[punct_end].isspace():
        return False  # "3.5", "U.S.-made", "e.g.," etc.
    mark = text[punct_start:punct_end]
    nxt = _next_word(text, punct_end)
    if not nxt:
        return True
    first = nxt.lstrip("\"'“‘([")[:1]
    if mark.startswith(("!", "?", "…")) or mark.startswith(".."):
        # '"Yes!" they said.' continues; a capital or anything else starts a new sentence.
        return not first.islower()
    prev = _prev_token(text, punct_start)
    bare = re.sub(r"[^a-z0-9.]", "", prev.lower().rstrip("."))
    opener = first.isupper() and re.sub(r"[^a-z’']", "", nxt.lower()) in _OPENERS
    if bare in _TITLES:
        # "Dr. King" is not a boundary; "on Main St. We rebuilt" is.
        return opener and bare in {"st", "sr", "jr", "co", "mt", "ft"}
    if bare in _NEVER_END:
        return False
    if bare in _OTHER_ABBREV or re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):
        return opener
    if len(bare) == 1 and bare.isalpha() and prev[:1].isupper():
        return opener  # an initial: "John F. Kennedy"
    if first.islower():
        # Lower-case continuation after a period is usually an abbreviation we do not know;
        # Whisper and typists both capitalise sentence starts.
        return False
    return True


def _raw_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in _TERMINAL.finditer(text):
        if _is_boundary(text, m.start(), m.end()):
            spans.append(Span(start, m.end()))
            start = m.end()
    spans.append(Span(start, len(text)))
    # Blank lines and line breaks after a heading-like line without punctuation are boundaries too.
    out: list[Span] = []
    for sp in spans:
        seg_start = sp.start
        for bm in re.finditer(r"\n[ \t]*\n+", text[sp.start : sp.end]):
            cut = sp.start + bm.start()
            out.append(Span(seg_start, cut))
            seg_start = sp.start + bm.end()
        out.append(Span(seg_start, sp.end))
    return out


def _strip(text: str, sp: Span) -> Span | None:
    s, e = sp.start, sp.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s >= e or not any(ch.isalnum() for ch in text[s:e]):
        return None
    return Span(s, e)


def _split_long(text: str, sp: Span) -> list[Span]:
    """Cut a run-on or unpunctuated stretch into readable pieces at joiners, else every ~22 words."""
    words = list(_WORD.finditer(text, sp.start, sp.end))
    if len(words) <= MAX_WORDS:
        return [sp]
    word_starts = [w.start() for w in words]
    cuts = [m.end() for m in _JOINERS.finditer(text, sp.start, sp.end)]
    cuts += [sp.start + m.end() for m in re.finditer(r"[,;:—–]\s", text[sp.start : sp.end])]
    cuts = sorted({c for c in cuts if sp.start < c < sp.end})
    pieces: list[Span] = []
    start = sp.start

    def count(a: int, b: int) -> int:
        return bisect.bisect_left(word_starts, b) - bisect.bisect_left(word_starts, a)

    while count(start, sp.end) > MAX_WORDS:
        best = None
        best_cost = None
        for c in cuts:
            if c <= start:
                continue
            n = count(start, c)
            if n < 8:
                continue
            if n > MAX_WORDS:
                break
            cost = abs(n - TARGET_WORDS)
            if best_cost is None or cost < best_cost:
                best, best_cost = c, cost
        if best is None:
            # No joiner in reach: cut before the word that ends a ~TARGET_WORDS chunk.
            i = bisect.bisect_left(word_starts, start) + TARGET_WORDS
            best = word_starts[min(i, len(word_starts) - 1)]
        pieces.append(Span(start, best))
        start = best
    pieces.append(Span(start, sp.end))
    return pieces


def split_sentences(text: str) -> list[Span]:
    """Sentences of `text` as spans; `text[span.start:span.end]` is the stripped sentence."""
    result: list[Span] = []
    for raw in _raw_spans(text):
        sp = _strip(text, raw)
        if sp is None:
            continue
        for piece in _split_long(text, sp):
            stripped = _strip(text, piece)
            if stripped is not None:
                result.append(stripped)
    return _merge_fragments(text, result)


def _merge_fragments(text: str, spans: list[Span]) -> list[Span]:
    """Glue a leading lone closer or one-character piece onto its neighbour (keeps offsets honest)."""
    out: list[Span] = []
    for sp in spans:
        if out and len(_WORD.findall(text[sp.start : sp.end])) == 0:
            out[-1] = Span(out[-1].start, sp.end)
        else:
            out.append(sp)
    return out


# ---------------------------------------------------------------- times from word timestamps

_NORM = re.compile(r"[^\w’']+")


def _norm(token: str) -> str:
    return _NORM.sub("", token.lower()).replace("’", "'")


def align_words(text: str, words: list[dict]) -> list[tuple[int, int] | None]:
    """Character span in `text` of each word dict ({word, start, end, ...}), or None if not found.

    The transcript text is (nearly) the concatenation of Whisper's words, so a forward search with a
    small window stays linear and survives the odd normalisation difference.
    """
    spans: list[tuple[int, int] | None] = []
    lower = text.lower()
    cursor = 0
    for w in words:
        token = str(w.get("word", "")).strip()
        key = token.lower()
        key = key.strip(".,!?;:\"'“”‘’()[]…-—")
        if not key:
            spans.append(None)
            continue
        pos = lower.find(key, cursor, cursor + 200 + len(key))
        if pos < 0:
            spans.append(None)
            continue
        spans.append((pos, pos + len(key)))
        cursor = pos + len(key)
    return spans


def sentence_times(
    text: str, spans: list[Span], words: list[dict] | None
) -> list[tuple[float | None, float | None]]:
    """(start_s, end_s) of each sentence from the words whose characters fall inside it."""
    if not words:
        return [(None, None)] * len(spans)
    aligned = align_words(text, words)
    times: list[tuple[float | None, float | None]] = []
    wi = 0
    n = len(words)
    for sp in spans:
        first: float | None = None
        last: float | None = None
        while wi < n:
            a = aligned[wi]
            if a is None:
                wi += 1
                continue
            if a[0] >= sp.end:
                break
            if a[1] > sp.start:
                try:
                    ws, we = float(words[wi]["start"]), float(words[wi]["end"])
                except (KeyError, TypeError, ValueError):
                    wi += 1
                    continue
                if first is None:
                    first = ws
                last = we
            wi += 1
        times.append((first, last))
    return times
