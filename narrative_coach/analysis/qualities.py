"""Qualities a coach listens for beyond the labels: specificity, paired emotions, links, order.

- Specificity of the story of self: a particular time, place, person, image or sound, rather than a
  resume (Ganz; StorySeeker's "specific, connected events involving people").
- Ganz's emotion pairs: urgency against inertia, hope against fear, solidarity against isolation,
  "you can make a difference" against self-doubt, anger against apathy.
- Links: a content word or image that recurs across the parts makes one narrative of three stories.
- Order and proportions: the runs of parts in speaking order.
"""

from __future__ import annotations

from collections import defaultdict

from narrative_coach.analysis import lexicon as L
from narrative_coach.analysis.features import SentenceFeatures

_DETAIL_KEYS = ("time_past", "date", "proper", "sensory", "family", "number")


def specificity(labels: list[str], feats: list[SentenceFeatures], min_details: int = 1, resume_share: float = 0.4) -> dict:
    idx = [i for i, p in enumerate(labels) if p == "self"]
    specific, resume = [], []
    details: dict[str, list[str]] = defaultdict(list)
    for i in idx:
        f = feats[i]
        n = 0
        for k in _DETAIL_KEYS:
            if f.values.get(k, 0) > 0:
                n += 1
                details[k].extend(f.evidence.get(k, [])[:2])
        is_resume = f.values.get("resume", 0) > 0
        if is_resume:
            resume.append(i)
        elif n >= min_details:  # "for twelve years" in a resume is a number, not a moment
            specific.append(i)
    share = len(specific) / len(idx) if idx else 0.0
    return {
        "score": round(share, 3),
        "specific_sentences": specific,
        "resume_sentences": resume,
        "reads_as_resume": bool(idx) and len(resume) / len(idx) >= resume_share,
        "details": {k: list(dict.fromkeys(v))[:5] for k, v in details.items()},
    }


_PAIRS = (
    ("urgency", "inertia", lambda f, t, p: f.values["urgency"] > 0 or f.values["time_now"] > 0 and f.values["obligation"] > 0,
     lambda f, t, p: bool(set(t) & L.INERTIA) or any(f" {x} " in p for x in L.INERTIA_PHRASES)),
    ("hope", "fear", lambda f, t, p: f.values["hope"] > 0,
     lambda f, t, p: bool(set(t) & {"fear", "afraid", "scared", "terrified", "frightened", "worry", "worried", "anxious"})),
    ("solidarity", "isolation", lambda f, t, p: bool(set(t) & L.SOLIDARITY) and f.values["fp_pl"] > 0,
     lambda f, t, p: bool(set(t) & L.ISOLATION)),
    ("you can make a difference", "self-doubt", lambda f, t, p: any(f" {x} " in p for x in L.EFFICACY_PHRASES),
     lambda f, t, p: bool(set(t) & L.SELF_DOUBT) and f.values["fp_pl"] + f.values["second"] > 0),
    ("anger", "apathy", lambda f, t, p: bool(set(t) & L.ANGER), lambda f, t, p: bool(set(t) & L.APATHY)),
)


def emotions(feats: list[SentenceFeatures]) -> list[dict]:
    out = []
    for toward, against, is_toward, is_against in _PAIRS:
        tw, ag = [], []
        for i, f in enumerate(feats):
            padded = " " + " ".join(f.tokens) + " "
            if is_toward(f, f.tokens, padded):
                tw.append(i)
            if is_against(f, f.tokens, padded):
                ag.append(i)
        out.append({"toward": toward, "against": against, "toward_evidence": tw[:6], "against_evidence": ag[:6]})
    return out


def _stem(tok: str) -> str:
    for suf in ("ing", "ers", "er", "es", "s", "ed"):
        if len(tok) > len(suf) + 3 and tok.endswith(suf):
            return tok[: -len(suf)]
    return tok


def links(labels: list[str], feats: list[SentenceFeatures], limit: int = 6) -> list[dict]:
    """Content words that recur in at least two different parts (self, us, now)."""
    where: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    surface: dict[str, str] = {}
    for i, (p, f) in enumerate(zip(labels, feats)):
        if p == "other":
            continue
        for t in f.tokens:
            if len(t) < 4 or t in L.STOP or t.isdigit() or t in L.FIRST_PLURAL or t in L.COMMUNITY - {"street", "block"}:
                continue
            s = _stem(t)
            surface.setdefault(s, t)
            if i not in where[s][p]:
                where[s][p].append(i)
    found = []
    for s, parts in where.items():
        if len(parts) >= 2:
            total = sum(len(v) for v in parts.values())
            found.append((len(parts), total, s, parts))
    found.sort(key=lambda x: (-x[0], -x[1], x[2]))
    return [
        {"word": surface[s], "parts": sorted(parts), "evidence": sorted({i for v in parts.values() for i in v})[:6]}
        for _, _, s, parts in found[:limit]
    ]


def order(labels: list[str]) -> list[dict]:
    runs: list[dict] = []
    for i, p in enumerate(labels):
        if runs and runs[-1]["part"] == p:
            runs[-1]["last"] = i
            runs[-1]["sentences"] += 1
        else:
            runs.append({"part": p, "first": i, "last": i, "sentences": 1})
    return runs
