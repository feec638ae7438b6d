"""The artist dashboard's figures: an artist's sound against their genres', and their audience.

**Sound** (`artist_sound`): over the artist's tracks in the catalogue, the mean tempo, energy and
valence and the share in minor keys, each beside the mean of every track of the same genres; the
instruments their tracks use most (track.json's instrumentation); and their style embedding (the
mean of their tracks' content vectors, `catalog.features`) with the genres it lies nearest; and
each track's tempo, energy and valence, theirs and (up to PEERS_DRAWN of) their genres', for the
page's plots.

**Audience** (`audience`, SQL on DuckDB over the play log, after the royalty engine's fraud
filters for everything but skips): listeners per day; per track, plays, completion and skip rate
(a skip: under 30 seconds); where plays come from (the log's `source`: search, library, playlist,
dj, radio, ...); superfan tiers (`catalog.reserved` scores: core is the top tenth of listeners,
devoted the next three tenths, the rest casual); and how much of their listeners' listening goes
to other artists' AI-generated tracks (what competes with them for those listeners).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from maestro_ai.catalog.features import content_vectors
from maestro_ai.catalog.reserved import superfans
from maestro_ai.core.errors import NotFound

PEERS_DRAWN = 400  # the genre's other tracks the sound's plots draw at most
TIERS = (("core", 0.1), ("devoted", 0.4))  # the top tenth of listeners by superfan score, then up to four tenths


def _theirs(tracks: dict, artist: str) -> np.ndarray:
    theirs = np.asarray(tracks["artist"], dtype=object) == artist
    if not theirs.any():
        raise NotFound(f"the catalogue has no tracks of {artist!r}")
    return theirs


def artist_sound(tracks: dict, artist: str) -> dict:
    """The artist's sound against their genres' (see the module's note)."""
    theirs = _theirs(tracks, artist)
    genres = sorted({str(g) for g in np.asarray(tracks["genre"], dtype=object)[theirs] if g})
    peers = np.isin(np.asarray(tracks["genre"], dtype=object), genres) if genres else np.ones(len(theirs), bool)

    def means(mask: np.ndarray) -> dict:
        return {"tempo": round(float(np.mean(np.asarray(tracks["tempo"], float)[mask])), 1),
                "energy": round(float(np.mean(np.asarray(tracks["energy"], float)[mask])), 3),
                "valence": round(float(np.mean(np.asarray(tracks["valence"], float)[mask])), 3),
                "minor_share": round(float(np.mean(np.asarray(tracks["minor"], bool)[mask])), 3), "tracks": int(mask.sum())}

    vectors = content_vectors(tracks)
    style = vectors[theirs].mean(axis=0)
    nearest = []
    for genre in sorted({str(g) for g in tracks["genre"] if g}):
        centre = vectors[np.asarray(tracks["genre"], dtype=object) == genre].mean(axis=0)
        cosine = float(style @ centre / max(np.linalg.norm(style) * np.linalg.norm(centre), 1e-9))
        nearest.append({"genre": genre, "likeness": round(cosine, 3)})
    instruments: dict[str, int] = {}
    for folder in np.asarray(tracks["folder"], dtype=object)[theirs]:
        for name in _instruments(folder):
            instruments[name] = instruments.get(name, 0) + 1
    return {"artist": artist, "genres": genres, "theirs": means(theirs), "genre_average": means(peers),
            "points": _points(tracks, theirs), "genre_points": _points(tracks, _sample(peers & ~theirs, PEERS_DRAWN)),
            "nearest_genres": sorted(nearest, key=lambda g: -g["likeness"])[:5],
            "instruments": sorted(({"name": k, "tracks": v} for k, v in instruments.items()), key=lambda i: (-i["tracks"], i["name"]))[:12],
            "style_embedding": [round(float(v), 4) for v in style]}


def _points(tracks: dict, mask: np.ndarray) -> list[dict]:
    """The tracks of `mask` as the page plots them: title, tempo, energy, valence, minor."""
    columns = [np.asarray(tracks[k], dtype=object)[mask] for k in ("title", "tempo", "energy", "valence", "minor")]
    return [{"title": str(t), "tempo": round(float(b), 1), "energy": round(float(e), 3), "valence": round(float(v), 3),
             "minor": bool(m)} for t, b, e, v, m in zip(*columns)]


def _sample(mask: np.ndarray, most: int) -> np.ndarray:
    """`mask` with at most `most` of its rows left (the same ones every time)."""
    rows = np.flatnonzero(mask)
    if len(rows) > most:
        rows = np.sort(np.random.default_rng(0).choice(rows, most, replace=False))
    kept = np.zeros_like(mask)
    kept[rows] = True
    return kept


def _instruments(folder: str) -> list[str]:
    """The instruments a track folder's track.json names (none for a recording)."""
    if not folder or not (Path(folder) / "track.json").is_file():
        return []
    try:
        listed = json.loads((Path(folder) / "track.json").read_text(encoding="utf-8")).get("instrumentation") or {}
    except (OSError, ValueError):
        return []
    parts = listed.values() if isinstance(listed, dict) else listed
    return sorted({str(p.get("instrument")) for p in parts if isinstance(p, dict) and p.get("instrument")})


def audience(db, tracks: dict, artist: str) -> dict:
    """The artist's audience from the play-log view `plays` (see the module's note)."""
    theirs = _theirs(tracks, artist)
    ids = np.asarray(tracks["id"], dtype=object).astype(str)
    db.register("dash_tracks", {"track_id": ids[theirs], "title": np.asarray(tracks["title"], dtype=object)[theirs].astype(str),
                                  "seconds": np.asarray(tracks["seconds"], float)[theirs]})
    db.register("ai_tracks", {"track_id": ids[np.asarray(tracks["ai"], bool) & ~theirs]})  # others' AI tracks: the competition
    fans = superfans(db, tracks, artist)  # runs the royalty engine's filters: the views `eligible` and `excluded`
    per_track = db.execute("""
        SELECT t.track_id, t.title, count(*) AS plays,
               avg(least(1.0, p.ms_played / (1000.0 * greatest(t.seconds, 1.0)))) AS completion,
               avg(CASE WHEN p.ms_played < 30000 THEN 1.0 ELSE 0.0 END) AS skip_rate
        FROM plays p JOIN dash_tracks t ON t.track_id = CAST(p.track_id AS VARCHAR)
        WHERE p.line NOT IN (SELECT line FROM excluded WHERE reason NOT LIKE 'under 30%')
        GROUP BY ALL ORDER BY plays DESC""").fetchall()
    daily = db.execute("""SELECT CAST(played_at AS DATE) AS day, count(DISTINCT user_id) FROM eligible e
                          JOIN dash_tracks t ON t.track_id = CAST(e.track_id AS VARCHAR) GROUP BY day ORDER BY day""").fetchall()
    sources = db.execute("""SELECT coalesce(source, 'unknown'), count(*) FROM eligible e
                            JOIN dash_tracks t ON t.track_id = CAST(e.track_id AS VARCHAR) GROUP BY ALL ORDER BY 2 DESC""").fetchall()
    ai_share = db.execute("""SELECT avg(CASE WHEN a.track_id IS NULL THEN 0.0 ELSE 1.0 END) FROM eligible e
                             LEFT JOIN ai_tracks a ON a.track_id = CAST(e.track_id AS VARCHAR)
                             WHERE e.user_id IN (SELECT DISTINCT e2.user_id FROM eligible e2
                                                 JOIN dash_tracks t ON t.track_id = CAST(e2.track_id AS VARCHAR))""").fetchone()[0]
    cut = {name: max(1, int(np.ceil(share * len(fans)))) for name, share in TIERS}
    tiers = {"core": fans[:cut["core"]], "devoted": fans[cut["core"]:cut["devoted"]], "casual": fans[cut["devoted"]:]}
    return {"artist": artist, "listeners": len(fans),
            "listeners_by_day": [{"day": d.isoformat(), "listeners": n} for d, n in daily],
            "tracks": [{"id": i, "title": t, "plays": n, "completion": round(float(c), 3), "skip_rate": round(float(s), 3)}
                       for i, t, n, c, s in per_track],
            "sources": [{"source": s, "plays": n} for s, n in sources],
            "tiers": {name: {"listeners": len(group), "top": [f["listener"] for f in group[:5]]} for name, group in tiers.items()},
            "ai_share_of_their_listeners_plays": round(float(ai_share or 0.0), 4)}
