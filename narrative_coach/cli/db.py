"""`narrative-coach db upgrade|current|backup|check|reanalyze`: look after the library's database."""

from __future__ import annotations

import argparse
import json
import sys

from narrative_coach.logs import configure_logging
from narrative_coach.settings import load_settings

EXIT_PROBLEMS = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "db",
        help="library database: upgrade, current, backup, check, reanalyze",
        description=(
            "Look after the library database (SQLite in the library folder by default, or the "
            "database named by NARRATIVE_COACH_DB_URL). The app upgrades the schema by itself at "
            "start-up, after backing up a SQLite file."
        ),
    )
    sub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    s = sub.add_parser("upgrade", help="back up (SQLite) and bring the schema to the newest version")
    s.set_defaults(handler=run_upgrade)
    s = sub.add_parser("current", help="print the database address and its schema version")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(handler=run_current)
    s = sub.add_parser("backup", help="write a time-stamped copy of a SQLite library to the backups folder")
    s.set_defaults(handler=run_backup)
    s = sub.add_parser(
        "check",
        help="check the schema version, database integrity, and missing or orphan audio files",
        description="Exit status 0 when everything is in order, 1 when a problem was found.",
    )
    s.add_argument("--verify", action="store_true", help="also verify every audio file's checksum (reads them all)")
    s.add_argument("--remove-orphans", action="store_true", help="delete audio files that no draft refers to")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(handler=run_check)
    s = sub.add_parser("reanalyze", help="re-analyse drafts made by an older version of the analyser")
    s.set_defaults(handler=run_reanalyze)


def _library(migrate: bool = True):  # type: ignore[no-untyped-def]
    from narrative_coach.app.library import Library

    settings = load_settings()
    configure_logging(settings)
    return Library.open(settings, migrate=migrate)


def run_upgrade(args: argparse.Namespace) -> int:
    with _library() as library:
        result = library.upgrade_result
        if result.changed:
            print(f"Upgraded {library.url} from {result.before or 'empty'} to {result.after}.")
            if result.backup:
                print(f"Backup of the previous library: {result.backup}")
        else:
            print(f"{library.url} is up to date (schema {result.after}).")
    return 0


def run_current(args: argparse.Namespace) -> int:
    from narrative_coach.storage.migrate import head_revision

    with _library(migrate=False) as library:
        current = library.upgrade_result.before
        head = head_revision()
        if args.json:
            json.dump({"url": library.url, "current": current, "head": head, "at_head": current == head}, sys.stdout)
            sys.stdout.write("\n")
            return 0
        state = "up to date" if current == head else f"behind: the newest is {head}; run 'narrative-coach db upgrade'"
        print(f"{library.url}\nschema {current or 'none (empty database)'} ({state})")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    with _library(migrate=False) as library:
        path = library.backup()
    print(f"Backed up the library to {path}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    with _library(migrate=False) as library:
        removed = library.remove_orphans() if args.remove_orphans else []
        result = library.check(verify_checksums=args.verify)
    if args.json:
        out = result.to_dict()
        out.update(at_head=result.at_head, ok=result.ok, removed_orphans=removed)
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0 if result.ok else EXIT_PROBLEMS
    print(result.url)
    if result.at_head:
        print(f"schema: {result.current_revision} (up to date)")
    else:
        print(f"PROBLEM schema: {result.current_revision or 'none'}, newest {result.head_revision}: run 'narrative-coach db upgrade'")
    if result.integrity_ok:
        print("database integrity: ok")
    for message in result.integrity_messages:
        print(f"PROBLEM database integrity: {message}")
    for item in result.missing_files:
        print(f"PROBLEM missing audio for draft {item['draft_id']}: {item['path']}")
    for item in result.checksum_mismatches:
        print(f"PROBLEM audio of draft {item['draft_id']} changed on disk: {item['path']}")
    for rel in removed:
        print(f"removed orphan audio file {rel}")
    for rel in result.orphan_files:
        print(f"PROBLEM orphan audio file (no draft refers to it): {rel}")
    if result.orphan_files:
        print("Remove orphans with: narrative-coach db check --remove-orphans")
    print("everything in order" if result.ok else "problems found")
    return 0 if result.ok else EXIT_PROBLEMS


def run_reanalyze(args: argparse.Namespace) -> int:
    from narrative_coach.analysis import ANALYZER_VERSION

    with _library() as library:
        todo = library.outdated_drafts(ANALYZER_VERSION)
        if not todo:
            print(f"Every draft was analysed by the current analyser ({ANALYZER_VERSION}).")
            return 0

        def progress(done: int, total: int) -> None:
            print(f"\rre-analysed {done}/{total}", end="", file=sys.stderr, flush=True)

        done = library.reanalyze_outdated(current_version=ANALYZER_VERSION, on_progress=progress)
        print(file=sys.stderr)
    print(f"Re-analysed {len(done)} draft(s) with analyser {ANALYZER_VERSION}.")
    return 0
