"""The instance's catalogue: every track it has made (the custody ledger's `created` and `remixed`
entries whose folders still hold their track.json) and every work registered with it (the rights
registry), as columns the taste model learns from.

A track's id is its registered work's id when the registry knows it (by its watermark), as the
royalty engine counts it; a track not registered is known by its watermark ("0x..."). A
registered work that is not a Maestro track (a person's recording) is known by its title alone.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from maestro_ai.core.key import Key
from maestro_ai.provenance.ledger import default_ledger
from maestro_ai.rights.registry import Registry, existing_registry

NEUTRAL = {"genre": "", "mood": "", "valence": 0.5, "energy": 0.5, "tempo": 110.0, "key": "", "minor": False, "seconds": 180.0}
COLUMNS = ("id", "title", "artist", "genre", "mood", "valence", "energy", "tempo", "key", "minor", "seconds", "ai", "text", "folder")
TEXT_COLUMNS = ("id", "title", "artist", "genre", "mood", "key", "text", "folder")


def made_tracks(ledger: Path | None = None) -> list[dict]:
    """The tracks the ledger says were made here and whose track.json is still in place, newest
    last (a folder made again is counted once)."""
    path = Path(ledger or default_ledger())
    found: dict[str, dict] = {}
    if not path.is_file():
        return []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:  # a torn last line: the ledger cuts it away at its next append
            continue
        folder = (entry.get("details") or {}).get("folder")
        if entry.get("event") not in ("created", "remixed") or not folder or not (Path(folder) / "track.json").is_file():
            continue
        try:
            found[folder] = made_row(json.loads((Path(folder) / "track.json").read_text(encoding="utf-8")), folder)
        except (ValueError, KeyError, TypeError):
            continue
    return list(found.values())


def made_row(track: dict, folder: str) -> dict:
    """A track Maestro made (its track.json's content) as a catalogue row."""
    controls = track.get("controls") or {}
    credits = (track.get("credits") or {}).get("ai") or {}
    people = [c["name"] for c in credits.get("contributors", []) if c.get("kind") == "human"]
    phrases = " ".join((track.get("request") or {}).get("key_phrases") or [])
    return {"id": (track.get("provenance") or {}).get("watermark") or folder, "title": track["title"],
            "artist": people[0] if people else "", "genre": track["genre"], "mood": track["mood"],
            "valence": float(controls.get("valence", 0.5)), "energy": float(controls.get("energy", 0.5)),
            "tempo": float(track["tempo"]), "key": str(track["key"]), "minor": Key.parse(track["key"]).mode != "major",
            "seconds": float(track["duration_seconds"]), "ai": credits.get("contains_ai", "all") != "none",
            "text": f"{track['title']}. {phrases} {track['genre']} {track['mood']}".strip(), "folder": folder}


def catalogue(ledger: Path | None = None, registry: Registry | None = None) -> dict[str, np.ndarray]:
    """The catalogue as columns (COLUMNS), one row a track."""
    rows = made_tracks(ledger)
    registry = registry or existing_registry()
    works = registry.listing()["works"] if registry is not None else []
    by_mark = {r["id"]: r for r in rows}
    for work in works:
        marked = next((by_mark[m["value"]] for m in work["marks"] if m["kind"] == "watermark" and m["value"] in by_mark), None)
        if marked is not None:
            marked.update(id=str(work["id"]), artist=work["owner"], title=work["title"])
        else:
            rows.append({**NEUTRAL, "id": str(work["id"]), "title": work["title"], "artist": work["owner"], "ai": False,
                         "text": work["title"], "folder": ""})
    return {name: np.array([r[name] for r in rows], dtype=object if name in TEXT_COLUMNS else None) for name in COLUMNS}
