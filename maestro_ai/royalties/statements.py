"""A run's statements written as a folder, whole or not at all: `statements.csv` (a row per
holder, track and pool), `statements.json` (per holder: the total, by track and by source of
revenue), `excluded.csv` (the plays not paid, and why) and `summary.json`. A period's folder,
once written, is closed: a second run for it is refused, so its statements never change.
"""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from maestro_ai.core.errors import OutputError
from maestro_ai.io.atomic import staged_folder
from maestro_ai.royalties.engine import Result


def by_holder(statements: list[tuple]) -> dict:
    """{holder: {"total", "currency", "tracks": {track: amount}, "sources": {"country/tier": amount}}}."""
    holders: dict = {}
    for holder, track, country, tier, currency, amount in statements:
        entry = holders.setdefault(holder, {"total": 0, "currency": currency, "tracks": {}, "sources": {}})
        entry["total"] += amount
        entry["tracks"][track] = entry["tracks"].get(track, 0) + amount
        entry["sources"][f"{country}/{tier}"] = entry["sources"].get(f"{country}/{tier}", 0) + amount
    return holders


def write_statements(result: Result, out: Path | str) -> Path:
    """Write the run's folder at `out` (refused when it exists: a closed period)."""
    out = Path(out)
    if os.path.lexists(out):
        raise OutputError(f"{str(out)!r} already exists: the period {result.summary['period']} is closed there and its "
                          "statements never change; choose a new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    with staged_folder(out) as folder:
        with open(folder / "statements.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["holder_id", "track_id", "country", "tier", "currency", "amount"])
            writer.writerows(result.statements)
        with open(folder / "excluded.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["user_id", "track_id", "played_at", "ms_played", "reason"])
            writer.writerows(result.excluded)
        (folder / "statements.json").write_text(json.dumps(by_holder(result.statements), indent=2), encoding="utf-8")
        (folder / "summary.json").write_text(json.dumps(result.summary, indent=2), encoding="utf-8")
    return out
