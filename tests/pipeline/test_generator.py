"""The Python API: types checked as carefully as values, and the Track it returns."""
import pytest

import maestro_ai
from maestro_ai.core.errors import InvalidRequest


@pytest.mark.parametrize("kw, message", [
    ({"genre": None}, "genre must be a name"), ({"genre": "polka-metal"}, "unknown genre"), ({"key": 5}, "a key is text"),
    ({"output_dir": None}, "no output folder given"), ({"formats": [5]}, "formats must be a list"),
    ({"seed": -1}, "whole number"), ({"time_signature": "11/16"}, "not supported"),
    ({"melody_engine": "motif"}, "must have a compose"),
])
def test_wrong_values_and_types_raise_a_maestro_error(tmp_path, kw, message):
    with pytest.raises(maestro_ai.MaestroError, match=message):
        maestro_ai.MusicGenerator(**{"output_dir": tmp_path / "out", **kw})
    assert not (tmp_path / "out").exists()


def test_bad_calls_raise_a_maestro_error(tmp_path, pop_track):
    gen = maestro_ai.MusicGenerator("folk", "peaceful", output_dir=tmp_path)
    with pytest.raises(InvalidRequest, match="input_data must be a dict"):
        gen.generate_track("x")
    with pytest.raises(InvalidRequest, match="not null"):
        gen.generate_variation(None, "tempo")
    with pytest.raises(InvalidRequest, match="unknown variation"):
        gen.generate_variation(pop_track[1], "remix")
    with pytest.raises(InvalidRequest, match="tempo takes tempo_bpm="):
        gen.generate_variation(pop_track[1], "tempo", bpm=80)


def test_generate_returns_a_track_and_generate_track_the_seed_api(tmp_path):
    gen = maestro_ai.MusicGenerator("folk", "peaceful", seed=9, output_dir=tmp_path, formats=["wav"])
    track = gen.generate({"tempo_bpm": 100}, duration_seconds=8)
    assert isinstance(track, maestro_ai.Track) and track.tempo == 100.0 and track.mix_path.exists()
    assert maestro_ai.Track.load(track.folder).to_dict() == track.to_dict()
    again = maestro_ai.MusicGenerator("folk", "peaceful", seed=9, output_dir=tmp_path, formats=["wav"], force=True)
    meta, path = again.generate_track({"tempo_bpm": 100}, duration_seconds=8)
    assert isinstance(meta, dict) and meta["path"] == str(track.folder) and path == track.mix_path
