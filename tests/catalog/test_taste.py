"""The taste model, judged on the listening simulator's hidden tastes (evaluation/taste.py: the
same leave-last-out measures as docs/taste-evaluation.md, on a smaller world), and the commands
around it on a real instance: tracks made and registered, a play log imported, a model trained,
recommendations read back."""
import csv
import json

import pytest

import maestro_ai
from evaluation.taste import evaluate
from maestro_ai.catalog.taste import TasteModel, mmr
from maestro_ai.cli.main import main
from maestro_ai.production.clearance import register_work
from maestro_ai.rights.registry import Registry


@pytest.fixture(scope="module")
def judged():
    return evaluate(listeners=800, tracks=3000, plays=60_000, seed=3)


def test_the_taste_model_beats_popularity_and_content_alone(judged):
    models = judged["models"]
    taste, popular, content = models["taste model"], models["popularity"], models["content only"]
    assert taste["recall@10"] >= 2 * popular["recall@10"], models
    assert taste["recall@10"] >= content["recall@10"] + 0.03 and taste["ndcg@10"] > content["ndcg@10"], models


def test_a_new_track_with_no_plays_is_still_recommended_to_those_it_suits(judged):
    cold = judged["cold"]
    assert judged["world"]["cold test listeners"] >= 50
    assert cold["taste model"] >= 5 * cold["random shelf"], cold


def test_the_diversity_control_trades_accuracy_for_variety(judged):
    spread = judged["diversity"]
    plain, varied = spread[0.0], spread[0.6]
    assert varied["genres per list"] > plain["genres per list"] + 1 and varied["unlikeness"] > plain["unlikeness"]
    assert varied["recall@10"] <= plain["recall@10"]


def test_mmr_skips_a_near_copy_of_what_it_chose():
    import numpy as np

    vectors = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0]])
    assert mmr(np.array([1.0, 0.95, 0.6]), vectors, 2, 0.0).tolist() == [0, 1]
    assert mmr(np.array([1.0, 0.95, 0.6]), vectors, 2, 0.7).tolist() == [0, 2]


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """Three short songs made here (one registered as Ada's work 1) and a play log of them."""
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MAESTRO_RIGHTS_DB", f"sqlite:///{tmp_path / 'rights.db'}")
    registry = Registry(f"sqlite:///{tmp_path / 'rights.db'}")
    registry.add_artist("Ada")
    songs = [maestro_ai.MusicGenerator(genre, mood, seed=seed, output_dir=tmp_path / "songs", formats=("wav",), quality="draft")
             .generate({"tempo_bpm": tempo}, duration_seconds=8)
             for genre, mood, seed, tempo in (("house", "euphoric", 1, 124), ("house", "energetic", 2, 126),
                                              ("folk", "peaceful", 3, 96), ("ambient", "dreamy", 4, 70))]
    work = register_work(registry, songs[0].mix_path, title=songs[0].title, owner="Ada", acting="Ada")
    ids = [str(work.id)] + [s.to_dict()["provenance"]["watermark"] for s in songs[1:]]
    log = tmp_path / "plays.csv"
    with open(log, "w", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["user_id", "track_id", "played_at", "ms_played", "tier", "country", "source"])
        for day in range(1, 8):  # house fans and a folk fan; listener 'dj' hears everything
            rows.writerow(["ann", ids[0], f"2026-10-0{day}T20:00:00Z", 8000 * 60, "premium", "de", "library"])
            rows.writerow(["ben", ids[0], f"2026-10-0{day}T21:00:00Z", 3000, "premium", "de", "radio"])  # skipped
            rows.writerow(["ben", ids[2], f"2026-10-0{day}T21:05:00Z", 8000 * 60, "premium", "de", "search"])
            rows.writerow(["cat", ids[1], f"2026-10-0{day}T22:00:00Z", 8000 * 60, "free", "fr", "radio"])
            rows.writerow(["cat", ids[0], f"2026-10-0{day}T22:05:00Z", 8000 * 60, "free", "fr", "radio"])
            rows.writerow(["dj", ids[day % 3], f"2026-10-0{day}T23:00:00Z", 8000 * 60, "free", "fr", "dj"])
        rows.writerow(["x", "no-such-track", "2026-10-01T10:00:00Z", 60000, "free", "fr", "radio"])
    return songs, ids, log, tmp_path


def test_plays_are_imported_once_a_model_is_trained_and_recommendations_read_back(instance, capsys):
    songs, ids, log, folder = instance
    assert main(["recommend", "--user", "ann"]) == 2
    assert "maestro taste train" in capsys.readouterr().err
    assert main(["taste", "train"]) == 2
    assert "maestro plays import FILE" in capsys.readouterr().err
    bad = folder / "bad.csv"
    bad.write_text(log.read_text().replace(f"{8000 * 60},premium,de,library", "-5,premium,de,library", 1))
    assert main(["plays", "import", str(bad)]) == 2
    assert "ms_played '-5' is not a duration" in capsys.readouterr().err
    assert not (folder / "home" / "plays").exists() or not list((folder / "home" / "plays").glob("*.parquet"))

    assert main(["plays", "import", str(log)]) == 0
    assert "imported 43 plays by 5 listeners of 4 tracks" in capsys.readouterr().out
    assert main(["plays", "import", str(log)]) == 2
    assert "was imported already" in capsys.readouterr().err

    assert main(["taste", "train", "--json"]) == 0
    learnt = json.loads(capsys.readouterr().out)
    assert learnt | {"seconds": 0} == {"plays": 43, "plays_of_unknown_tracks": 1, "listeners": 4, "tracks": 4,
                                       "tracks_never_played": 1, "seconds": 0}
    assert main(["recommend", "--user", "ann", "-n", "3", "--json"]) == 0
    picks = json.loads(capsys.readouterr().out)
    assert ids[0] not in [p["id"] for p in picks] and len(picks) == 3  # what she played is not offered again
    assert picks[0]["id"] == ids[1] and picks[0]["title"] == songs[1].title and picks[0]["genre"] == "house"
    assert {p["why"] for p in picks} == {"your taste"}
    assert main(["recommend", "--user", "newcomer", "-n", "2", "--json"]) == 0
    assert [p["why"] for p in json.loads(capsys.readouterr().out)] == ["most played"] * 2
    assert main(["recommend", "--user", "ann", "--diversity", "2"]) == 2
    assert "between 0" in capsys.readouterr().err
    model = TasteModel.load(folder / "home" / "taste")
    assert model.tracks[0]["artist"] == "Ada" and model.tracks[0]["id"] == ids[0]
