"""Delivery thresholds: every figure the coach compares against, with its documented default.

Defaults and their sources are in shared/design/DELIVERY.md and docs/delivery.md. A rubric overrides
any of them with a `{"delivery": {key: value}}` dict (unknown keys are rejected so a typo in a rubric
file does not silently fall back to the default).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from narrative_coach.errors import UserError


@dataclass(frozen=True)
class Thresholds:
    # pace: Microsoft Speaker Coach "easy to follow" band
    wpm_min: float = 100.0
    wpm_max: float = 165.0
    wpm_window_s: float = 25.0  # rolling timeline window (DELIVERY.md: 20-30 s)
    wpm_step_s: float = 5.0
    # reading time estimate for typed text (words per minute a speaker is assumed to use)
    typed_wpm: float = 140.0
    # pauses: Campione & Veronis 2002 classes
    pause_min_s: float = 0.15  # shorter silences are stop closures inside words, not pauses
    pause_brief_max_s: float = 0.2
    pause_medium_max_s: float = 1.0
    pause_flag_inside_s: float = 2.0  # a pause this long inside a sentence is flagged
    # fillers: Schachter et al. 1991, Read.ai
    fillers_per_minute_max: float = 3.0
    fillers_percent_max: float = 4.0
    filler_pause_s: float = 0.25  # "like"/"so"/"you know" count when set off by a pause this long
    acoustic_filler_min_s: float = 0.08
    acoustic_filler_max_s: float = 1.2
    acoustic_filler_max_semitone_sd: float = 1.5  # "steady pitch"
    count_acoustic_fillers: int = 0  # 1: add acoustic candidates to the filler count
    # hedges and weak words, counted per minute (or per 100 words for typed text)
    hedges_per_minute_max: float = 2.0
    hedges_per_100_words_max: float = 1.5
    # repetition
    repeat_min_count: int = 3  # a 2-4 word phrase said this often is "repeated"
    anaphora_min_count: int = 3  # sentence/clause openings repeated this often are anaphora
    # pitch
    pitch_min_hz: float = 60.0
    pitch_max_hz: float = 400.0
    pitch_window_s: float = 8.0  # DELIVERY.md: SD over 5-10 s voiced windows
    monotone_semitone_sd: float = 2.0
    # loudness
    loudness_flat_db_sd: float = 3.0
    loudness_quiet_dbfs: float = -30.0
    clipping_max_fraction: float = 0.001  # 0.1 % of samples at full scale is audible distortion
    # readability
    grade_max: float = 8.0
    sentence_words_max: float = 25.0  # a spoken sentence longer than this is hard to follow
    # analysis budget: pitch frames analysed at most (longer audio is strided)
    max_pitch_frames: int = 60000

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULTS = Thresholds()


def resolve(rubric: dict | None) -> Thresholds:
    """Thresholds from a rubric dict: either `{"delivery": {...}}` or the inner dict itself."""
    if not rubric:
        return DEFAULTS
    overrides = rubric.get("delivery", rubric) if isinstance(rubric, dict) else None
    if not isinstance(overrides, dict):
        raise UserError(
            "The rubric's 'delivery' section is not a table of settings.",
            "Write it as a mapping such as {\"delivery\": {\"wpm_max\": 170}}.",
        )
    known = {f.name: f.type for f in fields(Thresholds)}
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        if key not in known:
            # The narrative rubric may share the dict; only complain about our own-looking keys.
            if rubric.get("delivery") is overrides:
                raise UserError(
                    f"The rubric has an unknown delivery setting '{key}'.",
                    "Check the spelling against docs/delivery.md.",
                )
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UserError(
                f"The rubric's delivery setting '{key}' must be a number, not {value!r}.",
                "Fix the value in the rubric file.",
            )
        default = getattr(DEFAULTS, key)
        changes[key] = int(value) if isinstance(default, int) and not isinstance(default, bool) else float(value)
    result = replace(DEFAULTS, **changes)
    if result.wpm_min >= result.wpm_max:
        raise UserError("The rubric's wpm_min must be below wpm_max.", "Fix the pace range in the rubric file.")
    return result
