"""One token list for every text metric, whether the speech was spoken (words with times) or typed.

Whisper words carry a leading space and their punctuation ("  well,"); typed text has none of that
structure. Both become `Token`s: a normalised word, its span in the report text, its times when
known, the punctuation next to it and the index of the sentence it belongs to.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['\u2019.-][A-Za-z0-9]+)*")
_BREAK_PUNCT = set(",;:\u2014\u2013-()\"")
_END_PUNCT = set(".!?\u2026")


@dataclass(frozen=True)
class Token:
    norm: str  # lower case, letters/digits/apostrophes only ("don't")
    start_char: int | None  # span in the report text; None when the word could not be placed
    end_char: int | None
    start: float | None  # seconds; None for typed text
    end: float | None
    sentence: int | None  # index into the report's sentences
    punct_before: str  # punctuation immediately before the word ("" if none)
    punct_after: str  # punctuation immediately after the word

    @property
    def mid(self) -> float | None:
        return None if self.start is None or self.end is None else (self.start + self.end) / 2

    @property
    def break_after(self) -> bool:
        """A written break (comma, dash, full stop) right after the word."""
        return bool(set(self.punct_after) & (_BREAK_PUNCT | _END_PUNCT))

    @property
    def break_before(self) -> bool:
        return bool(set(self.punct_before) & (_BREAK_PUNCT | _END_PUNCT))


def normalise(word: str) -> str:
    """'  Well,' -> 'well'; curly apostrophes become straight ones."""
    w = word.strip().lower().replace("\u2019", "'")
    return re.sub(r"^[^a-z0-9']+|[^a-z0-9']+$", "", w).strip("'")


def _sentence_finder(sentences: list[dict]):
    starts = [int(s.get("start_char", 0) or 0) for s in sentences]
    indexes = [int(s.get("index", i)) for i, s in enumerate(sentences)]

    def find(char: int | None) -> int | None:
        if char is None or not sentences:
            return None
        pos = bisect.bisect_right(starts, char) - 1
        return indexes[max(pos, 0)]

    return find


def _punct_around(text: str, start: int, end: int) -> tuple[str, str]:
    before = text[max(0, start - 3):start].strip()
    after_match = re.match(r"[^\w\s]*", text[end:end + 3])
    after = after_match.group(0) if after_match else ""
    before = re.sub(r"[\w]", "", before)
    return before, after


def from_text(text: str, sentences: list[dict]) -> list[Token]:
    find = _sentence_finder(sentences)
    tokens = []
    for m in _WORD_RE.finditer(text):
        before, after = _punct_around(text, m.start(), m.end())
        tokens.append(Token(normalise(m.group(0)), m.start(), m.end(), None, None, find(m.start()), before, after))
    return tokens


def _clean_time(value) -> float | None:
    try:
        t = float(value)
    except (TypeError, ValueError):
        return None
    return t if math.isfinite(t) and t >= 0 else None


def from_words(text: str, sentences: list[dict], words: list[dict]) -> list[Token]:
    """Place each transcript word in `text` (searching forward) and so in its sentence.

    When a word cannot be found nearby (the text was edited, or normalised differently) the word
    keeps its times and takes the sentence whose time span holds it.
    """
    find = _sentence_finder(sentences)
    lowered = text.lower().replace("\u2019", "'")
    timed = [
        (i, _clean_time(s.get("start_s")), _clean_time(s.get("end_s")))
        for i, s in enumerate(sentences)
    ]
    cursor = 0
    tokens: list[Token] = []
    for w in words:
        raw = str(w.get("word", ""))
        norm = normalise(raw)
        if not norm:
            continue
        start, end = _clean_time(w.get("start")), _clean_time(w.get("end"))
        if start is not None and end is not None and end < start:
            start, end = end, start
        pos = lowered.find(norm, cursor, cursor + 200 + len(norm))
        if pos >= 0:
            s_char, e_char = pos, pos + len(norm)
            cursor = e_char
            before, after = _punct_around(text, s_char, e_char)
            sentence = find(s_char)
        else:
            s_char = e_char = None
            stripped = raw.strip()
            before = re.match(r"[^\w]*", stripped).group(0)
            after = re.search(r"[^\w]*$", stripped).group(0)
            sentence = None
            if start is not None:
                mid = (start + (end if end is not None else start)) / 2
                for idx, s0, s1 in timed:
                    if s0 is not None and s1 is not None and s0 <= mid <= s1:
                        sentence = int(sentences[idx].get("index", idx))
                        break
        tokens.append(Token(norm, s_char, e_char, start, end, sentence, before, after))
    return tokens
