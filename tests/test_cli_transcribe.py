"""`narrative-coach transcribe` end to end, as a user runs it: real model, real files, real processes."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from conftest import AUDIO_CORPUS, REPO
from narrative_coach.cli.progress import ProgressReporter
from narrative_coach.transcription.normalise import normalise

JFK = AUDIO_CORPUS / "jfk.flac"
JFK_WORDS = normalise("And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.")
CLI = [sys.executable, "-m", "narrative_coach"]


def run_cli(*args: str, env: dict[str, str] | None = None, prefix: list[str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        (prefix or []) + CLI + ["transcribe", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=env or os.environ.copy(),
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("narrative-coach: ") and "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.slow
def test_jfk_plain_text() -> None:
    result = run_cli(str(JFK))
    assert result.returncode == 0, result.stderr
    assert normalise(result.stdout) == JFK_WORDS
    assert result.stdout.endswith("\n") and result.stdout.count("\n") == 1
    assert "Model: tiny.en (English only)" in result.stderr
    assert "Transcribing: 100%" in result.stderr  # sparse lines when stderr is not a terminal


@pytest.mark.slow
def test_json_to_output_file(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "jfk.json"
    out.write_text("an older transcript")
    result = run_cli(str(JFK), "--json", "--no-verbatim", "--quiet", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    data = json.loads(out.read_text())
    assert list(data) == ["text", "language", "duration_s", "model", "words"]
    assert normalise(data["text"]) == JFK_WORDS
    assert (data["language"], data["model"], data["duration_s"]) == ("en", "tiny.en", 11.0)
    assert len(data["words"]) == 22
    assert set(data["words"][0]) == {"word", "start", "end", "probability"}
    assert sorted(p.name for p in out.parent.iterdir()) == ["jfk.json"]  # no temporary file left


def _bad_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    text = folder / "speech.txt"
    text.write_text("Friends and neighbours, tonight I want to talk about our river.\n")
    empty = folder / "empty.wav"
    empty.write_bytes(b"")
    zero = folder / "zero.wav"
    sf.write(str(zero), np.zeros(0, dtype=np.float32), 16000)
    corrupt = folder / "corrupt.m4a"
    corrupt.write_bytes(np.random.default_rng(7).integers(0, 256, 40_000, dtype=np.uint8).tobytes())
    sub = folder / "a-folder"
    sub.mkdir()
    return {
        "missing": (folder / "missing.wav", "does not exist"),
        "folder": (sub, "is a folder"),
        "text": (text, "text document"),
        "empty": (empty, "empty"),
        "zero": (zero, "zero length"),
        "corrupt": (corrupt, "not an audio or video file"),
    }


@pytest.mark.parametrize("case", ["missing", "folder", "text", "empty", "zero", "corrupt"])
def test_bad_input(tmp_path: Path, case: str) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    path, fragment = _bad_inputs(inputs)[case]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    existing = out_dir / "kept.txt"
    existing.write_text("the previous transcript")
    result = run_cli(str(path), "--output", str(existing))
    assert_one_line_error(result, fragment, str(path))
    assert existing.read_text() == "the previous transcript"
    assert [p.name for p in out_dir.iterdir()] == ["kept.txt"]
    result = run_cli(str(path), "--json")
    assert_one_line_error(result, fragment)


def test_output_cannot_be_written(tmp_path: Path) -> None:
    assert_one_line_error(run_cli(str(JFK), "-o", str(tmp_path / "no-such-folder" / "t.txt")), "does not exist")
    assert_one_line_error(run_cli(str(JFK), "-o", str(tmp_path)), "is a folder")


def test_unknown_model(tmp_path: Path) -> None:
    assert_one_line_error(run_cli(str(JFK), "--model", "large-v9"), "Unknown speech model 'large-v9'")


def test_too_long_for_the_settings(tmp_path: Path, library_home: Path) -> None:
    library_home.mkdir(parents=True, exist_ok=True)
    (library_home / "settings.json").write_text(json.dumps({"max_audio_seconds": 5}))
    assert_one_line_error(run_cli(str(JFK)), "the limit is 0:05")


@pytest.fixture
def as_nobody(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run the CLI as the unprivileged user 'nobody' (root reads everything, so permission
    errors can only be seen as another user)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run as another user")
    base = Path(tempfile.mkdtemp(prefix="nc-perm-", dir="/tmp"))
    base.chmod(0o755)
    home = base / "home"
    home.mkdir()
    os.chown(home, 65534, 65534)
    env = os.environ.copy()
    env["NARRATIVE_COACH_HOME"] = str(home)
    env["HOME"] = str(home)
    probe = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", "import narrative_coach"],
        capture_output=True,
        cwd=REPO,
    )
    if probe.returncode != 0:
        shutil.rmtree(base)
        pytest.skip("user 'nobody' cannot run the project's Python here")
    yield base, env, ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    shutil.rmtree(base)


def test_unreadable_input_and_unwritable_output(as_nobody) -> None:  # type: ignore[no-untyped-def]
    base, env, prefix = as_nobody
    private = base / "private.flac"
    shutil.copy(JFK, private)
    private.chmod(0o600)  # owned by root
    assert_one_line_error(run_cli(str(private), env=env, prefix=prefix), "permission to read")
    readable = base / "jfk.flac"
    shutil.copy(JFK, readable)
    readable.chmod(0o644)
    locked = base / "locked"
    locked.mkdir(mode=0o755)  # root's folder: nobody cannot write in it
    assert_one_line_error(
        run_cli(str(readable), "-o", str(locked / "t.txt"), env=env, prefix=prefix), "Cannot write", "permission denied"
    )
    assert list(locked.iterdir()) == []


@pytest.mark.slow
def test_no_network_needed() -> None:
    """The whole command inside a network namespace with no interfaces up (not even loopback)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to cut the network")
    check = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", "import socket; socket.create_connection(('1.1.1.1', 443), timeout=2)"],
        capture_output=True,
    )
    if check.returncode != 0 and b"Network is unreachable" not in check.stderr:
        if b"unshare" in check.stderr:
            pytest.skip(f"unshare is not permitted here: {check.stderr.decode().strip()}")
    assert check.returncode != 0, "the namespace should have no network"
    env = os.environ.copy()
    env.pop("HF_HUB_OFFLINE", None)  # the app must set it itself
    result = run_cli(str(JFK), "--json", env=env, prefix=["unshare", "-n"])
    assert result.returncode == 0, result.stderr
    assert normalise(json.loads(result.stdout)["text"]) == JFK_WORDS


