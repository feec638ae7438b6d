import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.track import Track
from maestro_ai.pipeline.edits import EDITS, Edit, Extend, NewMelody, Reharmonize, Tempo, Transpose, replay
from maestro_ai.pipeline.engines import default_harmonizer
from tests.core.test_track import GOOD


def _track(**changes):
    return Track.from_dict({**GOOD, **changes})


def test_edits_make_their_options_explicit_and_name_themselves():
    track = _track()
    assert Tempo.resolve(track, {}) == {"tempo_bpm": 106.0, "duration_seconds": round(30 * 96 / 106, 3)}
    assert Transpose.resolve(track, {}) == {"key": "E minor"} and Transpose.resolve(track, {"key": "f major"}) == {"key": "F major"}
    assert Extend.resolve(track, {"duration_seconds": 40}) == {"duration_seconds": 40.0, "extra_bars": 4}
    assert Tempo.describe({"tempo_bpm": 130.0}, 1) == "tempo 130" and Reharmonize.describe({}, 2) == "reharmonized 2"


@pytest.mark.parametrize("cls, options, message", [
    (Tempo, {"tempo_bpm": 0}, "out of range"), (Tempo, {"tempo_bpm": 299}, "would make the song"),
    (Transpose, {"key": ""}, "empty key"), (Extend, {"duration_seconds": 4}, "longer than the original"),
    (Extend, {"duration_seconds": 0}, "longer than the original"), (Extend, {"duration_seconds": 5000}, "at most 1200 s"),
])
def test_bad_options_are_refused(cls, options, message):
    with pytest.raises(InvalidRequest, match=message):
        cls.resolve(_track(duration_seconds=5.0), options)


@pytest.mark.parametrize("data, message", [
    (5, "must be an object"), ({"kind": "remix"}, "unknown edit kind"), ({"kind": "tempo", "options": []}, "'options'"),
    ({"kind": "tempo", "options": {"tempo_bpm": 120}}, "lacks the option 'duration_seconds'"),
    ({"kind": "extend", "options": {"duration_seconds": 60, "extra_bars": 100_000}}, "from 0 to 3000"),
    ({"kind": "key", "options": {"key": "H major"}}, "cannot read key"),
])
def test_edits_read_back_from_track_json_are_checked(data, message):
    with pytest.raises(InvalidRequest, match=message):
        Edit.from_dict(data)


def test_edits_round_trip_and_every_kind_is_there():
    edit = Edit.from_dict({"kind": "tempo", "options": {"tempo_bpm": 120, "duration_seconds": 24}, "label": "tempo 120"})
    assert isinstance(edit, Tempo) and edit.to_dict() == {"kind": "tempo", "label": "tempo 120",
                                                          "options": {"tempo_bpm": 120.0, "duration_seconds": 24.0}}
    assert set(EDITS) == {"reharmonize", "new-melody", "new-drums", "new-form", "tempo", "key", "extend"}


def test_a_new_melody_first_is_written_with_the_score_and_after_a_chord_change_over_the_new_chords():
    first = replay(None, [NewMelody()], "Rain", default_harmonizer())
    assert first.variants == {"melody": 1} and len(first.plan_steps) == 1 and not first.score_steps
    later = replay(None, [Reharmonize(), NewMelody()], "Rain", default_harmonizer())
    assert later.variants == {"reharmonize": 1, "new-melody": 1} and len(later.score_steps) == 2
    assert later.title == "Rain (reharmonize, new-melody)" and later.kind == "new-melody"


def test_the_default_tempo_edit_stays_within_the_fastest_tempo():
    fast = _track(tempo=290.0, bar_seconds=round(4 * 60 / 290, 4), duration_seconds=10.0)
    assert Tempo.resolve(fast, {})["tempo_bpm"] == 300.0
    with pytest.raises(InvalidRequest, match="already at 300 BPM") as err:
        Tempo.resolve(_track(tempo=300.0, bar_seconds=0.8, duration_seconds=10.0), {})
    assert "--tempo" in err.value.shell


def test_a_seed_file_is_read_from_the_track_folder_only(tmp_path):
    from maestro_ai.pipeline.edits import source_request

    record = {**GOOD["request"], "melody_midi": {"file": "../../m.mid", "from": "m.mid"}}
    with pytest.raises(InvalidRequest, match="in the track folder itself"):
        source_request(Track.from_dict({**GOOD, "request": record}, tmp_path), tmp_path, False)
