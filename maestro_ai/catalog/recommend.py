"""The taste model as Maestro uses it (the CLI, the Python API and the server call these): train
it on the play store and the instance's catalogue, recommend from it, and make a playlist for a
context (for a listener, with their taste).

>>> taste_folder().name
'taste'
"""
from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from maestro_ai.catalog.dashboard import artist_sound, audience
from maestro_ai.catalog.dj import SET_TRACKS, dj_mix
from maestro_ai.catalog.features import content_vectors, embed_texts
from maestro_ai.catalog.playlist import plan_playlist, plan_requested
from maestro_ai.catalog.plays import open_plays, plays_folder
from maestro_ai.catalog.requests import read_request
from maestro_ai.catalog.reserved import superfans
from maestro_ai.catalog.speech import hear
from maestro_ai.catalog.taste import TasteModel, interactions
from maestro_ai.catalog.tracks import catalogue, made_row
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.track import Track
from maestro_ai.io.userdata import data_folder
from maestro_ai.pipeline.generator import MusicGenerator
from maestro_ai.prompt.presets import all_genres
from maestro_ai.royalties.statements import statements_of

SHOWN = ("id", "title", "artist", "genre", "mood", "ai")
MISS_ENERGY = 0.2  # a slot whose best track's energy is this far off the curve is a slot the catalogue lacks
MAX_MADE = 3  # tracks a playlist may have made for it


def taste_folder() -> Path:
    """Where the trained taste model is kept: `taste/` in Maestro's data folder."""
    return data_folder() / "taste"


def train_taste(plays: Path | None = None, folder: Path | None = None, tracks: dict | None = None,
                iterations: int | None = None) -> dict:
    """Train the taste model on every imported play of the catalogue's tracks (`tracks`: the
    instance's catalogue by default) and keep it; what it learnt from."""
    started = time.perf_counter()
    tracks = tracks if tracks is not None else catalogue()
    if len(tracks["id"]) == 0:
        raise InvalidRequest("the catalogue is empty: make or register tracks first (maestro generate, maestro rights work add)")
    db = open_plays(plays)
    data = interactions(db, "plays", tracks)
    total, unknown = db.execute("SELECT count(*), count(*) FILTER (WHERE CAST(track_id AS VARCHAR) NOT IN "
                                "(SELECT unnest($ids))) FROM plays", {"ids": [str(i) for i in tracks["id"]]}).fetchone()
    content = content_vectors(tracks)
    model = TasteModel.train(data, content, **({"iterations": iterations} if iterations else {}))
    shown = [{k: (bool(v) if k == "ai" else str(v)) for k, v in zip(SHOWN, row)} for row in zip(*(tracks[k] for k in SHOWN))]
    model.save(folder or taste_folder(), shown)
    return {"plays": int(total), "plays_of_unknown_tracks": int(unknown), "listeners": len(data.users),
            "tracks": len(data.items), "tracks_never_played": int(np.sum(data.listeners == 0)),
            "seconds": round(time.perf_counter() - started, 2)}


def recommend(user: str, n: int = 10, diversity: float = 0.0, folder: Path | None = None) -> list[dict]:
    """The `n` tracks `user` is most likely to want next (not yet played), with what is known of
    each and its score; a listener the model has not met gets the most played tracks."""
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 1000:
        raise InvalidRequest(f"n is how many tracks to recommend, 1-1000, not {n!r:.20}")
    model = TasteModel.load(folder or taste_folder())
    by_id = {t["id"]: t for t in model.tracks}
    known = user in model.user_row
    return [{**by_id.get(track, {"id": track}), "score": round(score, 4), "why": "your taste" if known else "most played"}
            for track, score in model.recommend(user, n, diversity)]


def playlist(context: str, user: str | None = None, minutes: float = 45.0, freshness: float = 0.3,
             skipped: tuple[str, ...] = (), folder: Path | None = None, tracks: dict | None = None,
             generate: bool = False, quality: str = "studio") -> dict:
    """A playlist for `context` from the instance's catalogue (`catalog.playlist`); for `user`,
    with their taste and freshness measured against what they have played (the taste model's
    view of them, when it has met them). With `generate`, a slot no track fits (energy off by
    more than MISS_ENERGY) gets a track made for it (at most MAX_MADE), marked in the listing."""
    tracks = tracks if tracks is not None else catalogue()
    taste, played = listener_taste(user, tracks, folder)
    made = plan_playlist(context, tracks, minutes, taste, played, freshness, skipped)
    if generate:  # where nothing in the catalogue fits, the generator makes a track that does, and the plan is made again
        misses = [t for t in made["tracks"] if abs(t["energy"] - t["energy_asked"]) > MISS_ENERGY][:MAX_MADE]
        fresh = [made_track(context, made["valence"], t["energy_asked"], float(np.median(tracks["seconds"])), quality)
                 for t in misses]
        if fresh:
            tracks = {k: np.concatenate([tracks[k], np.array([r[k] for r in fresh], dtype=tracks[k].dtype)]) for k in tracks}
            taste = None if taste is None else np.concatenate([taste, np.full(len(fresh), taste.max())])
            made = plan_playlist(context, tracks, minutes, taste, played, freshness, skipped)
        ids = {r["id"] for r in fresh}
        for t in made["tracks"]:
            t["made_for_this_playlist"] = t["id"] in ids
    return made | {"user": user, "freshness": freshness, "skipped": list(skipped)}


