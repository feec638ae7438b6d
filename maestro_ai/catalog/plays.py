"""The play store: play logs imported once (`maestro plays import FILE`), kept typed in Maestro's
data folder as one Parquet file each, and read together as one view.

A log is the royalty engine's format (CSV or Parquet: user_id, track_id, played_at in ISO 8601
UTC, ms_played, tier, country, optional source: search, library, playlist, dj, radio, ...), every
row checked as `maestro royalties run` checks it; a bad row is one clear error and nothing is
kept. The same log (by its SHA-256) is not imported twice.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "log.csv").write_text("user_id,track_id,played_at,ms_played,tier,country\\n"
...                                      "u1,7,2026-10-01T10:00:00Z,95000,premium,de\\n")
>>> import_plays(folder / "log.csv", folder / "plays")["plays"]
1
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from maestro_ai.core.errors import Conflict, InvalidRequest
from maestro_ai.io.digest import file_sha256
from maestro_ai.io.userdata import data_folder
from maestro_ai.royalties.engine import load_plays

COLUMNS = "user_id, track_id, played_at, ms_played, tier, country, source"


def plays_folder() -> Path:
    """Where imported play logs are kept: `plays/` in Maestro's data folder."""
    return data_folder() / "plays"


def _connect():
    import duckdb

    db = duckdb.connect()
    db.execute("SET enable_progress_bar = false")
    return db


def import_plays(path: Path | str, folder: Path | None = None) -> dict:
    """Check the play log at `path` and keep it in the play store: {"plays", "listeners",
    "tracks", "file"}. A log imported before is refused (Conflict), a bad one too (InvalidRequest)."""
    path, folder = Path(path), Path(folder or plays_folder())
    if not path.is_file():
        raise InvalidRequest(f"no play log {str(path)!r}")
    kept = folder / f"{file_sha256(path)[:20]}.parquet"
    if kept.exists():
        raise Conflict(f"{str(path)!r} was imported already (the play store keeps it as {kept.name})")
    folder.mkdir(parents=True, exist_ok=True)
    db = _connect()
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        load_plays(db, path, Path(scratch))
        partial = Path(scratch) / "plays-typed.parquet"
        db.execute(f"COPY (SELECT {COLUMNS} FROM plays) TO '{_quoted(partial)}' (FORMAT parquet)")
        os.replace(partial, kept)  # whole or not at all
    plays, listeners, tracks = db.execute(f"SELECT count(*), count(DISTINCT user_id), count(DISTINCT track_id) "
                                          f"FROM read_parquet('{_quoted(kept)}')").fetchone()
    return {"plays": plays, "listeners": listeners, "tracks": tracks, "file": kept.name}


def open_plays(folder: Path | None = None):
    """A DuckDB connection with the view `plays` over every imported log (an error when none is)."""
    folder = Path(folder or plays_folder())
    if not any(folder.glob("*.parquet")):
        raise InvalidRequest("no plays have been imported yet: maestro plays import FILE")
    db = _connect()
    # line: a play's own number across the logs (the royalty engine's filters name plays by it)
    db.execute(f"CREATE VIEW plays AS SELECT hash(filename) // 2 + file_row_number AS line, {COLUMNS} "
               f"FROM read_parquet('{_quoted(folder)}/*.parquet', file_row_number = true, filename = true)")
    return db


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
