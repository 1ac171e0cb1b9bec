"""The declarative rubric: weights, thresholds and feedback wording in one TOML file.

The default ships inside the package (`data/rubric.default.toml`). A coach's copy only needs the
keys it changes; it is merged over the default and checked, so a typo gives a clear message
instead of a silently ignored setting.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from narrative_coach.errors import UserError

DEFAULT_NAME = "rubric.default.toml"


@dataclass(frozen=True)
class Rubric:
    """A merged, validated rubric. `data` is the plain TOML table; read it through the helpers."""

    data: dict[str, Any]
    source: str = "default"

    def get(self, *keys: str, default: Any = None) -> Any:
        node: Any = self.data
        for k in keys:
            if not isinstance(node, dict) or k not in node:
                return default
            node = node[k]
        return node

    def points(self, block: str) -> dict[str, float]:
        return {k: float(v) for k, v in self.data["scores"][block].items()}

    def message(self, key: str) -> tuple[float, str]:
        item = self.data["feedback"][key]
        return float(item["severity"]), str(item["message"])

    def delivery_overrides(self) -> dict[str, Any] | None:
        """The `[delivery]` table, passed to the delivery analyzer as `{"delivery": {...}}`."""
        d = self.data.get("delivery")
        return {"delivery": d} if isinstance(d, dict) else None


@lru_cache(maxsize=1)
def _default_data() -> dict[str, Any]:
    raw = resources.files("narrative_coach.analysis").joinpath("data", DEFAULT_NAME).read_text(encoding="utf-8")
    return tomllib.loads(raw)


def default_rubric() -> Rubric:
    return Rubric(copy.deepcopy(_default_data()), "default")


def _merge(base: dict[str, Any], over: dict[str, Any], path: str, unknown: list[str]) -> None:
    for k, v in over.items():
        where = f"{path}.{k}" if path else k
        if k not in base:
            # New tables under [delivery] belong to the delivery analyzer; anything else is a typo.
            if path.startswith("delivery") or k == "delivery" or path in ("feedback", "strengths"):
                base[k] = v
            else:
                unknown.append(where)
            continue
        if isinstance(base[k], dict):
            if not isinstance(v, dict):
                raise UserError(f"Rubric setting '{where}' must be a table.", "Compare it with the default rubric.")
            _merge(base[k], v, where, unknown)
        else:
            if isinstance(base[k], (int, float)) and not isinstance(base[k], bool):
                if not isinstance(v, (int, float)) or isinstance(v, bool):
                    raise UserError(f"Rubric setting '{where}' must be a number, not {v!r}.", "Fix it in your rubric file.")
            elif isinstance(base[k], list):
                if not isinstance(v, list) or len(v) != len(base[k]):
                    raise UserError(f"Rubric setting '{where}' must be a list like {base[k]!r}.", "Fix it in your rubric file.")
            elif isinstance(base[k], str) and not isinstance(v, str):
                raise UserError(f"Rubric setting '{where}' must be text.", "Fix it in your rubric file.")
            base[k] = v


def _validate(data: dict[str, Any]) -> None:
    for name, item in data.get("strengths", {}).items():
        if name != "max_items" and not isinstance(item, str):
            raise UserError(f"Rubric strength '{name}' must be a message (text).", "Fix it in your rubric file.")
    for name, item in data.get("feedback", {}).items():
        if isinstance(item, dict):
            sev = item.get("severity")
            if not isinstance(sev, (int, float)) or not 0 <= sev <= 1:
                raise UserError(f"Rubric feedback '{name}' needs a severity between 0 and 1.", "Fix it in your rubric file.")
            if not isinstance(item.get("message"), str):
                raise UserError(f"Rubric feedback '{name}' needs a message.", "Fix it in your rubric file.")
    for part in ("self", "us", "now"):
        lo, hi = data["parts"][f"share_{part}"]
        if not 0 <= lo <= hi <= 1:
            raise UserError(f"Rubric setting 'parts.share_{part}' must be [low, high] between 0 and 1.", "Fix it in your rubric file.")


def rubric_from_dict(over: dict[str, Any], source: str = "custom") -> Rubric:
    data = copy.deepcopy(_default_data())
    unknown: list[str] = []
    _merge(data, over, "", unknown)
    if unknown:
        raise UserError(
            f"Unknown rubric setting{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.",
            "Check the spelling against the default rubric (docs/narrative.md).",
        )
    _validate(data)
    return Rubric(data, source)


def load_rubric(path: Path | str | None = None) -> Rubric:
    """The default rubric, or a coach's copy merged over it. Errors are `UserError`s."""
    if path is None or str(path) == "":
        return default_rubric()
    p = Path(path).expanduser()
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"The rubric file {p} does not exist.", "Check the path, or remove the rubric setting to use the default.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Cannot read the rubric file {p} ({exc}).", "Save it as UTF-8 text.") from None
    try:
        over = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"The rubric file {p} is not valid TOML: {exc}.", "Compare it with the default rubric.") from None
    return rubric_from_dict(over, str(p))
