import subprocess
import sys

from narrative_coach import __version__

CLI = [sys.executable, "-m", "narrative_coach"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_version():
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"narrative-coach {__version__}"


def test_help_lists_every_command():
    out = run("--help")
    assert out.returncode == 0
    for command in ("transcribe", "analyze", "history", "show", "compare", "delete", "db", "devices", "record"):
        assert command in out.stdout


def test_unknown_command_is_a_usage_error_without_traceback():
    out = run("rehearse")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "--help" in out.stderr
