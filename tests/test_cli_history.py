"""`history`, `show`, `compare`, `delete`, `rename`, `notes` and `db ...` on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SPEECHES
from library_fixtures import FakePipelineResult, make_report, write_audio

from narrative_coach.app.library import Library
from narrative_coach.cli import main

T1 = "I was born here. We share this river. Tonight we vote."
T2 = "I was born here by the mill. We share this river. Tonight, vote yes on the bond."


@pytest.fixture
def seeded(settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    with Library.open(settings) as lib:
        a = lib.save_draft("Flood Bond", FakePipelineResult(make_report(T1, overall=40, elements=("self_challenge",)),
                                                            source="imported", audio_path=write_audio(tmp_path / "a.wav")))
        b = lib.save_draft("Flood Bond", FakePipelineResult(make_report(T2, overall=66, elements=("now_action",))))
        c = lib.save_draft("Budget", FakePipelineResult(make_report(T1, overall=50)))
    return a, b, c


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_history_json_for_one_speech(seeded, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b, _c = seeded
    code, out, _err = run(capsys, "history", "--speech", "flood bond", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["speech"]["title"] == "Flood Bond" and data["speech"]["draft_count"] == 2
    drafts = data["drafts"]
    assert [d["id"] for d in drafts] == [a.id, b.id]
    first = drafts[0]
    for key in ("id", "number", "created", "source", "duration_s", "scores"):
        assert key in first
    assert first["number"] == 1 and first["source"] == "imported" and first["scores"]["overall"] == 40
    assert set(first["scores"]) == {"overall", "self", "us", "now", "structure", "delivery"}
    assert first["created"].endswith("+00:00")


def test_history_lists_speeches(seeded, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "history")
    assert code == 0
    lines = out.splitlines()
    assert "Budget" in lines[1] and "Flood Bond" in lines[2]
    assert lines[2].split()[-2:] == ["66", "66"]  # latest and best overall
    code, out, _ = run(capsys, "history", "--json")
    data = json.loads(out)
    assert [s["title"] for s in data["speeches"]] == ["Budget", "Flood Bond"]
    assert [s["draft_count"] for s in data["speeches"]] == [1, 2]
    assert len(data["drafts"]) == 3
    code, out, _ = run(capsys, "history", "--speech", "Flood Bond")
    assert code == 0 and out.startswith("Flood Bond: 2 drafts") and len(out.splitlines()) == 4


def test_show(seeded, capsys) -> None:  # type: ignore[no-untyped-def]
    a, _b, _c = seeded
    with Library.open() as lib:
        lib.add_annotation(a.id, "Pause after this", start_char=0, end_char=15, author="Coach")
    code, out, _ = run(capsys, "show", str(a.id))
    assert code == 0
    assert out.startswith(f"Flood Bond, draft 1 (id {a.id})")
    assert "overall 40" in out and "self_challenge" in out and "Pause after this" in out and T1 in out
    code, out, _ = run(capsys, "show", str(a.id), "--json")
    data = json.loads(out)
    assert data["id"] == a.id and data["text"] == T1
    assert data["report"]["transcript"]["words"][0]["word"] == " I"
    assert data["annotations"][0]["body"] == "Pause after this"
    assert Path(data["audio_path"]).is_file()


def test_compare(seeded, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b, _c = seeded
    code, out, _ = run(capsys, "compare", str(a.id), str(b.id))
    assert code == 0
    assert "elements gained: now_action" in out and "elements lost: self_challenge" in out
    assert "[-here.-] {+here by the mill.+}" in out.replace("\n", " ")
    assert any(line.split()[:4] == ["overall", "40", "66", "+26"] for line in out.splitlines())
    code, out, _ = run(capsys, "compare", str(a.id), str(b.id), "--json")
    data = json.loads(out)
    assert data["score_deltas"]["overall"] == 26
    assert data["elements_gained"] == ["now_action"] and data["elements_lost"] == ["self_challenge"]
    assert {op["op"] for op in data["diff"]} == {"equal", "replace"}


def test_delete_needs_confirmation(seeded, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a, b, _c = seeded
    monkeypatch.setattr(sys, "stdin", open("/dev/null"))
    code, _out, err = run(capsys, "delete", str(a.id))
    assert code == 2 and "--yes" in err
    assert len(Library.open().history("Flood Bond")) == 2
    code, out, _ = run(capsys, "delete", str(a.id), "--yes")
    assert code == 0 and "Deleted draft 1" in out
    code, out, _ = run(capsys, "delete", "--speech", "flood bond", "--yes")
    assert code == 0 and "1 draft" in out
    code, out, _ = run(capsys, "history", "--json")
    assert [s["title"] for s in json.loads(out)["speeches"]] == ["Budget"]


def test_delete_on_a_terminal_asks(seeded, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a, _b, _c = seeded
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda _q: "n")
    code, _out, err = run(capsys, "delete", str(a.id))
    assert code == 130 and len(Library.open().history("Flood Bond")) == 2
    monkeypatch.setattr("builtins.input", lambda _q: "y")
    code, _out, _err = run(capsys, "delete", str(a.id))
    assert code == 0 and len(Library.open().history("Flood Bond")) == 1


@pytest.mark.parametrize(
    "argv, message",
    [
        (["show", "999"], "There is no draft 999."),
        (["show", "abc"], "'abc' is not a draft id."),
        (["compare", "1", "999"], "There is no draft 999."),
        (["history", "--speech", "Nope"], "There is no speech called 'Nope'."),
        (["delete", "999", "--yes"], "There is no draft 999."),
        (["delete", "--speech", "Nope", "--yes"], "There is no speech called 'Nope'."),
        (["rename", "Nope", "X"], "There is no speech called 'Nope'."),
        (["rename", "Budget", "flood bond"], "There is already a speech called 'Flood Bond'."),
        (["notes", "Nope"], "There is no speech called 'Nope'."),
    ],
)
def test_unknown_ids_and_titles_exit_2_with_one_line(seeded, capsys, argv, message) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith(f"narrative-coach: {message}") and err.count("\n") == 1
    assert "Traceback" not in err


def test_rename_and_notes(seeded, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(capsys, "rename", "budget", "Budget 2027")[0] == 0
    assert run(capsys, "notes", "Budget 2027", "open with the bridge story")[0] == 0
    code, out, _ = run(capsys, "notes", "budget 2027")
    assert code == 0 and out.strip() == "open with the bridge story"


def test_db_commands(seeded, capsys, settings) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "db", "current", "--json")
    data = json.loads(out)
    assert code == 0 and data["at_head"] and data["current"] == data["head"]
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "up to date" in out
    code, out, _ = run(capsys, "db", "check")
    assert code == 0 and out.strip().endswith("everything in order")
    code, out, _ = run(capsys, "db", "backup")
    assert code == 0 and (settings.backups_dir / Path(out.split()[-1]).name).is_file()

    # An orphan file and a missing file are both found; orphans can be removed.
    orphan = settings.home / "audio" / "zz" / ("0" * 64 + ".wav")
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"left over")
    with Library.open() as lib:
        audio = lib.get_draft(seeded[0].id).audio_path
    assert audio is not None
    audio.unlink()
    code, out, _ = run(capsys, "db", "check", "--json")
    data = json.loads(out)
    assert code == 1 and not data["ok"]
    assert data["orphan_files"] == [orphan.relative_to(settings.home).as_posix()]
    assert data["missing_files"] == [{"draft_id": seeded[0].id, "path": audio.relative_to(settings.home).as_posix()}]
    code, out, _ = run(capsys, "db", "check", "--remove-orphans")
    assert code == 1 and "removed orphan" in out and "PROBLEM missing audio" in out and not orphan.exists()


def test_db_check_verify_finds_changed_audio(seeded, capsys) -> None:  # type: ignore[no-untyped-def]
    with Library.open() as lib:
        audio = lib.get_draft(seeded[0].id).audio_path
    assert audio is not None
    data = bytearray(audio.read_bytes())
    data[10] ^= 0xFF  # same size, different content
    audio.write_bytes(bytes(data))
    assert run(capsys, "db", "check")[0] == 0  # size only
    code, out, _ = run(capsys, "db", "check", "--verify")
    assert code == 1 and "changed on disk" in out


def test_db_backup_on_postgresql_explains(capsys, monkeypatch, pg_url) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NARRATIVE_COACH_DB_URL", pg_url)
    code, _out, err = run(capsys, "db", "backup")
    assert code == 2 and "pg_dump" in err


def test_analyze_then_history_end_to_end(tmp_path: Path, library_home: Path) -> None:
    """The real command: a typed speech analysed and stored, then listed, shown and compared."""
    speech = sorted(SPEECHES.glob("*.txt"))[0]
    env = {"NARRATIVE_COACH_HOME": str(library_home), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "narrative_coach"]
    for _ in range(2):
        done = subprocess.run(cmd + ["analyze", str(speech), "--speech", "Archive", "--json"],
                              env=env, capture_output=True, text=True, timeout=300, cwd=REPO)
        assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    listed = subprocess.run(cmd + ["history", "--speech", "Archive", "--json"],
                            env=env, capture_output=True, text=True, timeout=60, cwd=REPO)
    drafts = json.loads(listed.stdout)["drafts"]
    assert [d["number"] for d in drafts] == [1, 2]
    assert drafts[1]["scores"]["overall"] == report["scores"]["overall"]
    assert drafts[1]["source"] == "typed"
    shown = subprocess.run(cmd + ["show", str(drafts[1]["id"]), "--json"],
                           env=env, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert json.loads(shown.stdout)["report"] == report
    compared = subprocess.run(cmd + ["compare", str(drafts[0]["id"]), str(drafts[1]["id"]), "--json"],
                              env=env, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert json.loads(compared.stdout)["similarity"] == 1.0


def test_db_reanalyze(seeded, capsys) -> None:  # type: ignore[no-untyped-def]
    from narrative_coach.analysis import ANALYZER_VERSION

    code, out, _ = run(capsys, "db", "reanalyze")
    assert code == 0 and "Re-analysed 3 draft(s)" in out
    code, out, _ = run(capsys, "history", "--json")
    assert {d["analyzer_version"] for d in json.loads(out)["drafts"]} == {ANALYZER_VERSION}
    code, out, _ = run(capsys, "db", "reanalyze")
    assert code == 0 and "Every draft was analysed by the current analyser" in out
