"""`maestro analyze`: key and tempo judged by mir_eval on rendered chorales, every field on real
songs whose tempo and key are known, and bad input."""
from __future__ import annotations

import json

import numpy as np
import pytest

from maestro_ai.cli.main import main
from maestro_ai.io.audio import write_audio
from maestro_ai.production.analysis import analyze_file
from maestro_ai.render.synth import fluid_soundfont

needs_fluidsynth = pytest.mark.skipif(fluid_soundfont() is None,
                                      reason="the chorales are rendered with FluidSynth and FluidR3_GM")


@needs_fluidsynth
def test_key_and_tempo_on_rendered_chorales_meet_the_targets():
    pytest.importorskip("mir_eval")
    from maestro_ai.production.evaluate_analysis import evaluate

    result = evaluate(pieces=12)
    assert result["pieces"] == 12
    assert result["key_weighted_score"] >= 0.8, result["rows"]
    assert result["tempo_within_4_percent"] >= 0.9, result["rows"]


@pytest.fixture(scope="module")
def rock(mixes) -> tuple[dict, dict]:
    return analyze_file(mixes["rock"]), json.loads((mixes["rock-track"] / "track.json").read_text())


def test_a_song_with_known_tempo_and_key(rock):
    import mir_eval

    result, truth = rock
    ratio = result["tempo_bpm"] / truth["tempo"]
    assert min(abs(ratio - r) / r for r in (0.5, 1.0, 2.0)) <= 0.04, (result["tempo_bpm"], truth["tempo"])
    assert mir_eval.key.weighted_score(truth["key"], result["key"]) >= 0.3, (result["key"], truth["key"])
    assert result["time_signature"] == truth["time_signature"] == "4/4"
    assert result["duration_seconds"] == pytest.approx(40.0, abs=0.01)
    beats = np.array(result["beats"])
    assert np.all(np.diff(beats) > 0) and beats.size > 40


def test_every_field_is_there_and_consistent(rock):
    result, _ = rock
    json.dumps(result)  # serializable as it is
    assert -30 < result["loudness"]["integrated_lufs"] < 0 and result["loudness"]["loudness_range_lu"] >= 0
    for items in (result["sections"], result["chords"]):  # contiguous, covering the song
        assert items[0]["start"] == 0.0 and items[-1]["end"] == pytest.approx(40.0, abs=0.05)
        assert all(a["end"] == b["start"] for a, b in zip(items, items[1:]))
    assert {c["chord"] for c in result["chords"]} - {"N"}
    assert set(result["descriptors"]) == {"danceability", "energy", "valence", "acousticness", "instrumentalness",
                                          "speechiness", "liveness"}
    assert all(0.0 <= v <= 1.0 for v in result["descriptors"].values())
    assert 0.0 <= result["key_confidence"] <= 1.0 and len(result["key_candidates"]) == 3


def test_descriptors_tell_a_band_from_noise(rock, tmp_path):
    rng = np.random.default_rng(0)
    noise = write_audio(tmp_path / "noise.wav", 0.1 * rng.standard_normal((2, 44100 * 20)).astype(np.float32), 44100)
    song, hiss = rock[0]["descriptors"], analyze_file(noise)["descriptors"]
    assert song["danceability"] > hiss["danceability"] + 0.2
    assert song["acousticness"] > hiss["acousticness"]


def test_cli_prints_a_summary_or_json_and_refuses_bad_input(mixes, tmp_path, capsys):
    assert main(["analyze", str(mixes["jazz"])]) == 0
    assert "BPM" in capsys.readouterr().out
    assert main(["analyze", str(mixes["jazz"]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["key"]
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"ID3 not really")
    silent = write_audio(tmp_path / "silent.wav", np.zeros((2, 44100), np.float32), 44100)
    for path in (tmp_path / "missing.wav", broken, silent, tmp_path / "notes.txt"):
        assert main(["analyze", str(path)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and "\n" not in err
