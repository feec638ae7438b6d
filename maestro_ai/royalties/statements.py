"""A run's statements written as a folder, whole or not at all: `statements.csv` (a row per
holder, track and pool), `statements.json` (per holder: the total, by track and by source of
revenue), `excluded.csv` (the plays not paid, and why) and `summary.json`. A period's folder,
once written, is closed: a second run for it is refused, so its statements never change.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from maestro_ai.core.errors import OutputError
from maestro_ai.io.atomic import staged_folder
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
    return out
