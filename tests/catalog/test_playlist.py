"""Adaptive playlists, judged on a simulated catalogue (3,000 tracks with genres, moods, tempos,
keys and artists): the context's energy followed over the minutes, moves smoother than the same
tracks in a random order, artists spaced out, skips adapting the rest, a listener's taste and
freshness heard; and `maestro playlist` on a real instance."""
import json

import numpy as np
import pytest

import maestro_ai
from maestro_ai.catalog.features import content_vectors
from maestro_ai.catalog.playlist import ARTIST_GAP, SKIP_LIKENESS, camelot_distance, plan_playlist, transitions
from maestro_ai.catalog.simulate import simulate
from maestro_ai.cli.main import main


@pytest.fixture(scope="module")
def tracks():
    return simulate(listeners=10, tracks=3000, plays=100, seed=4).catalogue()


def _energies(playlist):
    return np.array([t["energy"] for t in playlist["tracks"]])


def test_a_workout_builds_and_cools_down_and_sleep_winds_down(tracks):
    workout, sleep = plan_playlist("workout", tracks, minutes=60), plan_playlist("time to sleep", tracks, minutes=60)
    assert workout["energy"] > 0.7 and sleep["energy"] < 0.3
    for made in (workout, sleep):
        asked = np.array([t["energy_asked"] for t in made["tracks"]])
        assert np.mean(np.abs(_energies(made) - asked)) < 0.08
        assert 55 * 60 <= made["seconds"] <= 65 * 60
    thirds = np.array_split(_energies(workout), 3)
    assert thirds[1].mean() > thirds[0].mean() + 0.1 and thirds[1].mean() > thirds[2].mean()
    assert _energies(sleep)[:4].mean() > _energies(sleep)[-4:].mean() + 0.1
    assert _energies(workout).mean() > _energies(sleep).mean() + 0.3


def test_moves_are_smoother_than_the_same_tracks_shuffled_and_artists_are_spaced(tracks):
    made = plan_playlist("rainy evening", tracks, minutes=90)
    smooth = transitions(made)
    rng = np.random.default_rng(0)
    shuffled = [transitions({"tracks": list(rng.permutation(made["tracks"]))}) for _ in range(30)]
    assert smooth["tempo_jump"] < 0.5 * np.mean([s["tempo_jump"] for s in shuffled])
    assert smooth["key_steps"] < 0.75 * np.mean([s["key_steps"] for s in shuffled])
    assert smooth["artist_gap"] > ARTIST_GAP


def test_a_skip_takes_the_track_and_its_likes_out_of_the_rest(tracks):
    first = plan_playlist("focus", tracks, minutes=30)
    gone = first["tracks"][1]["id"]
    again = plan_playlist("focus", tracks, minutes=30, skipped=[gone])
    assert gone not in [t["id"] for t in again["tracks"]]
    vectors = content_vectors({"genre": tracks["genre"], "valence": tracks["valence"], "energy": tracks["energy"],
                               "tempo": tracks["tempo"], "minor": tracks["minor"], "text": tracks["text"]})
    row = {t: n for n, t in enumerate(tracks["id"])}
    assert all(vectors[row[t["id"]]] @ vectors[row[gone]] <= SKIP_LIKENESS for t in again["tracks"])


def test_a_listeners_taste_and_freshness_shape_it(tracks):
    likes_jazz = (tracks["genre"] == "jazz").astype(float)
    plain = plan_playlist("focus", tracks, minutes=45)
    theirs = plan_playlist("focus", tracks, minutes=45, taste=likes_jazz)
    assert sum(t["genre"] == "jazz" for t in theirs["tracks"]) > sum(t["genre"] == "jazz" for t in plain["tracks"]) + 2
    heard = [t["id"] for t in plain["tracks"]]
    fresh = plan_playlist("focus", tracks, minutes=45, played=heard, freshness=1.0)
    assert len(set(heard) & {t["id"] for t in fresh["tracks"]}) < len(heard) / 2


def test_the_camelot_wheel():
    assert camelot_distance("C major", "G major") == 1 and camelot_distance("C major", "F# major") == 6
    assert camelot_distance("C major", "E minor") == 2 and camelot_distance("D minor", "D minor") == 0


def test_maestro_playlist_writes_its_list_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MAESTRO_RIGHTS_DB", f"sqlite:///{tmp_path / 'rights.db'}")
    for genre, mood, seed in (("house", "euphoric", 1), ("ambient", "dreamy", 2), ("folk", "peaceful", 3)):
        maestro_ai.MusicGenerator(genre, mood, seed=seed, output_dir=tmp_path / "songs", formats=("wav",), quality="draft") \
            .generate({}, duration_seconds=6)
    out = tmp_path / "list.json"
    assert main(["playlist", "--context", "party", "--minutes", "1", "--out", str(out)]) == 0
    made = json.loads(out.read_text())
    assert made["context"] == "party" and 2 <= len(made["tracks"]) <= 3 and made["tracks"][0]["genre"] == "house"
    assert "written to" in capsys.readouterr().out
    assert main(["playlist", "--context", "party", "--minutes", "1", "--out", str(out)]) == 2
    assert main(["playlist", "--context", "party", "--minutes", "0"]) == 2
    assert "1-600 minutes" in capsys.readouterr().err
    mix = tmp_path / "set.wav"
    assert main(["dj", "--playlist", str(out), "--out", str(mix), "--no-voice"]) == 0
    assert "tracks at" in capsys.readouterr().out and mix.stat().st_size > 100_000
    assert main(["dj", "--context", "party", "--playlist", str(out), "--out", str(tmp_path / "x.wav")]) == 2
    assert "give a context, or a playlist file" in capsys.readouterr().err


def test_a_slot_nothing_fits_gets_a_track_made_for_it(tmp_path, monkeypatch):
    from maestro_ai.catalog.recommend import MAX_MADE, playlist

    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    world = simulate(listeners=10, tracks=400, plays=100, seed=5).catalogue()
    calm = world["energy"] < 0.3  # a catalogue with nothing to work out to
    tracks = {k: v[calm] for k, v in world.items()}
    made = playlist("workout", minutes=8, tracks=tracks, generate=True, quality="draft")
    new = [t for t in made["tracks"] if t["made_for_this_playlist"]]
    assert 1 <= len(new) <= MAX_MADE and all(t["ai"] for t in new)
    assert max(t["energy"] for t in new) > tracks["energy"].max() + 0.2
    assert len(list((tmp_path / "home" / "playlist-tracks").glob("*/mix.wav"))) >= len(new)  # made, kept, and in the ledger like any song
