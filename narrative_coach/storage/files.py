"""Audio files under the library folder.

Files are content-addressed (`audio/ab/<sha256>.<ext>`): the name is the checksum, so a file can
be verified at any time, saving the same take twice stores it once, and a stored path is made of
hex digits only. Paths kept in the database are relative to the library folder and are resolved
through `resolve`, which refuses anything that would point outside it. Writes go to a temporary
file in the same folder, are fsynced and renamed, so a crash leaves either no file or a whole one.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from narrative_coach.durable import fsync_dir
from narrative_coach.errors import UserError

AUDIO_DIR = "audio"
_CHUNK = 1 << 20
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,6}$")


@dataclass(frozen=True)
class StoredFile:
    relpath: str  # relative to the library folder, forward slashes
    sha256: str
    size: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def resolve(home: Path, relpath: str) -> Path:
    """The absolute path of a stored file; refuses paths that leave the library folder."""
    pure = PurePosixPath(relpath.replace("\\", "/"))
    if not relpath or pure.is_absolute() or ".." in pure.parts or ":" in relpath:
        raise UserError(f"The stored audio path '{relpath}' is not inside the library.", "Run 'narrative-coach db check'.")
    root = home.resolve()
    full = (root / Path(*pure.parts)).resolve()
    audio_root = root / AUDIO_DIR
    if full == audio_root or not full.is_relative_to(audio_root):
        raise UserError(f"The stored audio path '{relpath}' is not inside the library.", "Run 'narrative-coach db check'.")
    return full


def store_audio(home: Path, source: Path) -> StoredFile:
    """Copy `source` into the library's audio folder atomically; returns where it went."""
    source = Path(source)
    if not source.is_file():
        raise UserError(f"The audio file {source} does not exist.", "Check the path and try again.")
    suffix = source.suffix.lower() if _SUFFIX.match(source.suffix.lower()) else ".bin"
    audio_root = home / AUDIO_DIR
    audio_root.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Hash while copying into a temporary file in the audio folder: one read of the source.
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=audio_root, prefix=".incoming-", suffix=suffix)
    tmp = Path(tmp_name)
    try:
        with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        sha = digest.hexdigest()
        relpath = f"{AUDIO_DIR}/{sha[:2]}/{sha}{suffix}"
        target = resolve(home, relpath)
        target.parent.mkdir(exist_ok=True, mode=0o700)
        size = tmp.stat().st_size
        if target.exists() and target.stat().st_size == size and sha256_of(target) == sha:
            tmp.unlink()
        else:
            os.replace(tmp, target)
            fsync_dir(target.parent)
        return StoredFile(relpath=relpath, sha256=sha, size=size)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            f"Could not copy the audio into the library: {exc.strerror or exc}.",
            "Free some disk space or check the library folder's permissions, then try again.",
        ) from exc


def remove_audio(home: Path, relpath: str) -> bool:
    """Delete a stored file (after the database no longer refers to it). True if removed."""
    try:
        path = resolve(home, relpath)
        path.unlink()
    except (FileNotFoundError, UserError):
        return False
    try:
        path.parent.rmdir()  # only succeeds when the shard folder is empty
    except OSError:
        pass
    return True


def list_stored(home: Path) -> list[str]:
    """Every file in the audio folder as a library-relative path, temporary files included."""
    root = home / AUDIO_DIR
    if not root.is_dir():
        return []
    out = []
    for path in root.rglob("*"):
        if path.is_file():
            out.append(path.relative_to(home).as_posix())
    return sorted(out)


def is_partial(relpath: str) -> bool:
    """A leftover of a copy interrupted by a crash."""
    return PurePosixPath(relpath).name.startswith(".incoming-")


def copy_out(home: Path, relpath: str, dest: Path) -> Path:
    """Copy a stored file out of the library (exports, review bundles)."""
    src = resolve(home, relpath)
    shutil.copyfile(src, dest)
    return dest
