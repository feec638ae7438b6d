"""Analysis: every field on real songs whose tempo and key are known, and files it refuses."""
from __future__ import annotations

import json

import numpy as np
import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.audio import write_audio
from maestro_ai.production.analysis.analyze import analyze_file


@pytest.fixture(scope="module")
def rock(mixes) -> tuple[dict, dict]:
    return analyze_file(mixes["rock"]), json.loads((mixes["rock-track"] / "track.json").read_text())


def test_a_song_with_known_tempo_and_key(rock):
    import mir_eval

    result, truth = rock
    ratio = result.tempo_bpm / truth["tempo"]
    assert min(abs(ratio - r) / r for r in (0.5, 1.0, 2.0)) <= 0.04, (result.tempo_bpm, truth["tempo"])
    assert mir_eval.key.weighted_score(truth["key"], result.key) >= 0.3, (result.key, truth["key"])
    assert result.time_signature == truth["time_signature"] == "4/4"
    assert result.duration_seconds == pytest.approx(40.0, abs=0.01)
    beats = np.array(result.beats)
    assert np.all(np.diff(beats) > 0) and beats.size > 40


def test_every_field_is_there_and_consistent(rock):
    result, _ = rock
    json.dumps(result.to_dict())  # serializable
    assert -30 < result.loudness["integrated_lufs"] < 0 and result.loudness["loudness_range_lu"] >= 0
    for items in (result.sections, result.chords):  # contiguous, covering the song
        assert items[0]["start"] == 0.0 and items[-1]["end"] == pytest.approx(40.0, abs=0.05)
        assert all(a["end"] == b["start"] for a, b in zip(items, items[1:]))
    assert {c["chord"] for c in result.chords} - {"N"}
    assert set(result.descriptors) == {"danceability", "energy", "valence", "acousticness", "instrumentalness",
                                          "speechiness", "liveness"}
    assert all(0.0 <= v <= 1.0 for v in result.descriptors.values())
    assert 0.0 <= result.key_confidence <= 1.0 and len(result.key_candidates) == 3


def test_descriptors_tell_a_band_from_noise(rock, tmp_path):
    rng = np.random.default_rng(0)
    noise = write_audio(tmp_path / "noise.wav", 0.1 * rng.standard_normal((2, 44100 * 20)).astype(np.float32), 44100)
    song, hiss = rock[0].descriptors, analyze_file(noise).descriptors
    assert song["danceability"] > hiss["danceability"] + 0.2
    assert song["acousticness"] > hiss["acousticness"]


def test_files_that_cannot_be_analyzed_say_why(tmp_path):
    nan = np.zeros((2, 44100 * 2), np.float32)
    nan[0, 500] = np.nan
    from pedalboard.io import AudioFile

    with AudioFile(str(tmp_path / "nan.wav"), "w", 44100, 2, bit_depth=32) as f:
        f.write(nan)
    short = write_audio(tmp_path / "short.wav", 0.3 * np.ones((2, 4410), np.float32), 44100)
    for path, message in ((tmp_path / "nan.wav", "not numbers"), (short, "0.1 s long"),
                          (tmp_path / "missing.wav", "no such audio file")):
        with pytest.raises(InvalidRequest, match=message):
            analyze_file(path)
    with pytest.raises(InvalidRequest, match="must be a path"):
        analyze_file(None)
