"""Scores 0..100 per part, for structure and overall, from the points in the rubric."""

from __future__ import annotations

from narrative_coach.analysis.rubric import Rubric

NARRATIVE_PARTS = ("self", "us", "now")


def part_stats(labels: list[str], n_words: list[int], times: list[tuple[float | None, float | None]]) -> dict[str, dict]:
    total = sum(n_words) or 1
    out = {}
    for part in NARRATIVE_PARTS:
        idx = [i for i, p in enumerate(labels) if p == part]
        secs = [times[i][1] - times[i][0] for i in idx if times[i][0] is not None and times[i][1] is not None]
        timed = any(t[0] is not None for t in times)
        out[part] = {
            "share_words": round(sum(n_words[i] for i in idx) / total, 3),
            "seconds": round(sum(secs), 2) if timed else None,
            "sentence_count": len(idx),
            "words": sum(n_words[i] for i in idx),
        }
    return out


def narrative_runs(labels: list[str]) -> list[str]:
    """The order of the three stories, ignoring `other` sentences between them."""
    runs: list[str] = []
    for p in labels:
        if p in NARRATIVE_PARTS and (not runs or runs[-1] != p):
            runs.append(p)
    return runs


def score_all(
    labels: list[str],
    stats: dict[str, dict],
    elements: dict[str, dict],
    qualities: dict,
    rubric: Rubric,
    delivery_score: float | None,
) -> dict[str, float | None]:
    min_sent = int(rubric.get("parts", "min_sentences", default=2))
    present = {p: stats[p]["sentence_count"] >= min_sent for p in NARRATIVE_PARTS}
    el = {k: v["present"] for k, v in elements.items()}
    linked_parts = {p for link in qualities["links"] for p in link["parts"]}

    pts = rubric.points("self")
    spec = qualities["specificity"]["score"]
    s_self = (
        pts["present"] * present["self"]
        + sum(pts[k] * el[k] for k in ("self_challenge", "self_choice", "self_outcome"))
        + pts["specificity"] * spec * (stats["self"]["sentence_count"] > 0)
    )
    pts = rubric.points("us")
    s_us = (
        pts["present"] * present["us"]
        + pts["us_values"] * el["us_values"]
        + pts["shown"] * bool(qualities.get("us_shown"))
        + pts["linked"] * ("us" in linked_parts and stats["us"]["sentence_count"] > 0)
    )
    pts = rubric.points("now")
    s_now = pts["present"] * present["now"] + sum(pts[k] * el[k] for k in ("now_urgency", "now_hope", "now_action"))

    pts = rubric.points("structure")
    in_range = 0
    for p in NARRATIVE_PARTS:
        lo, hi = rubric.get("parts", f"share_{p}")
        in_range += present[p] and lo <= stats[p]["share_words"] <= hi
    runs = len(narrative_runs(labels))
    max_runs = int(rubric.get("parts", "max_runs", default=6))
    focus = 0.0 if runs == 0 else (1.0 if runs <= max_runs else max_runs / runs)
    s_structure = (
        pts["all_parts"] * sum(present.values()) / 3
        + pts["proportions"] * in_range / 3
        + pts["links"] * (len(linked_parts) >= 2)
        + pts["focus"] * focus
    )

    w = {k: float(v) for k, v in rubric.get("scores", "overall").items()}
    parts = {"self": s_self, "us": s_us, "now": s_now, "structure": s_structure}
    if delivery_score is not None:
        parts_w = dict(parts, delivery=float(delivery_score))
    else:
        parts_w = parts
    total_w = sum(w[k] for k in parts_w) or 1.0
    overall = sum(w[k] * v for k, v in parts_w.items()) / total_w

    def clamp(x: float) -> float:
        return round(max(0.0, min(100.0, x)), 1)

    return {
        "overall": clamp(overall),
        "self": clamp(s_self),
        "us": clamp(s_us),
        "now": clamp(s_now),
        "structure": clamp(s_structure),
        "delivery": clamp(delivery_score) if delivery_score is not None else None,
    }
