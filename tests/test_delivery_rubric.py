"""Delivery thresholds set in a coach's rubric file reach the delivery analyzer through analyze()."""

from __future__ import annotations

import pytest

from narrative_coach.analysis import analyze, load_rubric
from narrative_coach.errors import UserError

TEXT = "Um, we will fix the roads. Uh, we will fix the parks. And we will, um, fix the schools."


def test_rubric_file_delivery_table_changes_ranges(tmp_path):
    path = tmp_path / "coach.toml"
    path.write_text("[delivery]\nwpm_max = 175\nfillers_percent_max = 30\ngrade_max = 6\n", encoding="utf-8")
    default = analyze(TEXT)["delivery"]
    custom = analyze(TEXT, rubric=load_rubric(path))["delivery"]
    assert default["wpm_range"] == [100.0, 165.0] and custom["wpm_range"] == [100.0, 175.0]
    assert default["fillers"]["per_100_words_max"] == 4.0 and custom["fillers"]["per_100_words_max"] == 30.0
    assert custom["readability"]["grade_max"] == 6.0
    assert any(f.get("metric") == "fillers" for f in analyze(TEXT)["feedback"])
    assert not any(f.get("metric") == "fillers" for f in analyze(TEXT, rubric=load_rubric(path))["feedback"])


def test_rubric_file_with_a_misspelt_delivery_key_is_a_user_error(tmp_path):
    path = tmp_path / "coach.toml"
    path.write_text("[delivery]\nwpm_maximum = 175\n", encoding="utf-8")
    with pytest.raises(UserError, match="wpm_maximum"):
        analyze(TEXT, rubric=load_rubric(path))
