import pytest

from maestro_ai.core.errors import InvalidRequest, OutputError
from maestro_ai.pipeline.request import check_formats, check_phrases, read_melody, validate_request


def _validate(tmp_path, data=None, **kw):
    return validate_request(kw.pop("genre", "pop"), kw.pop("mood", "happy"), data, output_dir=tmp_path / "out", **kw)


def test_a_good_request_is_checked_and_nothing_is_created(tmp_path):
    r = _validate(tmp_path, {"key_phrases": "rain", "tempo_bpm": 90, "key": "D minor", "time_signature": "3/4"},
                  seed=2**40, duration_seconds=30)
    assert (r.phrases, r.tempo_bpm, str(r.key), str(r.time_signature), r.seed) == (["rain"], 90.0, "D minor", "3/4", 2**40)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("data, kw, message", [
    ("x", {}, "input_data must be a dict"), ({"colour": "red"}, {}, r"unknown input field\(s\) colour"),
    ({}, {"genre": None}, "genre must be a name"), ({}, {"key": 5}, "a key is text"), ({}, {"key": ""}, "empty key"),
    ({"key": ""}, {}, "empty key"), ({}, {"formats": [5]}, "formats must be a list"),
    ({}, {"formats": "wav"}, "formats must be a list"), ({}, {"output_dir": None}, "no output folder given"),
    ({}, {"seed": -1}, "seed must be a whole number"), ({}, {"seed": "7"}, "seed must be a whole number"),
    ({}, {"duration_seconds": "long"}, "duration must be a number"), ({"tempo_bpm": 0}, {}, "out of range"),
    ({"tempo_bpm": "90"}, {}, "tempo must be a number, not '90'"), ({"key_phrases": ["rain", " "]}, {}, "non-empty string"),
    ({"title": "x" * 300}, {}, "keep it to 120"), ({"title": 5}, {}, "non-empty string"),
    ({"key_phrases": ["p"] * 2000}, {}, "2000 key phrases is too many"), ({"key_phrases": ["x" * 300]}, {}, "characters long"),
    ({}, {"force": "yes"}, "force must be True or False"), ({"time_signature": ""}, {}, "cannot read time signature"),
])
def test_bad_requests_are_refused_in_one_line(tmp_path, data, kw, message):
    with pytest.raises(InvalidRequest, match=message) as err:
        validate_request(kw.pop("genre", "pop"), "happy", data, **{"output_dir": tmp_path / "out", **kw})
    assert "\n" not in str(err.value) and not (tmp_path / "out").exists()


def test_an_output_folder_behind_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="cannot create output folder"):
        validate_request("pop", "happy", {}, output_dir=tmp_path / "file" / "sub")


def test_phrases_and_formats():
    assert check_phrases(["  rain ", "night"]) == ["rain", "night"] and check_phrases(None) == []
    assert check_formats(["WAV", ".mp3", "wav"]) == ("wav", "mp3")


def test_a_file_seed_is_read_where_the_track_keeps_it(tmp_path):
    from tests.io.test_melody_input import _midi_bytes

    folder = tmp_path / "track"
    folder.mkdir()
    (folder / "seed.mid").write_bytes(_midi_bytes([(0, 1, 60), (1, 1, 64)]))
    seed, data = read_melody("seed.mid", 100.0, folder)
    assert [n.pitch for n in seed.melody] == [60, 64] and data == (folder / "seed.mid").read_bytes()
    assert read_melody("C4 E4", 100.0) [1] is None
