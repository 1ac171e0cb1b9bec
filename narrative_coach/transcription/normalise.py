"""The text normaliser used to score transcripts against references (word error rate).

Rules, applied identically to both sides:
1. lower case; curly quotes become straight ones;
2. "3:2" -> "3 2"; digits with thousands separators lose them ("1,000" -> "1000");
3. whole numbers become words ("1455" -> "one thousand four hundred fifty five", "25" -> "twenty five"),
   so a reference written with digits and a transcript written with words (or the reverse) agree;
4. hyphens and slashes split words ("lower-case" -> "lower case");
5. every other character that is not a letter, a digit, an apostrophe inside a word or a space is
   removed ("i.e." -> "ie", "don't" stays "don't");
6. runs of spaces collapse.
It does not map spelling variants (British "colour" vs American "color") or expand abbreviations.
"""

from __future__ import annotations

import re

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred"))


def number_to_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + ("" if ones == 0 else " " + _ONES[ones])
    for value, name in _SCALES:
        if n >= value:
            high, rest = divmod(n, value)
            words = number_to_words(high) + " " + name
            return words if rest == 0 else words + " " + number_to_words(rest)
    raise AssertionError("unreachable")


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"[-/:\u2013\u2014]", " ", text)
    text = re.sub(r"\d+", lambda m: " " + number_to_words(int(m.group())) + " " if len(m.group()) <= 12 else m.group(), text)
    text = re.sub(r"[^\w\s']", "", text)
    text = re.sub(r"(?<!\w)'|'(?!\w)", " ", text)
    text = text.replace("_", " ")
    return " ".join(text.split())
