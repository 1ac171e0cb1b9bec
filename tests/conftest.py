"""Shared fixtures. Each test gets its own library folder; nothing touches the user's real one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
AUDIO_CORPUS = CORPUS / "audio"
SPEECHES = CORPUS / "speeches"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def library_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, private library folder for every test."""
    home = tmp_path / "library"
    monkeypatch.setenv("NARRATIVE_COACH_HOME", str(home))
    monkeypatch.delenv("NARRATIVE_COACH_DB_URL", raising=False)
    monkeypatch.delenv("NARRATIVE_COACH_MODEL", raising=False)
    return home


@pytest.fixture
def settings(library_home: Path):
    from narrative_coach.settings import load_settings

    return load_settings(library_home)


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS


def _have(tool: str) -> bool:
    return shutil.which(tool) is not None


@pytest.fixture(scope="session")
def espeak() -> str:
    if not _have("espeak-ng"):
        pytest.fail("espeak-ng is not installed: run scripts/test.sh, which installs it")
    return "espeak-ng"


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The throwaway PostgreSQL server started by scripts/test.sh."""
    url = os.environ.get("NARRATIVE_COACH_TEST_PG_URL")
    if not url:
        pytest.skip("no PostgreSQL test server: run the suite with scripts/test.sh")
    return url


@pytest.fixture(scope="session")
def virtual_mic() -> bool:
    """The PulseAudio null-sink microphone started by scripts/test.sh."""
    if not os.environ.get("NARRATIVE_COACH_TEST_PULSE"):
        pytest.skip("no virtual microphone: run the suite with scripts/test.sh")
    return True
