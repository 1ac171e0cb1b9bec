"""Explainable features of a sentence, and of its neighbours, for the parts classifier.

Every feature is a linguistic category a coach would name ("first person singular", "past tense",
"a date or deadline", "an ask") so that the cues shown to the user are the features that decided
the label. Features are counts squashed with log1p, flags, a few interactions a linear model
cannot form by itself (first person singular AND past tense is the signature of a story of self),
the sentence's position in the speech, and each feature relative to the speech's average. The
neighbours are left to the sequence decoder in `parts.py` (adding their features here as well
counted the same evidence twice and lost 5 points of macro-F1 in cross-validation).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from narrative_coach.analysis import lexicon as L

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[$%]")
_YEAR = re.compile(r"\b(?:in|of|since|by)\s+(1[89]\d\d|20[0-4]\d)\b")
_BARE_YEAR = re.compile(r"\b(1[89]\d\d|20[0-4]\d)\b")
_ORDINAL_DATE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b")
_CLOCK = re.compile(r"\b\d{1,2}(?::\d\d)?\s*(?:a\.?m\.?|p\.?m\.?|o'clock)|\bnoon\b|\bmidnight\b")
_PROPER = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
_IDENTITY = re.compile(
    r"\b(?:is|are|am|been|was|were|be)\s+(?:not\s+|never\s+|always\s+|still\s+)?(?:a|the)\s+(?:\w+\s+)?"
    r"(?:city|town|village|neighborhood|neighbourhood|community|people|nation|country|county|place|state|family)"
    r"\s+(?:that|who|which|where)\b"
)
_OLD_YEAR = re.compile(r"\b(1[6-9]\d\d|200\d)\b")
_ED = re.compile(r"^[a-z]{3,}ed$")

# Labels the user sees in a sentence's cues.
LABELS: dict[str, str] = {
    "fp_sg": "first person singular",
    "fp_pl": "first person plural",
    "second": "speaks to 'you'",
    "third": "third person",
    "past": "past tense",
    "present": "present tense",
    "future": "future ('will')",
    "obligation": "must / need to",
    "ability": "can / could",
    "time_now": "time is now",
    "time_past": "a moment in the past",
    "history": "shared history",
    "identity": "who we are",
    "old_year": "a year long past",
    "problem": "a present problem",
    "date": "a date, day or time",
    "urgency": "urgency",
    "hope": "hope or vision",
    "ask": "an ask",
    "imperative": "an imperative",
    "vague_ask": "a vague ask",
    "community": "community words",
    "values": "value words",
    "hardship": "hardship",
    "choice": "a choice",
    "lesson": "a lesson or outcome",
    "sensory": "sensory detail",
    "resume": "resume talk",
    "greeting": "greeting or thanks",
    "logistics": "meeting logistics",
    "policy": "policy or budget detail",
    "number": "numbers",
    "family": "family",
    "childhood": "childhood",
    "emotion_neg": "hard emotion",
    "emotion_pos": "warm emotion",
    "proper": "names of people or places",
    "question": "a question",
    "exclaim": "an exclamation",
    "fp_sg_start": "opens with 'I'",
    "fp_pl_start": "opens with 'we'",
    "i_past": "'I' in the past",
    "we_past": "'we' in the past",
    "we_future": "'we' must or will",
    "you_future": "'you' must or will",
    "i_ask": "'I' asking",
    "we_present": "'we' are",
    "i_present": "'I' now",
    "family_past": "family memory",
}

BASE = list(LABELS)
SHAPE = ["length", "pos", "pos2", "is_first", "is_last"]
# Each feature again, relative to the speech's own average: "more past tense than the rest of
# this speech" separates a story from its surroundings better than an absolute count.
RELATIVE = [f"rel_{k}" for k in BASE]
FEATURE_NAMES: list[str] = BASE + SHAPE + RELATIVE


@dataclass
class SentenceFeatures:
    values: dict[str, float]
    evidence: dict[str, list[str]] = field(default_factory=dict)
    n_words: int = 0
    tokens: list[str] = field(default_factory=list)
    text: str = ""


def tokenize(sentence: str) -> list[str]:
    return _TOKEN.findall(sentence.lower().replace("’", "'").replace("‘", "'"))


def _hits(tokens: list[str], words: frozenset[str]) -> list[str]:
    return [t for t in tokens if t in words]


_PADDED: dict[int, tuple[tuple[str, str], ...]] = {}


def _phrases(padded: str, phrases: tuple[str, ...]) -> list[str]:
    """Phrases found as whole words in the padded, tokenised sentence (each counted once)."""
    # Keyed by id: the phrase tuples are module constants, and hashing a long tuple per call costs.
    table = _PADDED.get(id(phrases))
    if table is None:
        table = _PADDED[id(phrases)] = tuple((p, f" {p} ") for p in phrases)
    return [p for p, pp in table if pp in padded]


_PAST_WORDS = L.PAST_AUX | L.IRREGULAR_PAST
_URGENCY_WORDS = L.URGENCY - {"every", "now", "today", "tonight"}
_ASK_WORDS = frozenset({"ask", "asking", "urge"})
_GOING_TO = ("going to",)
_HAVE_TO = ("have to", "has to", "need to")


def sentence_features(sentence: str) -> SentenceFeatures:
    toks = tokenize(sentence)
    low = sentence.lower().replace("’", "'")
    padded = " " + " ".join(toks) + " "
    ev: dict[str, list[str]] = {}

    def put(name: str, found: list[str]) -> float:
        if found:
            ev[name] = list(dict.fromkeys(found))[:4]
        return math.log1p(len(found))

    v: dict[str, float] = {}
    v["fp_sg"] = put("fp_sg", _hits(toks, L.FIRST_SINGULAR))
    v["fp_pl"] = put("fp_pl", _hits(toks, L.FIRST_PLURAL))
    v["second"] = put("second", _hits(toks, L.SECOND))
    v["third"] = put("third", _hits(toks, L.THIRD))
    past = _hits(toks, _PAST_WORDS) + [
        t for t in toks if _ED.match(t) and t not in L.ED_EXCEPTIONS
    ]
    v["past"] = put("past", past)
    v["present"] = put("present", _hits(toks, L.PRESENT_AUX))
    fut = _hits(toks, L.FUTURE_MODAL) + [t for t in toks if t.endswith("'ll")] + _phrases(padded, _GOING_TO)
    v["future"] = put("future", fut)
    v["obligation"] = put("obligation", _hits(toks, L.OBLIGATION) + _phrases(padded, _HAVE_TO))
    v["ability"] = put("ability", _hits(toks, L.ABILITY))
    v["time_now"] = put("time_now", _hits(toks, L.TIME_NOW) + _phrases(padded, L.TIME_NOW_PHRASES))
    years = [m.group(1) for m in _YEAR.finditer(low)]
    v["time_past"] = put("time_past", _phrases(padded, L.TIME_PAST_PHRASES) + years)
    v["history"] = put("history", _hits(toks, L.HISTORY) + _phrases(padded, L.HISTORY_PHRASES))
    v["identity"] = put("identity", [m.group(0) for m in _IDENTITY.finditer(low)])
    v["old_year"] = put("old_year", _OLD_YEAR.findall(low))
    v["problem"] = put("problem", _hits(toks, L.PROBLEM) + _phrases(padded, L.PROBLEM_PHRASES))
    dates = _hits(toks, L.WEEKDAYS) + [t for t in toks if t in L.MONTHS and t != "may"]
    dates += _ORDINAL_DATE.findall(low) + _CLOCK.findall(low)
    dates += [m.group(1) for m in _BARE_YEAR.finditer(low) if m.group(1) >= "2020"]
    v["date"] = put("date", dates)
    v["urgency"] = put("urgency", _hits(toks, _URGENCY_WORDS) + _phrases(padded, L.URGENCY_PHRASES))
    v["hope"] = put("hope", _hits(toks, L.HOPE) + _phrases(padded, L.HOPE_PHRASES))
    v["ask"] = put("ask", _phrases(padded, L.ASK_PHRASES) + _hits(toks, _ASK_WORDS))
    first = toks[0] if toks else ""
    if first in {"so", "and", "now", "please", "today", "tonight", "friends", "neighbors"} and len(toks) > 1:
        first = toks[1]
    v["imperative"] = put("imperative", [first] if first in L.IMPERATIVE_STARTERS else [])
    v["vague_ask"] = put("vague_ask", _phrases(padded, L.VAGUE_ASK))
    v["community"] = put("community", _hits(toks, L.COMMUNITY))
    v["values"] = put("values", _hits(toks, L.VALUES))
    v["hardship"] = put("hardship", _hits(toks, L.HARDSHIP))
    v["choice"] = put("choice", _hits(toks, L.CHOICE) + _phrases(padded, L.CHOICE_PHRASES))
    v["lesson"] = put("lesson", _hits(toks, L.LESSON) + _phrases(padded, L.LESSON_PHRASES))
    v["sensory"] = put("sensory", _hits(toks, L.SENSORY))
    # One word like "board" or "experience" is not a resume; a phrase or two such words are.
    resume = _hits(toks, L.RESUME) + _phrases(padded, L.RESUME_PHRASES)
    v["resume"] = put("resume", resume if len(resume) >= 2 else [])
    v["greeting"] = put("greeting", _hits(toks, L.GREETING) + _phrases(padded, L.GREETING_PHRASES))
    v["logistics"] = put("logistics", _hits(toks, L.LOGISTICS))
    v["policy"] = put("policy", _hits(toks, L.POLICY))
    nums = [t for t in toks if t.isdigit() or t in {"$", "%"}] + _hits(toks, L.NUMBER_WORDS)
    v["number"] = put("number", nums)
    v["family"] = put("family", _hits(toks, L.FAMILY))
    v["childhood"] = put("childhood", _hits(toks, L.CHILDHOOD))
    v["emotion_neg"] = put("emotion_neg", _hits(toks, L.EMOTION_NEG))
    v["emotion_pos"] = put("emotion_pos", _hits(toks, L.EMOTION_POS))
    # All-capitals text has no proper-noun signal; do not let it fire on every word.
    proper = [] if sentence.isupper() else _PROPER.findall(sentence)
    v["proper"] = put("proper", proper)
    v["question"] = 1.0 if sentence.rstrip("\"'”’) ").endswith("?") else 0.0
    v["exclaim"] = 1.0 if "!" in sentence else 0.0
    v["fp_sg_start"] = 1.0 if first in L.FIRST_SINGULAR or (toks[:1] and toks[0] in L.FIRST_SINGULAR) else 0.0
    v["fp_pl_start"] = 1.0 if first in L.FIRST_PLURAL or (toks[:1] and toks[0] in L.FIRST_PLURAL) else 0.0

    def both(a: str, b: str) -> float:
        return math.sqrt(v[a] * v[b])

    v["i_past"] = both("fp_sg", "past")
    v["we_past"] = both("fp_pl", "past")
    v["we_future"] = math.sqrt(v["fp_pl"] * max(v["future"], v["obligation"]))
    v["you_future"] = math.sqrt(v["second"] * max(v["future"], v["obligation"], v["ask"]))
    v["i_ask"] = both("fp_sg", "ask")
    v["we_present"] = both("fp_pl", "present")
    v["i_present"] = math.sqrt(v["fp_sg"] * max(v["present"], v["future"]))
    v["family_past"] = both("family", "past")
    return SentenceFeatures(values=v, evidence=ev, n_words=len(toks), tokens=toks, text=sentence)


def feature_matrix(sentences: list[str]) -> tuple[np.ndarray, list[SentenceFeatures]]:
    """Rows of FEATURE_NAMES for a speech's sentences (context needs the whole speech)."""
    feats = [sentence_features(s) for s in sentences]
    n = len(feats)
    X = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float64)
    if n == 0:
        return X, feats
    nb = len(BASE)
    for i, f in enumerate(feats):
        X[i, :nb] = [f.values[k] for k in BASE]
        pos = i / (n - 1) if n > 1 else 0.5
        X[i, nb : nb + len(SHAPE)] = [
            math.log1p(f.n_words) / 4.0,
            pos,
            pos * pos,
            1.0 if i == 0 else 0.0,
            1.0 if i == n - 1 else 0.0,
        ]
    start = nb + len(SHAPE)
    X[:, start : start + nb] = X[:, :nb] - X[:, :nb].mean(axis=0)
    return X, feats
