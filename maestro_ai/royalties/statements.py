"""A run's statements written as a folder, whole or not at all: `statements.csv` (a row per
holder, track and pool), `statements.json` (per holder: the total, by track and by source of
revenue), `excluded.csv` (the plays not paid, and why) and `summary.json`. A period's folder,
once written, is closed: a second run for it is refused, so its statements never change.

Each folder written is noted in the instance's index (`royalties/statements.jsonl` in Maestro's
data folder), so the artist dashboard finds a holder's statements wherever they were written
(`statements_of`).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from maestro_ai.core.errors import OutputError
from maestro_ai.io.atomic import staged_folder
from maestro_ai.io.userdata import data_folder
from maestro_ai.royalties.engine import Result


def check_open(out: Path | str, period: str) -> Path:
    """`out`, when no run has closed a period there (checked before a run, and again as it ends)."""
    out = Path(out)
    if os.path.lexists(out):
        raise OutputError(f"{str(out)!r} already exists: the period {period} is closed there and its "
                          "statements never change; choose a new folder")
    return out


def write_statements(result: Result, out: Path | str) -> Path:
    """Write the run's folder at `out` (refused when it exists: a closed period)."""
    out = check_open(out, result.summary["period"])
    out.parent.mkdir(parents=True, exist_ok=True)
    with staged_folder(out) as folder:
        for name in result.FILES:
            shutil.copyfile(result.folder / name, folder / name)
        (folder / "summary.json").write_text(json.dumps(result.summary, indent=2), encoding="utf-8")
    index = statements_index()
    index.parent.mkdir(parents=True, exist_ok=True)
    with open(index, "a", encoding="utf-8") as noted:
        noted.write(json.dumps({"period": result.summary["period"], "folder": str(out.resolve())}) + "\n")
    return out


def statements_index() -> Path:
    """Where the instance notes every statements folder written."""
    return data_folder() / "royalties" / "statements.jsonl"


def statements_of(holder: str) -> list[dict]:
    """Every statement of `holder` in the folders the index notes (those still there), by period:
    the period, the sharing model, the total, its currency (minor units), by track and by source."""
    index = statements_index()
    found = []
    seen = set()
    lines = index.read_text(encoding="utf-8").splitlines() if index.is_file() else []
    for line in lines:
        try:
            noted = json.loads(line)
            folder = Path(noted["folder"])
            if folder in seen:
                continue
            seen.add(folder)
            mine = json.loads((folder / "statements.json").read_text(encoding="utf-8")).get(holder)
            summary = json.loads((folder / "summary.json").read_text(encoding="utf-8")) if mine else None
        except (OSError, ValueError, KeyError, TypeError):  # a folder moved or removed since, or a torn line
            continue
        if mine:
            found.append({"period": noted["period"], "model": summary.get("model"),
                          "total": mine["total"], "currency": mine["currency"], "tracks": mine["tracks"], "sources": mine["sources"]})
    return sorted(found, key=lambda s: s["period"])
