"""The artist dashboard's figures on a simulated catalogue and play log, each checked against the
same figure counted directly from the simulator's arrays with numpy."""
import numpy as np
import pytest

from maestro_ai.catalog.plays import import_plays
from maestro_ai.catalog.recommend import dashboard
from maestro_ai.catalog.simulate import simulate


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard")
    made = simulate(listeners=300, tracks=400, plays=30_000, seed=9)
    made.write_log(folder / "log.parquet")
    import_plays(folder / "log.parquet", folder / "plays")
    tracks = made.catalogue()
    tracks["ai"] = np.arange(len(tracks["id"])) % 5 == 0  # a fifth of the catalogue is AI-made
    tracks["folder"] = np.array([""] * len(tracks["id"]), dtype=object)
    played = {a: np.isin(made.plays["track_id"], tracks["id"][tracks["artist"] == a]).sum() for a in set(tracks["artist"])}
    artist = max(played, key=lambda a: (played[a], a))  # the most played artist
    return made, tracks, artist, folder


def test_the_audience_figures_match_the_log(world):
    made, tracks, artist, folder = world
    found = dashboard(artist, tracks, folder / "plays")["audience"]
    theirs = set(tracks["id"][tracks["artist"] == artist])
    p = made.plays
    mine = np.isin(p["track_id"], list(theirs))
    whole = mine & (p["ms_played"] >= 30_000)
    assert found["listeners"] == len(set(p["user_id"][whole]))
    for row in found["tracks"]:
        of = mine & (p["track_id"] == row["id"])
        assert row["plays"] == of.sum() and abs(row["skip_rate"] - np.mean(p["ms_played"][of] < 30_000)) < 1e-3
    assert sum(s["plays"] for s in found["sources"]) == whole.sum()
    listeners = set(p["user_id"][whole])
    theirs_plays = np.isin(p["user_id"], list(listeners)) & (p["ms_played"] >= 30_000)
    ai = set(tracks["id"][tracks["ai"]]) - theirs  # other artists' AI tracks
    assert abs(found["ai_share_of_their_listeners_plays"] - np.mean(np.isin(p["track_id"][theirs_plays], list(ai)))) < 1e-3
    tiers = found["tiers"]
    assert sum(t["listeners"] for t in tiers.values()) == found["listeners"] and tiers["core"]["listeners"] >= 1
    days = found["listeners_by_day"]
    assert days and all(d["listeners"] <= found["listeners"] for d in days)


def test_the_sound_sits_beside_its_genres(world):
    made, tracks, artist, folder = world
    sound = dashboard(artist, tracks, folder / "plays")["sound"]
    mask = tracks["artist"] == artist
    assert sound["theirs"]["tracks"] == mask.sum()
    assert abs(sound["theirs"]["tempo"] - np.mean(tracks["tempo"][mask])) < 0.06
    assert sound["genres"] == sorted(set(tracks["genre"][mask]))
    assert sound["nearest_genres"][0]["genre"] in sound["genres"]
