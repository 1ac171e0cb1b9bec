"""Audio files in the library folder: checksums, atomic copies, paths that cannot escape."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from narrative_coach.errors import UserError
from narrative_coach.storage import files


def test_store_is_content_addressed_and_deduplicated(tmp_path: Path) -> None:
    home = tmp_path / "lib"
    src = tmp_path / "Take 1.WAV"
    src.write_bytes(b"RIFF" + os.urandom(300_000))
    first = files.store_audio(home, src)
    second = files.store_audio(home, src)
    assert first == second
    assert first.sha256 == files.sha256_of(src)
    assert first.relpath == f"audio/{first.sha256[:2]}/{first.sha256}.wav"
    assert first.size == src.stat().st_size
    stored = files.resolve(home, first.relpath)
    assert stored.read_bytes() == src.read_bytes()
    assert files.list_stored(home) == [first.relpath]  # no temporary file left behind


def test_odd_suffix_is_replaced(tmp_path: Path) -> None:
    src = tmp_path / "x.we ird"
    src.write_bytes(b"abc")
    assert files.store_audio(tmp_path / "lib", src).relpath.endswith(".bin")


def test_store_replaces_a_damaged_copy(tmp_path: Path) -> None:
    home = tmp_path / "lib"
    src = tmp_path / "a.flac"
    src.write_bytes(b"good audio bytes" * 100)
    stored = files.store_audio(home, src)
    files.resolve(home, stored.relpath).write_bytes(b"truncated")
    files.store_audio(home, src)
    assert files.sha256_of(files.resolve(home, stored.relpath)) == stored.sha256


def test_missing_source_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        files.store_audio(tmp_path / "lib", tmp_path / "nope.wav")


@pytest.mark.parametrize(
    "relpath",
    ["", "../outside.wav", "audio/../../outside.wav", "/etc/passwd", "audio/../settings.json", "C:/x.wav",
     "audio\\..\\..\\x.wav", "settings.json", "audio"],
)
def test_resolve_refuses_paths_outside_the_audio_folder(tmp_path: Path, relpath: str) -> None:
    with pytest.raises(UserError):
        files.resolve(tmp_path, relpath)


def test_resolve_refuses_a_symlink_that_leaves_the_library(tmp_path: Path) -> None:
    home = tmp_path / "lib"
    (home / "audio").mkdir(parents=True)
    (home / "audio" / "ab").symlink_to(tmp_path)
    with pytest.raises(UserError):
        files.resolve(home, "audio/ab/secret.wav")


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["..", ".", "audio", "ab", "x.wav", "", "/", "~", "\\", "..."]), max_size=6))
def test_resolve_never_escapes(tmp_path_factory: pytest.TempPathFactory, parts: list[str]) -> None:
    home = tmp_path_factory.getbasetemp() / "prop-lib"
    relpath = "/".join(parts)
    try:
        resolved = files.resolve(home, relpath)
    except UserError:
        return
    assert resolved.is_relative_to((home / "audio").resolve())


def test_remove_audio_cleans_empty_shard(tmp_path: Path) -> None:
    home = tmp_path / "lib"
    src = tmp_path / "a.wav"
    src.write_bytes(b"123")
    stored = files.store_audio(home, src)
    assert files.remove_audio(home, stored.relpath)
    assert not files.remove_audio(home, stored.relpath)
    assert not files.remove_audio(home, "../escape.wav")
    assert list((home / "audio").iterdir()) == []
