import pytest

from maestro_ai.compose.doubling import doubled
from maestro_ai.core.score import Note, Section
from tests.compose.songs import song


def _in(notes, section):
    return [n for n in notes if section.start_bar * 4 <= n.start < section.end_bar * 4]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_climax_plays_the_tune_in_octaves_and_the_counter_line_is_its_own_elsewhere(seed):
    _, score = song("cinematic", seed=seed, duration=120, mood="epic")
    parts = {p.name: p.notes for p in score.parts}
    climax = next(s for s in score.sections if s.name == "climax")
    tune, octave = _in(parts["melody"], climax), _in(parts["counter"], climax)
    assert len(tune) > 16 and len(octave) == len(tune)
    shifts = {b.pitch - a.pitch for a, b in zip(tune, octave)}
    assert shifts in ({12}, {-12}) and [(n.start, n.duration) for n in tune] == [(n.start, n.duration) for n in octave]
    rises = [s for s in score.sections if s.name == "rise"]
    own = [n for s in rises for n in _in(parts["counter"], s)]
    lead = {(n.start, n.pitch % 12) for s in rises for n in _in(parts["melody"], s)}
    assert own and sum((n.start, n.pitch % 12) in lead for n in own) < 0.5 * len(own)  # a line of its own


def test_the_octave_is_on_the_counters_side_of_the_tune():
    form = [Section("rise", 0, 1, .6), Section("climax", 1, 1, 1.0)]
    tune = [Note(72, 4.0, 1.0), Note(74, 5.0, 1.0)]
    low = [Note(55, 0.0, 4.0)]
    assert [n.pitch for n in doubled(low, tune, form, "cinematic", 4.0)] == [55, 60, 62]
    pop = [Section("verse", 0, 1, .5), Section("chorus", 1, 1, .8)]
    assert doubled(low, tune, pop, "pop", 4.0) == low  # a pop chorus keeps its counter-line
