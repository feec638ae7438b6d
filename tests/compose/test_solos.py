from collections import Counter
from statistics import median

import pytest

from maestro_ai.compose.solos import LEFT_HAND_TOP, pass_solos, solo_lines, soloists
from maestro_ai.core.score import Note, Section
from maestro_ai.pipeline.edits import NewMelody, Reharmonize, replay
from maestro_ai.pipeline.engines import default_harmonizer
from maestro_ai.pipeline.request import validate_request
from maestro_ai.pipeline.song import compose
from tests.compose.songs import song


def _in(notes, section, bar=4.0):
    return [n for n in notes if section.start_bar * bar <= n.start < section.end_bar * bar]


def _solos(score):
    return [(score.sections[i], player) for i, player in soloists(score.sections, "jazz").items()]


def test_jazz_passes_the_solo_choruses_round_the_band_and_other_genres_keep_them_on_the_lead():
    form = [Section("head", 0, 8, .6)] + [Section("solo", 8 + 8 * i, 8, .8) for i in range(4)]
    assert list(soloists(form, "jazz").values()) == ["melody", "harmony", "bass", "melody"]
    assert set(soloists(form, "rock").values()) == {"melody"}


@pytest.fixture(scope="module")
def long_jazz():
    return song("jazz", seed=1, duration=240, mood="romantic")[1]


def test_the_piano_solos_with_its_right_hand_while_its_left_hand_comps(long_jazz):
    parts = {p.name: p.notes for p in long_jazz.parts}
    (horn, _), (piano, _), (bass, _) = _solos(long_jazz)[:3]
    assert len(_in(parts["melody"], horn)) > 30 and not _in(parts["melody"], piano) and not _in(parts["melody"], bass)
    right = [n for n in _in(parts["harmony"], piano) if n.pitch >= LEFT_HAND_TOP]
    left = [n for n in _in(parts["harmony"], piano) if n.pitch < LEFT_HAND_TOP]
    assert len(right) > 30 and left  # a line, and the comp under it
    assert max(Counter(n.start for n in right).values()) == 1  # one note at a time: a line, not chords
    elsewhere = [n for s in long_jazz.sections if s.name == "head" for n in _in(parts["harmony"], s)]
    assert Counter(n.start for n in elsewhere).most_common(1)[0][1] >= 3  # the piano comps chords in the head


def test_the_bass_takes_its_chorus_as_a_line_inside_its_range(long_jazz):
    parts = {p.name: p.notes for p in long_jazz.parts}
    (_, _), (_, _), (bass_solo, player) = _solos(long_jazz)[:3]
    assert player == "bass"
    line = _in(parts["bass"], bass_solo)
    walking = [n for s in long_jazz.sections if s.name == "head" for n in _in(parts["bass"], s)]
    assert len(line) > 20 and 40 <= min(n.pitch for n in line) and max(n.pitch for n in line) <= 60
    assert median(n.pitch for n in line) >= median(n.pitch for n in walking)
    off_beat = lambda notes: sum(n.start % 1 > 0 for n in notes) / len(notes)  # noqa: E731
    assert off_beat(line) > 0.3 and off_beat(walking) < 0.1  # a solo's eighths, not the walking quarters


def test_taking_the_solos_back_undoes_passing_them():
    form = [Section("solo", 0, 2, .8), Section("solo", 2, 2, .8)]
    band = {"melody": [Note(70, 0.0, 1.0), Note(67, 8.5, 0.5), Note(72, 9.0, 1.0)],
            "harmony": [Note(52, 8.0, 4.0), Note(62, 8.0, 4.0)], "bass": [Note(40, 8.0, 1.0)]}
    passed = pass_solos(dict(band), form, "jazz", 4.0)
    assert [n.pitch for n in passed["melody"]] == [70] and Note(62, 8.0, 4.0) not in passed["harmony"]
    rest, taken = solo_lines(passed, form, "jazz", 4.0)
    assert [n.pitch % 12 for n in taken] == [67 % 12, 72 % 12] and rest["harmony"] == [Note(52, 8.0, 4.0)]


@pytest.mark.parametrize("edits", [[Reharmonize()], [Reharmonize(), NewMelody()]])
def test_edits_keep_every_solo_chorus_played_by_its_player(edits, tmp_path):
    request = validate_request("jazz", "romantic", {}, duration_seconds=180, seed=1, output_dir=tmp_path)
    variation = replay(None, edits, "Blue", default_harmonizer())
    *_, score = compose(request, variation)
    parts = {p.name: p.notes for p in score.parts}
    solos = _solos(score)
    assert [player for _, player in solos] == ["melody", "harmony"]
    (horn, _), (piano, _) = solos
    assert len(_in(parts["melody"], horn)) > 30 and not _in(parts["melody"], piano)
    right = [n for n in _in(parts["harmony"], piano) if n.pitch >= LEFT_HAND_TOP]
    assert len(right) > 30 and max(Counter(n.start for n in right).values()) == 1
