"""track.json read back: every field checked, so an edited or damaged record gets a message."""
import json

import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.track import Track

GOOD = {"title": "Rain", "genre": "jazz", "mood": "chill", "tempo": 96.0, "key": "D minor", "time_signature": "4/4",
        "duration_seconds": 30.0, "seed": 4, "bars": 12, "bar_seconds": 2.5, "audio": {"wav": "mix.wav"},
        "request": {"genre": "jazz", "mood": "chill", "duration_seconds": 30.0, "seed": 4, "key_phrases": [],
                    "tempo_bpm": 96.0, "key": None, "time_signature": "4/4", "melody_midi": None, "title": None,
                    "formats": ["wav"]},
        "variation": None}


def _with(**changes):
    data = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        if value is ...:
            del data[key]
        else:
            data[key] = value
    return data


def test_a_track_round_trips_and_knows_its_folder(tmp_path):
    (tmp_path / "track.json").write_text(json.dumps(GOOD))
    track = Track.load(tmp_path)
    assert track.to_dict()["key"] == "D minor" and track.folder == tmp_path and track.mix_path == tmp_path / "mix.wav"
    assert Track.load(tmp_path / "track.json").tempo == 96.0


@pytest.mark.parametrize("data, message", [
    ([1, 2], "must be a JSON object"), (None, "not null"), (5, "not int"),
    (_with(tempo="fast"), "'tempo' must be int or float"), (_with(tempo=9999), "out of range"),
    (_with(key=...), "lacks 'key'"), (_with(bar_seconds=...), "lacks 'bar_seconds'"),
    (_with(bar_seconds=0), "out of range"), (_with(bar_seconds=0.05), "does not match"),
    (_with(seed=-3), "whole number"), (_with(key="H minor"), "cannot read key"),
    (_with(request=[]), "'request' must be dict"), (_with(request={"genre": "jazz"}), "lacks 'mood'"),
    (_with(variation={"edits": [5]}), "each edit"), (_with(time_signature="11/16"), "not supported"),
])
def test_damaged_metadata_is_refused_with_a_message(data, message):
    with pytest.raises(InvalidRequest, match=message) as err:
        Track.from_dict(data)
    assert "\n" not in str(err.value)


def test_unreadable_files_are_refused(tmp_path):
    (tmp_path / "track.json").write_text("{not json")
    with pytest.raises(InvalidRequest, match="cannot read track metadata"):
        Track.load(tmp_path)
    with pytest.raises(InvalidRequest, match="No such file"):
        Track.load(tmp_path / "nothing")


@pytest.mark.parametrize("folder", [5, None, b"x", ["a"], ""])
def test_a_track_is_loaded_from_a_path(folder):
    with pytest.raises(InvalidRequest, match="loaded from its folder"):
        Track.load(folder)


def test_absurd_files_are_refused(tmp_path):
    (tmp_path / "track.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InvalidRequest, match="nested too deeply"):
        Track.load(tmp_path)
    many = {**GOOD, "variation": {"of": "x", "edits": [{"kind": "new-drums", "options": {}}] * 5000}}
    with pytest.raises(InvalidRequest, match="at most 100"):
        Track.from_dict(many)
