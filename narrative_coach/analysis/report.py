"""Assemble the report object of ARCHITECTURE.md ("narrative-coach/report@1").

The order of work: sentences with offsets and times -> features -> parts (classifier + sequence
decoding) -> elements -> qualities -> delivery (contract 4) -> scores -> one ranked feedback list.
"""

from __future__ import annotations

import numpy as np

from narrative_coach.analysis import lexicon as L
from narrative_coach.analysis.delivery import analyze_delivery
from narrative_coach.analysis.elements import ELEMENT_NAMES, detect_elements, element_scores, load_element_model
from narrative_coach.analysis.features import feature_matrix, tokenize
from narrative_coach.analysis.feedback import merge_feedback, narrative_feedback, strengths
from narrative_coach.analysis.parts import classify, load_model
from narrative_coach.analysis.qualities import emotions, links, order, specificity
from narrative_coach.analysis.rubric import Rubric
from narrative_coach.analysis.scoring import part_stats, score_all
from narrative_coach.analysis.sentences import sentence_times, split_sentences

SCHEMA = "narrative-coach/report@1"
MIN_ENGLISH_SHARE = 0.2
ENGLISH_ONLY = (
    "Narrative scoring is English-only: this text does not look like English, so no story parts or "
    "narrative scores were computed."
)


def looks_english(text: str, language: str | None = None) -> bool:
    if language and not language.lower().startswith("en"):
        return False
    toks = [t for t in tokenize(text[:20000]) if t.isalpha()]
    if len(toks) < 6:
        return True  # too short to judge; treat as English and let the scores speak
    common = sum(1 for t in toks if t in L.ENGLISH_COMMON)
    return common / len(toks) >= MIN_ENGLISH_SHARE


def build_report(
    text: str,
    *,
    words: list[dict] | None,
    audio: np.ndarray | None,
    sample_rate: int,
    transcript: dict | None,
    duration_s: float | None,
    rubric: Rubric,
    analyzer_version: str,
) -> dict:
    spans = split_sentences(text)
    sent_texts = [sp.text(text) for sp in spans]
    times = sentence_times(text, spans, words)
    language = (transcript or {}).get("language") if transcript else None
    english = looks_english(text, language)

    X, feats = feature_matrix(sent_texts)
    if english and sent_texts:
        parts = classify(X, feats)
        labels, conf, cues = parts.labels, parts.confidence, parts.cues
        model = load_model()
        el_model = load_element_model()
        scores_el = element_scores(X, labels, parts.posteriors, el_model, model.mean, model.scale)
        shift = float(rubric.get("elements", "threshold_shift", default=0.0))
        elements = detect_elements(scores_el, el_model, shift)
    else:
        labels = ["other"] * len(sent_texts)
        conf = [0.0 if not english else 1.0] * len(sent_texts)
        cues = [[] for _ in sent_texts]
        elements = {name: {"present": False, "evidence": [], "strength": 0.0} for name in ELEMENT_NAMES}

    sentences = [
        {
            "index": i,
            "text": sent_texts[i],
            "start_char": spans[i].start,
            "end_char": spans[i].end,
            "start_s": None if times[i][0] is None else round(times[i][0], 3),
            "end_s": None if times[i][1] is None else round(times[i][1], 3),
            "part": labels[i],
            "confidence": conf[i],
            "cues": cues[i],
        }
        for i in range(len(spans))
    ]

    n_words = [f.n_words for f in feats]
    stats = part_stats(labels, n_words, times)
    spec = specificity(
        labels,
        feats,
        int(rubric.get("qualities", "specific_details", default=1)),
        float(rubric.get("qualities", "resume_share", default=0.4)),
    )
    us_idx = [i for i, p in enumerate(labels) if p == "us"]
    us_shown = [i for i in us_idx if feats[i].values["history"] > 0 or feats[i].values["we_past"] > 0 or feats[i].values["time_past"] > 0]
    qualities = {
        "specificity": spec,
        "us_shown": us_shown,
        "emotions": emotions(feats),
        "links": links(labels, feats),
        "order": order(labels),
    }

    delivery_result = analyze_delivery(text, sentences, words, audio, sample_rate, rubric.delivery_overrides())
    delivery_score = float(delivery_result.score) if sent_texts else None

    scores = score_all(labels, stats, elements, qualities, rubric, delivery_score)
    if english:
        narrative_items = narrative_feedback(sent_texts, labels, feats, stats, elements, qualities, rubric)
    else:
        narrative_items = [{"area": "language", "severity": 1.0, "message": ENGLISH_ONLY, "evidence": [], "kind": "language"}]
        for k in ("overall", "self", "us", "now", "structure"):
            scores[k] = None
    if not sent_texts:
        narrative_items = [
            {
                "area": "text",
                "severity": 1.0,
                "message": "There are no words to analyse yet. Record, import or paste your speech, then analyse it again.",
                "evidence": [],
                "kind": "empty",
            }
        ]
    good = strengths(sent_texts, elements, qualities, rubric) if english and sent_texts else []
    feedback = merge_feedback(narrative_items, list(delivery_result.feedback) if sent_texts else [], rubric)

    parts_out = {
        p: {
            "share_words": stats[p]["share_words"],
            "seconds": stats[p]["seconds"],
            "sentence_count": stats[p]["sentence_count"],
            "words": stats[p]["words"],
            "score": scores[p],
        }
        for p in ("self", "us", "now")
    }
    other_idx = [i for i, p in enumerate(labels) if p == "other"]
    transcript_out = None
    if transcript is not None:
        transcript_out = {
            "language": transcript.get("language"),
            "model": transcript.get("model"),
            "words": transcript.get("words", words or []),
        }
    elif words is not None:
        transcript_out = {"language": None, "model": None, "words": words}

    return {
        "schema": SCHEMA,
        "analyzer_version": analyzer_version,
        "language_supported": english,
        "language_message": None if english else ENGLISH_ONLY,
        "text": text,
        "duration_s": None if duration_s is None else round(float(duration_s), 3),
        "word_count": sum(n_words),
        "transcript": transcript_out,
        "sentences": sentences,
        "parts": parts_out,
        "other": {"sentence_count": len(other_idx), "share_words": round(sum(n_words[i] for i in other_idx) / (sum(n_words) or 1), 3)},
        "elements": elements,
        "qualities": qualities,
        "delivery": delivery_result.delivery,
        "scores": scores,
        "feedback": feedback,
        "strengths": good,
        "rubric": rubric.get("meta", "name", default="custom"),
    }
