"""Coaching points in a coach's voice, each pointing at sentences, most important first.

What is said and how strongly lives in the rubric (`[feedback.*]`: severity and wording); this
module decides which points apply and which sentence each one is about. Delivery feedback from the
delivery analyzer joins the same ranked list, its severities scaled by `feedback.delivery_weight`.
"""

from __future__ import annotations

from narrative_coach.analysis.features import SentenceFeatures
from narrative_coach.analysis.rubric import Rubric
from narrative_coach.analysis.scoring import NARRATIVE_PARTS, narrative_runs

QUOTE_WORDS = 12


def quote(text: str, limit: int = QUOTE_WORDS) -> str:
    words = text.split()
    q = " ".join(words[:limit])
    q = q.rstrip(".,;:!?\"'”’")
    return q + ("..." if len(words) > limit else "")


class _Builder:
    def __init__(self, sentences: list[str], rubric: Rubric) -> None:
        self.sentences = sentences
        self.rubric = rubric
        self.items: list[dict] = []

    def add(self, key: str, area: str, evidence: list[int], **fmt: object) -> None:
        severity, template = self.rubric.message(key)
        evidence = [i for i in evidence if 0 <= i < len(self.sentences)]
        first = evidence[0] if evidence else 0
        values = {"quote": quote(self.sentences[first]) if self.sentences else "", "n": first + 1}
        values.update(fmt)
        try:
            message = template.format(**values)
        except (KeyError, IndexError, ValueError):
            message = template  # a coach's template with an unknown {field}: show it as written
        self.items.append({"area": area, "severity": round(severity, 3), "message": message, "evidence": evidence, "kind": key})


def narrative_feedback(
    sentences: list[str],
    labels: list[str],
    feats: list[SentenceFeatures],
    stats: dict[str, dict],
    elements: dict[str, dict],
    qualities: dict,
    rubric: Rubric,
) -> list[dict]:
    if not sentences:
        return []
    b = _Builder(sentences, rubric)
    min_sent = int(rubric.get("parts", "min_sentences", default=2))
    idx = {p: [i for i, lab in enumerate(labels) if lab == p] for p in ("self", "us", "now", "other")}
    present = {p: len(idx[p]) >= min_sent for p in NARRATIVE_PARTS}
    ev = {k: v["evidence"] for k, v in elements.items()}
    el = {k: v["present"] for k, v in elements.items()}
    spec = qualities["specificity"]
    narrative_idx = sorted(idx["self"] + idx["us"] + idx["now"])
    # Where a missing story should go: the first story sentence, else the first sentence that is
    # not a greeting or thanks ("Before 'Good afternoon' ..." would be no help).
    content = [i for i in range(len(sentences)) if feats[i].values.get("greeting", 0) == 0] or [0]
    first_story = narrative_idx[0] if narrative_idx else content[0]

    if not any(present.values()):
        # An announcement or a report: one point about the missing narrative, not three.
        heart = max(content, key=lambda i: feats[i].n_words)
        b.add("no_story", "structure", [heart])
        vague = [i for i in range(len(sentences)) if feats[i].values.get("vague_ask", 0) > 0]
        if vague:
            b.add("vague_ask", "now", vague[:2])
        return b.items

    # Story of self.
    if not present["self"]:
        b.add("missing_self", "self", spec["resume_sentences"][:1] or idx["self"][:1] or [first_story])
        if spec["resume_sentences"]:
            b.add("resume_self", "self", spec["resume_sentences"])
    else:
        if spec["reads_as_resume"]:
            b.add("resume_self", "self", spec["resume_sentences"])
        if not el["self_challenge"]:
            b.add("self_no_challenge", "self", idx["self"][:1])
        elif not el["self_choice"]:
            b.add("self_no_choice", "self", ev["self_challenge"])
        elif not el["self_outcome"]:
            b.add("self_no_outcome", "self", ev["self_choice"])
        if spec["score"] < 0.5:
            vague = [i for i in idx["self"] if i not in spec["specific_sentences"]]
            b.add("self_not_specific", "self", vague[:2] or idx["self"][:1])

    # Story of us.
    if not present["us"]:
        turn = (idx["self"][-1] + 1) if idx["self"] else (idx["now"][0] if idx["now"] else first_story)
        turn = min(turn, len(sentences) - 1)
        b.add("missing_us", "us", [turn])
    elif not el["us_values"]:
        b.add("us_no_values", "us", idx["us"][:1])
    elif not qualities.get("us_shown"):
        named = [i for i in idx["us"] if feats[i].values.get("values", 0) > 0]
        b.add("us_values_named", "us", named[:2] or ev["us_values"])

    # Story of now.
    if not present["now"]:
        # Point at the end of the story told so far, not at a closing "Thank you".
        b.add("missing_now", "now", narrative_idx[-1:] or content[-1:])
        vague = [i for i in range(len(sentences)) if feats[i].values.get("vague_ask", 0) > 0]
        if vague:
            b.add("vague_ask", "now", vague[:2])
    else:
        if not el["now_action"]:
            vague = [i for i in idx["now"] if feats[i].values.get("vague_ask", 0) > 0]
            vague += [i for i in range(len(sentences)) if feats[i].values.get("vague_ask", 0) > 0 and i not in vague]
            if vague:
                b.add("vague_ask", "now", vague[:2])
            else:
                b.add("now_no_action", "now", (ev["now_urgency"] or idx["now"])[-1:])
        if not el["now_urgency"]:
            b.add("now_no_urgency", "now", idx["now"][:1])
        if not el["now_hope"]:
            fear = [p for p in qualities["emotions"] if p["toward"] == "hope"][0]["against_evidence"]
            if fear:
                b.add("fear_without_hope", "now", fear[:1])
            else:
                b.add("now_no_hope", "now", (ev["now_urgency"] or idx["now"])[:1])

    # Structure: proportions, links, focus.
    for p in NARRATIVE_PARTS:
        if not present[p]:
            continue
        lo, hi = rubric.get("parts", f"share_{p}")
        share = stats[p]["share_words"]
        fmt = {"part": p, "share": round(share * 100), "lo": round(lo * 100), "hi": round(hi * 100)}
        if share > hi:
            longest = max(idx[p], key=lambda i: len(sentences[i]))
            b.add("proportion_high", "structure", [longest], **fmt)
        elif share < lo:
            b.add("proportion_low", "structure", idx[p][:1], **fmt)
    if sum(present.values()) >= 2 and not qualities["links"]:
        anchor = spec["specific_sentences"][:1] or idx["self"][:1] or narrative_idx[:1]
        b.add("no_links", "structure", anchor)
    runs = narrative_runs(labels)
    max_runs = int(rubric.get("parts", "max_runs", default=6))
    if len(runs) > max_runs:
        starts = [i for i in range(1, len(labels)) if labels[i] != labels[i - 1] and labels[i] != "other"]
        b.add("scattered", "structure", starts[:3], runs=len(runs))
    return b.items