@pytest.mark.slow
def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    clips = sorted((AUDIO_CORPUS / "ljspeech").glob("LJ001-*.wav"))[:12]
    tmp_path = tmp_path / "work"
    tmp_path.mkdir()
    long_file = tmp_path / "long.wav"
    sf.write(str(long_file), np.concatenate([sf.read(str(c), dtype="float32")[0] for c in clips]), 22050)
    out = tmp_path / "t.txt"
    proc = subprocess.Popen(
        CLI + ["transcribe", str(long_file), "-o", str(out)],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert line.startswith("Model: "), line
    time.sleep(3.0)  # the child is decoding, loading the model or transcribing
    proc.send_signal(signal.SIGINT)
    asked = time.monotonic()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - asked < 2.0
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.wav"]


def test_help_lists_options() -> None:
    result = subprocess.run(CLI + ["transcribe", "--help"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0
    for option in ("--json", "--model", "--output", "--no-verbatim"):
        assert option in result.stdout


def test_progress_bar_on_a_terminal() -> None:
    stream = io.StringIO()
    with ProgressReporter("Transcribing", stream, tty=True) as progress:
        progress(0.0)
        progress.note("Model: tiny.en (English only)")
        time.sleep(0.11)
        progress(0.5)
        progress(1.0)
    text = stream.getvalue()
    assert "\r" in text and "[" in text and " 50%" in text and "100%" in text
    assert "Model: tiny.en (English only)\n" in text and text.endswith("\n")


def test_progress_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with ProgressReporter("Transcribing", stream, tty=False) as progress:
        for i in range(101):
            progress(i / 100)
    lines = stream.getvalue().splitlines()
    assert lines == ["Transcribing: 0%", "Transcribing: 25%", "Transcribing: 50%", "Transcribing: 75%", "Transcribing: 100%"]
    assert "\r" not in stream.getvalue()
