"""Library at scale: 200 speeches x 50 drafts (10,000 drafts) on SQLite and on PostgreSQL.

Targets (issue 5): listing a speech's history and its progress series < 50 ms each, opening the
library < 300 ms, medians, on both databases.

    .venv/bin/python benchmarks/storage_scale.py                 # SQLite + a throwaway PostgreSQL
    .venv/bin/python benchmarks/storage_scale.py --pg-url postgresql://user@host/db   # an existing one
    .venv/bin/python benchmarks/storage_scale.py --no-pg --speeches 20   # quick look

Drafts are generated with realistic sizes: the report JSON is the real analyser's output on
~5-minute excerpts of the corpus speeches (about 700 words; 25-30 kB of report), and 70 % of the
drafts carry transcript words with timings (about 55 kB more), like recorded or imported takes.
The rows are bulk-inserted (how they got there does not matter for reading them); timings are
taken through the public `Library` API exactly as the window and the command line call it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import insert, text  # noqa: E402

from narrative_coach.app.library import Library  # noqa: E402
from narrative_coach.settings import load_settings  # noqa: E402
from narrative_coach.storage.models import Draft, Speech  # noqa: E402

SPEECHES_DIR = REPO.parent / "shared" / "corpus" / "speeches"
WORDS_PER_DRAFT = 700
RECORDED_SHARE = 0.7


# -- realistic reports ----------------------------------------------------------------------------


def template_reports(count: int = 12) -> list[dict[str, Any]]:
    """Real analyser reports on ~700-word excerpts of the corpus speeches."""
    texts = []
    for path in sorted(SPEECHES_DIR.glob("*.txt")):
        words = path.read_text(encoding="utf-8").split()
        if len(words) >= 200:
            texts.append(" ".join(words[:WORDS_PER_DRAFT]))
    if not texts:
        raise SystemExit(f"no corpus speeches in {SPEECHES_DIR}")
    try:
        from narrative_coach.analysis import analyze
    except ImportError:
        analyze = None
    reports = []
    for text_ in (texts * count)[:count]:
        if analyze is not None:
            reports.append(analyze(text_))
        else:  # analyser not installed: a report of the same shape and a similar size
            reports.append({"schema": "narrative-coach/report@1", "text": text_, "analyzer_version": "bench",
                            "sentences": [{"index": i, "text": s} for i, s in enumerate(text_.split(". "))],
                            "scores": {}, "elements": {}, "feedback": [], "delivery": {}})
    return reports


def words_for(text_: str, rng: random.Random) -> list[dict[str, Any]]:
    t = 0.0
    out = []
    for token in text_.split():
        dur = rng.uniform(0.15, 0.5)
        out.append({"word": " " + token, "start": round(t, 3), "end": round(t + dur, 3),
                    "probability": round(rng.uniform(0.5, 1.0), 4)})
        t += dur + rng.uniform(0.02, 0.3)
    return out


def populate(library: Library, speeches: int, drafts: int, seed: int = 1) -> dict[str, float]:
    rng = random.Random(seed)
    templates = template_reports()
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    t0 = time.perf_counter()
    total_bytes = 0
    with library.engine.begin() as conn:
        conn.execute(
            insert(Speech),
            [
                {"id": i + 1, "title": f"Speech {i + 1:03d}", "title_key": f"speech {i + 1:03d}",
                 "occasion": rng.choice(["council", "town hall", "ribbon cutting", "budget"]),
                 "audience": "residents", "target_minutes": rng.choice([3, 5, 7, 10]), "notes": "",
                 "last_number": drafts, "created": start, "updated": start}
                for i in range(speeches)
            ],
        )
    batch: list[dict[str, Any]] = []
    draft_id = 0
    for s in range(speeches):
        for n in range(1, drafts + 1):
            draft_id += 1
            report = dict(rng.choice(templates))
            base = 30 + 50 * n / drafts
            scores = {k: round(min(100.0, max(0.0, base + rng.gauss(0, 8))), 1)
                      for k in ("overall", "self", "us", "now", "structure", "delivery")}
            report["scores"] = scores
            recorded = rng.random() < RECORDED_SHARE
            words = words_for(report["text"], rng) if recorded else None
            duration = words[-1]["end"] if words else None
            report["duration_s"] = duration
            report["transcript"] = {"language": "en", "model": "tiny.en"} if recorded else None
            total_bytes += len(json.dumps(report)) + (len(json.dumps(words)) if words else 0)
            batch.append({
                "id": draft_id, "speech_id": s + 1, "number": n,
                "created": start + timedelta(days=s, hours=n), "source": "recorded" if recorded else "typed",
                "duration_s": duration, "word_count": len(report["text"].split()),
                "language": "en" if recorded else None, "model": "tiny.en" if recorded else None,
                "analyzer_version": str(report.get("analyzer_version", "bench")),
                "audio_path": None, "audio_sha256": None, "audio_bytes": None,
                **{f"score_{k}": v for k, v in scores.items()},
                "notes": "", "text": report["text"], "script_text": None, "report": report, "words": words,
            })
            if len(batch) == 250:
                _flush(library, batch)
        print(f"\r  generated {draft_id} drafts", end="", file=sys.stderr, flush=True)
    _flush(library, batch)
    print(file=sys.stderr)
    if library.engine.dialect.name == "postgresql":
        with library.engine.begin() as conn:
            conn.execute(text("SELECT setval(pg_get_serial_sequence('speeches', 'id'), (SELECT max(id) FROM speeches))"))
            conn.execute(text("SELECT setval(pg_get_serial_sequence('drafts', 'id'), (SELECT max(id) FROM drafts))"))
            conn.execute(text("ANALYZE"))
    else:
        with library.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return {"generate_s": time.perf_counter() - t0, "json_mb": total_bytes / 1e6}


def _flush(library: Library, batch: list[dict[str, Any]]) -> None:
    if batch:
        with library.engine.begin() as conn:
            conn.execute(insert(Draft), batch)
        batch.clear()


# -- measuring ------------------------------------------------------------------------------------


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up: first call pays for imports and statement compilation
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def measure(settings, speeches: int, repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    results: dict[str, float] = {}

    def open_close() -> None:
        Library.open(settings).close()

    results["open_ms"] = median_ms(open_close, repeat)
    cold = cold_open_ms(settings, max(3, repeat // 5))
    results["open_cold_process_ms"], results["cold_import_sqlalchemy_ms"], results["cold_open_call_ms"] = cold
    with Library.open(settings) as lib:
        titles = [f"Speech {rng.randrange(speeches) + 1:03d}" for _ in range(repeat + 1)]
        it = iter(titles)
        results["history_ms"] = median_ms(lambda: lib.history(next(it)), repeat)
        it = iter(titles)
        results["progress_ms"] = median_ms(lambda: lib.progress(next(it)), repeat)
        results["list_speeches_ms"] = median_ms(lib.list_speeches, max(5, repeat // 3))
        ids = [d.id for d in lib.history(titles[0])]
        results["get_draft_ms"] = median_ms(lambda: lib.get_draft(rng.choice(ids)), repeat)
        results["compare_ms"] = median_ms(lambda: lib.compare(ids[0], ids[-1]), max(5, repeat // 3))
        assert len(lib.history(titles[0])) > 0
    return results


def cold_open_ms(settings, repeat: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """A fresh process: Python start-up excluded, package imports and the open included.
    Returns (total, of which importing SQLAlchemy alone, of which the open itself)."""
    code = (
        "import time; t=time.perf_counter(); import sqlalchemy; s=time.perf_counter(); "
        "from narrative_coach.app.library import Library; from narrative_coach.settings import load_settings; "
        "i=time.perf_counter(); Library.open(load_settings()).close(); e=time.perf_counter(); "
        "print((e-t)*1000, (s-t)*1000, (e-i)*1000)"
    )
    env = dict(os.environ, NARRATIVE_COACH_HOME=str(settings.home), NARRATIVE_COACH_DB_URL=settings.db_url or "")
    samples = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=REPO)
        samples.append([float(x) for x in out.stdout.split()])
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))  # type: ignore[return-value]


# -- a throwaway PostgreSQL server ----------------------------------------------------------------


class ThrowawayPostgres:
    """initdb + pg_ctl in a temporary folder on a free loopback port (like scripts/test.sh)."""

    def __init__(self) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: float(p.parent.name))
        if not bins:
            raise SystemExit("PostgreSQL is not installed: run scripts/setup.sh --test, or pass --pg-url/--no-pg")
        self.bin = bins[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="nc-bench-pg-"))
        os.chmod(self.dir, 0o755)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]

    def _run(self, *args: str) -> None:
        cmd = [str(a) for a in args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def __enter__(self) -> str:
        data = self.dir / "data"
        data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            shutil.chown(data, "postgres")
        self._run(self.bin / "initdb", "-D", data, "-A", "trust", "-U", "narrative", "-E", "UTF8")
        self._run(self.bin / "pg_ctl", "-D", data, "-l", self.dir / "server.log", "-w", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        return f"postgresql+psycopg://narrative@127.0.0.1:{self.port}/postgres"

    def __exit__(self, *exc: object) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.dir / "data", "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


# -- main -----------------------------------------------------------------------------------------


def run_backend(name: str, home: Path, db_url: str, args: argparse.Namespace) -> dict[str, Any]:
    settings = load_settings(home).with_changes(db_url=db_url)
    print(f"{name}: generating {args.speeches} x {args.drafts} drafts ...", file=sys.stderr)
    with Library.open(settings) as lib:
        gen = populate(lib, args.speeches, args.drafts)
    results: dict[str, Any] = {"backend": name, **gen}
    if name == "sqlite":
        results["db_mb"] = (home / "library.sqlite3").stat().st_size / 1e6
    results.update(measure(settings, args.speeches, args.repeat))
    return results


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--speeches", type=int, default=200)
    p.add_argument("--drafts", type=int, default=50, help="drafts per speech")
    p.add_argument("--repeat", type=int, default=30, help="timed calls per figure (median reported)")
    p.add_argument("--pg-url", help="use this (empty) PostgreSQL database instead of starting a throwaway server")
    p.add_argument("--no-pg", action="store_true", help="SQLite only")
    p.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = p.parse_args(argv)

    all_results = []
    with tempfile.TemporaryDirectory(prefix="nc-bench-") as tmp:
        if not args.no_sqlite:
            all_results.append(run_backend("sqlite", Path(tmp) / "sqlite", "", args))
        if not args.no_pg:
            if args.pg_url:
                all_results.append(run_backend("postgresql", Path(tmp) / "pg", args.pg_url, args))
            else:
                with ThrowawayPostgres() as url:
                    all_results.append(run_backend("postgresql", Path(tmp) / "pg", url, args))
    if args.json:
        print(json.dumps(all_results, indent=2))
        return 0
    targets = {"open_ms": 300, "history_ms": 50, "progress_ms": 50}
    print(f"{args.speeches} speeches x {args.drafts} drafts; medians of {args.repeat} calls")
    for r in all_results:
        print(f"\n{r['backend']}: generated {r['json_mb']:.0f} MB of report JSON in {r['generate_s']:.0f} s"
              + (f"; file {r['db_mb']:.0f} MB" if "db_mb" in r else ""))
        for key in ("open_ms", "open_cold_process_ms", "cold_import_sqlalchemy_ms", "cold_open_call_ms", "history_ms", "progress_ms", "list_speeches_ms",
                    "get_draft_ms", "compare_ms"):
            target = targets.get(key)
            verdict = "" if target is None else (f"  (target < {target} ms: {'ok' if r[key] < target else 'MISSED'})")
            print(f"  {key:22s} {r[key]:8.1f} ms{verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
