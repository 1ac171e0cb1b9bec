"""The declarative rubric: default documented values, a coach's partial copy, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrative_coach.analysis import analyze, load_rubric
from narrative_coach.analysis.rubric import rubric_from_dict
from narrative_coach.errors import UserError
from narrative_samples import RESUME, STRONG


def test_default_rubric_blocks_add_up_to_100() -> None:
    r = load_rubric(None)
    for block in ("self", "us", "now", "structure"):
        assert sum(r.points(block).values()) == pytest.approx(100)
    assert sum(r.get("scores", "overall").values()) == pytest.approx(1.0)
    for key, item in r.get("feedback").items():
        if isinstance(item, dict):
            assert 0 <= item["severity"] <= 1 and item["message"], key


def test_a_partial_copy_changes_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "coach.toml"
    path.write_text(
        '[scores.overall]\nself = 1.0\nus = 0.0\nnow = 0.0\nstructure = 0.0\ndelivery = 0.0\n'
        '[feedback.resume_self]\nseverity = 0.99\nmessage = "Coach Ana says: start with you. See \\"{quote}\\"."\n',
        encoding="utf-8",
    )
    rubric = load_rubric(path)
    assert rubric.get("parts", "share_self") == [0.15, 0.45]  # untouched default
    report = analyze(STRONG, rubric=rubric)
    assert report["scores"]["overall"] == report["scores"]["self"]
    resume = analyze(RESUME, rubric=rubric)
    assert resume["feedback"][0]["message"].startswith("Coach Ana says: start with you.")


def test_delivery_weight_decides_whether_delivery_can_outrank_structure() -> None:
    text = "Um, so, um, we, uh, like, um, you know, basically, um, we need, uh, to, um, vote. " * 3
    low = analyze(text, rubric=rubric_from_dict({"feedback": {"delivery_weight": 0.0}}))
    assert all(f["severity"] == 0.0 for f in low["feedback"] if f["area"] == "delivery")
    assert low["feedback"][0]["area"] != "delivery"


@pytest.mark.parametrize(
    "content, words",
    [
        ("[scores.self]\npresent = 'many'\n", "must be a number"),
        ("[scores.slef]\npresent = 10\n", "Unknown rubric setting"),
        ("[parts]\nshare_self = [0.9, 0.1]\n", "share_self"),
        ("[feedback.missing_self]\nseverity = 3\n", "severity between 0 and 1"),
        ("this is = not = toml", "not valid TOML"),
    ],
)
def test_bad_rubrics_say_what_is_wrong(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError, match=words):
        load_rubric(path)


def test_missing_rubric_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        load_rubric(tmp_path / "nope.toml")