def merge_feedback(narrative: list[dict], delivery: list[dict], rubric: Rubric) -> list[dict]:
    """One ranked list: narrative and delivery together, most important first."""
    weight = float(rubric.get("feedback", "delivery_weight", default=0.6))
    merged = list(narrative)
    for item in delivery:
        try:
            sev = float(item.get("severity", 0.0)) * weight
        except (TypeError, ValueError):
            sev = 0.0
        merged.append(dict(item, severity=round(min(1.0, max(0.0, sev)), 3), evidence=list(item.get("evidence", []))))
    merged.sort(key=lambda it: -it["severity"])
    limit = int(rubric.get("feedback", "max_items", default=8))
    return merged[:limit]


def strengths(
    sentences: list[str], elements: dict[str, dict], qualities: dict, rubric: Rubric
) -> list[dict]:
    """What works, in the rubric's order: [{area, message, evidence}]."""
    table = rubric.get("strengths", default={}) or {}
    limit = int(table.get("max_items", 3))
    spec = qualities["specificity"]
    found: dict[str, tuple[str, list[int], dict]] = {}
    el = elements
    if all(el[k]["present"] for k in ("self_challenge", "self_choice", "self_outcome")):
        plot = el["self_challenge"]["evidence"][:1] + el["self_choice"]["evidence"][:1] + el["self_outcome"]["evidence"][:1]
        found["self_plot"] = ("self", plot, {})
    if spec["score"] >= 0.5 and spec["specific_sentences"]:
        found["self_specific"] = ("self", spec["specific_sentences"][:1], {})
    if el["now_action"]["present"]:
        found["now_action"] = ("now", el["now_action"]["evidence"][-1:], {})
    if qualities.get("us_shown") and el["us_values"]["present"]:
        found["us_shown"] = ("us", qualities["us_shown"][:1], {})
    if qualities["links"]:
        link = qualities["links"][0]
        found["links"] = ("structure", link["evidence"][:3], {"word": link["word"]})
    if el["now_urgency"]["present"]:
        found["now_urgency"] = ("now", el["now_urgency"]["evidence"][:1], {})
    out = []
    for key, template in table.items():
        if key not in found or not isinstance(template, str):
            continue
        area, evidence, extra = found[key]
        first = evidence[0] if evidence else 0
        values = {"quote": quote(sentences[first]) if sentences else "", "n": first + 1, **extra}
        try:
            message = template.format(**values)
        except (KeyError, IndexError, ValueError):
            message = template
        out.append({"area": area, "message": message, "evidence": evidence, "kind": key})
    return out[:limit]