def listener_taste(user: str | None, tracks: dict, folder: Path | None = None) -> tuple[np.ndarray | None, tuple[str, ...]]:
    """The taste model's score of each of `tracks` for `user`, and the ids they have played;
    (None, ()) for no listener, or one the model has not met (or no model yet)."""
    folder = folder or taste_folder()
    if user is None or not (folder / "model.npz").is_file():
        return None, ()
    model = TasteModel.load(folder)
    row = model.user_row.get(user)
    if row is None:
        return None, ()
    scores = dict(zip(model.items, model.item_vectors @ model.user_vectors[row]))
    low = min(scores.values())
    return (np.array([scores.get(str(t), low) for t in tracks["id"]], dtype=float),
            tuple(model.items[model.seen.indices[model.seen.indptr[row]:model.seen.indptr[row + 1]]]))


def made_track(context: str, valence: float, energy: float, seconds: float, quality: str = "studio") -> dict:
    """A track the generator makes for a playlist's slot (the genre whose description is nearest
    the context, the slot's valence and energy as the mood, the context as its key phrase), as a
    catalogue row; it is an AI track, and the ledger records it like any other."""
    genres = all_genres()
    names = list(genres)
    nearest = names[int(np.argmax(embed_texts([f"{n}: {genres[n].description}" for n in names]) @ embed_texts([context])[0]))]
    track = MusicGenerator(nearest, f"{valence:.2f},{energy:.2f}", output_dir=data_folder() / "playlist-tracks",
                           formats=("wav",), quality=quality).generate({"key_phrases": [context]},
                                                                       duration_seconds=float(np.clip(seconds, 30, 180)))
    return made_row(track.to_dict(), str(track.folder))


def fans_of(artist: str, tracks: dict | None = None, plays: Path | None = None) -> list[dict]:
    """`artist`'s listeners with their superfan scores, best first (`catalog.reserved`), from the
    imported plays of the instance's catalogue."""
    return superfans(open_plays(plays), tracks if tracks is not None else catalogue(), artist)


def dj(out: Path, context: str | None = None, playlist_file: Path | None = None, minutes: float = 20.0,
       requests: Sequence[str] = (), user: str | None = None, speak: bool = True, spoken: Sequence[Path] = (),
       tracks: dict | None = None) -> dict:
    """A continuous DJ mix (`catalog.dj`) of a playlist: one read from `playlist_file` (as
    `maestro playlist --out` writes it), or one made now for `context`, moved set by set by the
    listeners' `requests` (typed, like "something calmer") and `spoken` ones (audio files, made
    into text by `catalog.speech`), read through the same embeddings (`catalog.requests`). Only
    tracks whose audio this instance holds can be played (of `tracks`: the whole catalogue by
    default)."""
    if (context is None) == (playlist_file is None):
        raise InvalidRequest("a DJ mix plays a playlist: give a context, or a playlist file (maestro playlist --out)")
    if isinstance(requests, str):
        requests = [requests]
    heard = [hear(path) for path in spoken]
    asked = [read_request(text) for text in [*requests, *heard]]
    if playlist_file is not None and asked:
        raise InvalidRequest("requests move a set the DJ plans for a context: give --context, not a playlist file")
    tracks = tracks if tracks is not None else catalogue()
    if playlist_file is not None:
        try:
            wanted = [t["id"] for t in json.loads(Path(playlist_file).read_text(encoding="utf-8"))["tracks"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InvalidRequest(f"cannot read the playlist {str(playlist_file)!r}: {exc}") from None
        moved_from: dict[int, int] = {}
    else:
        playable = np.array([bool(f) for f in tracks["folder"]])  # (the catalogue holds made tracks whose folder is there)
        if playable.sum() < 2:
            raise InvalidRequest("a DJ mix needs at least two tracks this instance made and still holds (maestro generate)")
        held = {k: v[playable] for k, v in tracks.items()}
        taste, played = listener_taste(user, held)
        planned = plan_requested(context, held, minutes, asked, SET_TRACKS, taste, played)["tracks"]
        wanted = [t["id"] for t in planned]
        moved_from = {t["request"]["n"]: n for n, t in enumerate(planned) if "request" in t}  # request: the track it moved the set at
    folders = dict(zip(tracks["id"], tracks["folder"]))
    chosen = [Track.load(folders[i]) for i in wanted if folders.get(i)]
    made = dj_mix(chosen, out, title=f"Maestro DJ: {context or Path(playlist_file).stem}", speak=speak,
                  asked={n: f'"{asked[r].text}"' for r, n in moved_from.items()})
    return made | {"requests": [r.to_dict() | {"moved_the_set_at_track": moved_from.get(n)} for n, r in enumerate(asked)]}


def dashboard(artist: str, tracks: dict | None = None, plays: Path | None = None) -> dict:
    """The artist dashboard's figures (`catalog.dashboard`): their sound, their audience when
    plays have been imported, and their royalty statements (every `maestro royalties run` period
    that paid them)."""
    tracks = tracks if tracks is not None else catalogue()
    found = {"sound": artist_sound(tracks, artist)}
    folder = Path(plays or plays_folder())
    found["audience"] = audience(open_plays(folder), tracks, artist) if any(folder.glob("*.parquet")) else None
    titles = dict(zip(np.asarray(tracks["id"], dtype=object).astype(str), np.asarray(tracks["title"], dtype=object).astype(str)))
    found["royalties"] = [s | {"titles": {t: titles.get(t, t) for t in s["tracks"]}} for s in statements_of(artist)]
    return found
