"""A listening simulator with known hidden tastes, to evaluate and time the taste model on.

Tracks have a genre, a mood (valence, energy), a tempo, an artist, a popularity and a one-line
description drawn from their genre's and mood's words. Each listener has hidden tastes: two or
three favourite genres with weights, a liked point in the mood plane, a liked tempo, a
popularity bias (how much they follow the charts) and a patience. A play picks a genre from the
listener's favourites (or, now and then, any genre), then a track of that genre by popularity
raised to the listener's bias; how far they listen follows how well the track's mood and tempo
fit them (a poor fit is skipped under 30 seconds), and a track they love is played from their
library (a save) more often. Time runs forward through each listener's plays, so the last play
is the newest (leave-last-out evaluation).

Everything is drawn with numpy in whole arrays: ten million plays in about 25 seconds.

>>> world = simulate(listeners=50, tracks=200, plays=2000, seed=1)
>>> len(world.plays["user_id"]), world.tracks["genre"][:2].tolist(), round(float(world.skip_rate()), 2) > 0
(2000, ['lofi-chill', 'rnb'], True)
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import numpy as np

GENRE_WORDS = {  # Maestro's genres, and a few words each one's descriptions are drawn from
    "lofi-chill": ["tape hiss", "late night study", "dusty keys"], "house": ["four on the floor", "club night", "warehouse"],
    "hip-hop": ["boom bap", "block party", "verses"], "jazz": ["smoky bar", "walking bass", "brushed drums"],
    "rock": ["loud guitars", "stadium", "garage band"], "pop": ["radio hook", "summer single", "dance floor"],
    "folk": ["campfire", "acoustic guitar", "open road"], "ambient": ["drifting pads", "slow light", "weightless"],
    "trap": ["808s", "hi-hat rolls", "dark city"], "rnb": ["slow jam", "silky vocals", "midnight"],
    "techno": ["warehouse rave", "machine pulse", "minimal loop"], "synthwave": ["neon", "retro drive", "arcade"],
    "cinematic": ["trailer", "epic strings", "heroes"],
}
MOOD_WORDS = [("sad", 0.15, 0.25), ("calm", 0.6, 0.15), ("dreamy", 0.6, 0.3), ("happy", 0.9, 0.65), ("angry", 0.15, 0.95),
              ("euphoric", 0.9, 0.9), ("dark", 0.1, 0.55), ("nostalgic", 0.45, 0.35), ("tense", 0.25, 0.7),
              ("uplifting", 0.85, 0.7)]
TEMPO = {"lofi-chill": 80, "house": 124, "hip-hop": 90, "jazz": 110, "rock": 130, "pop": 115, "folk": 100, "ambient": 70,
         "trap": 140, "rnb": 85, "techno": 130, "synthwave": 110, "cinematic": 100}
GENRES = list(GENRE_WORDS)
MIN_PLAY_MS = 30_000
NOTE_NAMES = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"]
START = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)


@dataclass
class World:
    """The simulated catalogue (`tracks`: columns as arrays), the listeners' hidden tastes
    (`tastes`) and their plays (`plays`: the play log's columns, oldest first per listener)."""

    tracks: dict[str, np.ndarray]
    tastes: dict[str, np.ndarray]
    plays: dict[str, np.ndarray]

    def skip_rate(self) -> float:
        return float(np.mean(self.plays["ms_played"] < MIN_PLAY_MS))

    def content_columns(self) -> dict[str, np.ndarray]:
        """The catalogue's columns as `catalog.features.content_vectors` takes them (a mood under
        0.4 of valence counts as minor)."""
        t = self.tracks
        return {"genre": t["genre"], "valence": t["valence"], "energy": t["energy"], "tempo": t["tempo"],
                "minor": t["valence"] < 0.4, "text": t["description"]}

    def catalogue(self) -> dict[str, np.ndarray]:
        """The simulated tracks as the instance's catalogue columns (catalog.tracks)."""
        t = self.tracks
        return {"id": t["id"], "title": t["title"], "artist": t["artist"], "genre": t["genre"], "mood": t["mood"],
                "valence": t["valence"], "energy": t["energy"], "tempo": t["tempo"], "key": t["key"],
                "minor": t["valence"] < 0.4, "seconds": t["seconds"], "ai": np.zeros(len(t["id"]), dtype=bool),
                "text": t["description"]}

    def write_log(self, path: Path | str) -> Path:
        """The plays as a Parquet play log (user_id, track_id, played_at in UTC, ms_played,
        tier, country, source), as `maestro plays import` and `maestro royalties run` read it."""
        import duckdb

        log = {k: self.plays[k] for k in ("user_id", "track_id", "played_at", "ms_played", "tier", "country", "source")}
        db = duckdb.connect()
        db.execute("SET TimeZone = 'UTC'")
        db.register("log", log)
        db.execute("COPY (SELECT user_id, track_id, CAST(played_at AS TIMESTAMPTZ) AS played_at, ms_played, tier, country, "
                   f"source FROM log) TO '{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
        return Path(path)


def _names(prefix: str, count: int) -> np.ndarray:
    return np.char.add(prefix, np.arange(count).astype(str)).astype(object)


def simulate(listeners: int = 1000, tracks: int = 5000, plays: int = 100_000, seed: int = 0, explore: float = 0.1) -> World:
    """A catalogue of `tracks`, `listeners` with hidden tastes, and `plays` plays among them."""
    rng = np.random.default_rng(seed)
    genre_of = rng.choice(len(GENRES), size=tracks, p=_zipf(len(GENRES), 0.6, rng))
    mood_of = rng.integers(len(MOOD_WORDS), size=tracks)
    valence = np.clip(np.array([m[1] for m in MOOD_WORDS])[mood_of] + rng.normal(0, 0.08, tracks), 0, 1)
    energy = np.clip(np.array([m[2] for m in MOOD_WORDS])[mood_of] + rng.normal(0, 0.08, tracks), 0, 1)
    tempo = np.array([TEMPO[g] for g in GENRES])[genre_of] * np.exp(rng.normal(0, 0.08, tracks))
    popularity = rng.lognormal(0, 1.2, tracks)
    artists = max(1, tracks // 8)
    artist_of = rng.integers(artists, size=tracks)
    word = rng.integers(3, size=tracks)
    description = _descriptions(genre_of, mood_of, word)
    seconds = rng.uniform(120, 300, tracks)
    tonic = rng.integers(12, size=tracks)
    keys = np.char.add(np.array(NOTE_NAMES)[tonic], np.where(valence < 0.4, " minor", " major")).astype(object)

    # hidden tastes
    favourites = np.stack([rng.permutation(len(GENRES))[:3] for _ in range(listeners)]) if listeners <= 200_000 \
        else np.argsort(rng.random((listeners, len(GENRES))), axis=1)[:, :3]
    weights = rng.dirichlet([3.0, 1.5, 0.7], size=listeners)
    liked = rng.random((listeners, 2))
    liked_tempo = np.exp(rng.normal(np.log(105), 0.25, listeners))
    bias = rng.uniform(0.2, 1.2, listeners)  # how much popularity sways them
    patience = rng.uniform(0.3, 0.7, listeners)

    # each listener's share of the plays (a few listen a lot)
    per_listener = _zipf(listeners, 0.8, rng)
    user_of = np.sort(rng.choice(listeners, size=plays, p=per_listener))
    # the genre of each play: a favourite by weight, or now and then any genre
    pick = (rng.random(plays)[:, None] > np.cumsum(weights[user_of], axis=1)).sum(axis=1).clip(0, 2)
    genre_played = np.where(rng.random(plays) < explore, rng.integers(len(GENRES), size=plays), favourites[user_of, pick])
    # a track of that genre, by popularity raised to the listener's bias (bias rounded to 5 levels)
    level = np.minimum((bias[user_of] - 0.2) / 1.0 * 5, 4).astype(int)
    track_played = np.empty(plays, dtype=np.int64)
    for g in range(len(GENRES)):
        members = np.flatnonzero(genre_of == g)
        if members.size == 0:
            members = np.arange(tracks)
        for lv in range(5):
            where = np.flatnonzero((genre_played == g) & (level == lv))
            if where.size:
                cdf = np.cumsum(popularity[members] ** (0.2 + lv * 0.25))
                track_played[where] = members[np.searchsorted(cdf, rng.random(where.size) * cdf[-1])]
    # how well it fits: mood distance and tempo ratio
    fit = (1.0 - np.hypot(valence[track_played] - liked[user_of, 0], energy[track_played] - liked[user_of, 1]) / 1.2
           - 0.6 * np.abs(np.log(tempo[track_played] / liked_tempo[user_of])))
    listened = 1.0 / (1.0 + np.exp(-(fit - patience[user_of]) * 8 + rng.normal(0, 0.7, plays)))
    ms = (listened * seconds[track_played] * 1000).astype(np.int64)
    loved = fit - patience[user_of] > 0.25
    source = np.where(loved & (rng.random(plays) < 0.5), "library", np.where(rng.random(plays) < 0.3, "search", "radio"))
    offsets = _ordered_within(user_of, rng.integers(0, 30 * 86400, size=plays))
    played_at = (np.datetime64(START.replace(tzinfo=None), "ms") + offsets.astype("timedelta64[s]")).astype("datetime64[ms]")
    track_ids = _names("t", tracks)
    return World(
        tracks={"id": track_ids, "genre": np.array(GENRES, dtype=object)[genre_of], "mood": np.array(
            [m[0] for m in MOOD_WORDS], dtype=object)[mood_of], "valence": valence, "energy": energy, "tempo": tempo,
            "artist": _names("a", artists)[artist_of], "description": description, "seconds": seconds, "key": keys,
            "title": np.char.add(description.astype(str), np.char.add(" #", np.arange(tracks).astype(str))).astype(object),
            "popularity": popularity},
        tastes={"favourites": favourites, "weights": weights, "liked": liked, "liked_tempo": liked_tempo, "bias": bias,
                "patience": patience},
        plays={"user_id": _names("u", listeners)[user_of], "track_id": track_ids[track_played], "played_at": played_at,
               "ms_played": ms, "tier": np.where(user_of % 4 == 0, "free", "premium").astype(object),
               "country": np.array(["de", "fr", "us", "br"], dtype=object)[user_of % 4], "source": source.astype(object),
               "user_row": user_of, "track_row": track_played})


def _ordered_within(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """`values` sorted within each run of equal `groups` (which are sorted): times in order."""
    order = np.lexsort((values, groups))
    return values[order]


def _descriptions(genre_of: np.ndarray, mood_of: np.ndarray, word: np.ndarray) -> np.ndarray:
    """Each track's description ("<mood> <genre's words>"): each distinct one written once."""
    table = np.array([[[f"{MOOD_WORDS[m][0]} {GENRE_WORDS[g][w]}" for w in range(3)] for m in range(len(MOOD_WORDS))]
                      for g in GENRES], dtype=object)
    return table[genre_of, mood_of, word]


def _zipf(count: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    weights = 1.0 / np.arange(1, count + 1) ** exponent
    weights = weights[rng.permutation(count)]
    return weights / weights.sum()
