"""Delivery feedback in the coach's voice: what was heard, where (sentence and time), what to try.

Items follow the report contract `{area, severity, message, evidence}` and add `metric` (pace,
pauses, fillers, hedges, repetition, pitch, loudness, readability, time) and `at_s` (seconds into
the recording, or None). Severity is 0..1 on the delivery scale; the narrative analyzer ranks them
against story points with the rubric's `feedback.delivery_weight`.
"""

from __future__ import annotations

from .thresholds import Thresholds

_CAP = 1.0  # ranking against narrative points is the rubric's feedback.delivery_weight


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}:{s:02d}"


def _item(metric: str, severity: float, message: str, evidence: list | None = None, at_s: float | None = None) -> dict:
    ev = sorted({int(e) for e in (evidence or []) if e is not None})
    return {"area": "delivery", "metric": metric, "severity": round(min(_CAP, max(0.0, severity)), 3),
            "message": message, "evidence": ev, "at_s": None if at_s is None else round(at_s, 2)}


def _quote(sentences: dict[int, str], idx: int | None, limit: int = 60) -> str:
    text = sentences.get(idx, "") if idx is not None else ""
    text = " ".join(text.split())
    return f'"{text[:limit]}{"..." if len(text) > limit else ""}"' if text else ""


def build_feedback(d: dict, th: Thresholds, sentence_text: dict[int, str]) -> list[dict]:
    out: list[dict] = []
    pace = d.get("pace") or {}
    wpm = d.get("wpm")
    if wpm is not None:
        if wpm > th.wpm_max:
            excess = (wpm - th.wpm_max) / th.wpm_max
            out.append(_item("pace", 0.45 + 1.5 * excess,
                             f"You averaged {wpm:.0f} words a minute; listeners follow best between "
                             f"{th.wpm_min:.0f} and {th.wpm_max:.0f}. Slow down on the lines you most want "
                             f"remembered and let the full stops breathe."))
        elif wpm < th.wpm_min:
            short = (th.wpm_min - wpm) / th.wpm_min
            out.append(_item("pace", 0.4 + 1.5 * short,
                             f"You averaged {wpm:.0f} words a minute, under the {th.wpm_min:.0f}-{th.wpm_max:.0f} "
                             f"range that keeps a room with you. Pick up the pace in the stretches of "
                             f"background and save the slow delivery for the key lines."))
        # only the worst stretch, and only when it is clearly fast: one window at 168 is noise
        def rate(st: dict) -> float:
            return max(st["wpm"], st.get("sentence_wpm") or 0.0)

        worst = sorted(pace.get("fast_stretches") or [], key=lambda st: -rate(st))[:1]
        for st in worst:
            if wpm <= th.wpm_max and rate(st) >= th.wpm_max + 10:
                quote = _quote(sentence_text, (st["sentences"] or [None])[0])
                out.append(_item("pace", 0.35,
                                 f"From {_clock(st['start'])} to {_clock(st['end'])} you sped up to about "
                                 f"{rate(st):.0f} words a minute{', starting at ' + quote if quote else ''}. "
                                 f"Take a breath before this passage and give each sentence its full stop.",
                                 st["sentences"][:3], st["start"]))
    pauses = d.get("pauses") or {}
    for p in (pauses.get("long_inside_sentence") or [])[:3]:
        out.append(_item("pauses", 0.3 + 0.05 * min(p["duration"], 6),
                         f"At {_clock(p['start'])} you paused {p['duration']:.1f} s in the middle of a sentence "
                         f"(after \"{p['after_word']}\"). A pause there sounds like a lost thread; "
                         f"move it to the end of the sentence, where it lands as emphasis.",
                         [p["sentence"]], p["start"]))
    if pauses.get("available") and pauses.get("count", 0) == 0 and (d.get("speaking_time_s") or 0) > 30:
        out.append(_item("pauses", 0.35, "You never paused for more than a breath. A one-second silence after "
                         "your key line gives the room time to feel it."))
    fillers = d.get("fillers") or {}
    pm, p100 = fillers.get("per_minute"), fillers.get("per_100_words")
    too_many = (pm is not None and pm > th.fillers_per_minute_max) or (p100 or 0) > th.fillers_percent_max
    if too_many and fillers.get("count"):
        top = ", ".join(f"\"{t['word']}\" x{t['count']}" for t in (fillers.get("top") or [])[:3])
        rate = f"{pm:.1f} a minute" if pm is not None else f"{p100:.1f} per 100 words"
        aim = (f"{th.fillers_per_minute_max:g} a minute" if pm is not None
               else f"{th.fillers_percent_max:g} per 100 words")
        first = next((it for it in fillers.get("items", []) if it.get("sentence") is not None), None)
        out.append(_item("fillers", 0.35 + 0.05 * ((pm or p100 or 0) - th.fillers_per_minute_max),
                         f"Fillers came {rate} ({top or 'unworded hesitations'}); the aim is under {aim}. Where you reach for one, try a silent pause instead.",
                         [it["sentence"] for it in fillers.get("items", [])][:5],
                         first.get("start") if first else None))
    hedges = d.get("hedges") or {}
    hm, h100 = hedges.get("per_minute"), hedges.get("per_100_words")
    if hedges.get("count", 0) >= 2 and ((hm is not None and hm > th.hedges_per_minute_max)
                                        or (hm is None and (h100 or 0) > th.hedges_per_100_words_max)):
        items = hedges.get("items", [])
        top = ", ".join(f"\"{t['phrase']}\"" for t in (hedges.get("top") or [])[:3])
        out.append(_item("hedges", 0.4,
                         f"Hedges soften your case: {top}. {_quote(sentence_text, items[0]['sentence'])} "
                         f"Say it as a commitment, without the qualifier.".replace("  ", " "),
                         [it["sentence"] for it in items][:5], items[0].get("start")))
    rep = d.get("repetition") or {}
    if rep.get("repeated_phrases"):
        r = rep["repeated_phrases"][0]
        if r["count"] >= th.repeat_min_count + 1:
            out.append(_item("repetition", 0.25,
                             f"\"{r['phrase']}\" comes back {r['count']} times. Repetition works when it is a "
                             f"deliberate refrain at the start of lines; otherwise vary the wording.",
                             r["sentences"][:5]))
    for a in (rep.get("anaphora") or [])[:1]:
        out.append(_item("repetition", 0.05,
                         f"Your refrain \"{a['phrase']} ...\" ({a['count']} times) is a strong device; land each "
                         f"one with a pause so it builds.", a["sentences"][:5], a.get("start")))
    pitch = d.get("pitch") or {}
    if pitch.get("available") and pitch.get("semitone_sd") is not None:
        if pitch["semitone_sd"] < th.monotone_semitone_sd:
            out.append(_item("pitch", 0.45 + 0.1 * (th.monotone_semitone_sd - pitch["semitone_sd"]),
                             f"Your voice stayed within a narrow band (pitch spread {pitch['semitone_sd']:.1f} "
                             f"semitones; lively speech is above {th.monotone_semitone_sd:.0f}). Let your voice rise on "
                             f"the hope and drop on the hard facts.",
                             [s for m in pitch.get("monotone_stretches", [])[:2] for s in m.get("sentences", [])][:4]))
        else:
            for m in (pitch.get("monotone_stretches") or [])[:1]:
                out.append(_item("pitch", 0.3,
                                 f"From {_clock(m['start'])} to {_clock(m['end'])} your voice went flat (spread "
                                 f"{m['semitone_sd']:.1f} semitones). Vary the pitch there, as you do elsewhere.",
                                 m.get("sentences", [])[:3], m["start"]))
    loud = d.get("loudness") or {}
    if loud.get("available"):
        clip = loud.get("clipping") or {}
        if clip.get("fraction", 0) > th.clipping_max_fraction:
            out.append(_item("loudness", 0.5, f"The recording clips ({clip['fraction'] * 100:.2f} % of samples at full "
                             "scale), which distorts your voice. Move back from the microphone or lower the input gain."))
        if loud.get("mean_dbfs") is not None and loud["mean_dbfs"] < th.loudness_quiet_dbfs:
            out.append(_item("loudness", 0.35, f"The recording is quiet (average {loud['mean_dbfs']:.0f} dBFS). Speak "
                             "up or move closer to the microphone; a quiet take hides your energy."))
        if loud.get("sd_db") is not None and loud["sd_db"] < th.loudness_flat_db_sd:
            out.append(_item("loudness", 0.3, f"Your volume barely changed (spread {loud['sd_db']:.1f} dB; "
                             f"{th.loudness_flat_db_sd:.0f} dB or more sounds alive). Get louder for the call to "
                             "action and quieter for the personal moment."))
    read = d.get("readability") or {}
    if read.get("grade") is not None and read["grade"] > th.grade_max:
        longest = read.get("longest_sentences") or []
        out.append(_item("readability", 0.3 + 0.03 * (read["grade"] - th.grade_max),
                         f"The wording reads at grade {read['grade']:.0f}; a broad public follows best at grade "
                         f"{th.grade_max:.0f} or below. Split your longest sentence "
                         f"{_quote(sentence_text, longest[0]['sentence'] if longest else None)} into two.".replace(" .", "."),
                         [s["sentence"] for s in longest][:3]))
    elif read.get("longest_sentences"):
        top = read["longest_sentences"][0]
        if top["words"] > th.sentence_words_max:
            out.append(_item("readability", 0.25,
                             f"One sentence runs {top['words']} words {_quote(sentence_text, top['sentence'])}; "
                             f"said aloud, anything over {th.sentence_words_max:.0f} loses the listener. Break it up.",
                             [top["sentence"]]))
    return sorted(out, key=lambda i: -i["severity"])
