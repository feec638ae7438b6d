"""Orchestration keeps every note where its player can reach it."""
from hypothesis import given
from hypothesis import strategies as st

from maestro_ai.compose.ranges import fit_part, power_chords
from maestro_ai.core.instrument import Instrument
from maestro_ai.core.score import Note, Part
from maestro_ai.prompt.instruments import all_instruments

MELODIC = [i for i in all_instruments().values() if not i.kit]


@given(st.lists(st.integers(0, 127), min_size=1, max_size=40), st.sampled_from(MELODIC))
def test_every_note_lands_in_range(pitches, instrument):
    part = Part("melody", 0, [Note(p, float(i), 1.0) for i, p in enumerate(pitches)])
    fitted = fit_part(part, instrument)
    low, high = instrument.range
    assert all(low <= n.pitch <= high for n in fitted.notes)
    assert len(fitted.notes) == len(pitches)  # a line loses no note
    assert fitted.program == instrument.gm and fitted.instrument == instrument.name


def test_a_line_moves_whole_and_keeps_its_shape():
    sax = all_instruments()["tenor-sax"]
    line = [Note(p, i, 1) for i, p in enumerate((76, 79, 83, 81, 79))]
    fitted = fit_part(Part("melody", 0, line), sax)
    assert [n.pitch for n in fitted.notes] == [64, 67, 71, 69, 67]


def test_chord_tones_folded_onto_each_other_sound_once():
    narrow = Instrument("x", "x", 0, (60, 72), ())
    chord = [Note(p, 0, 2) for p in (48, 60, 64, 67)]
    fitted = fit_part(Part("harmony", 0, chord), narrow)
    assert sorted(n.pitch for n in fitted.notes) == [60, 64, 67]


def test_rock_guitar_plays_power_chords():
    chord = [Note(57, 0, 2), Note(60, 0, 2), Note(64, 0, 2)]
    assert sorted(n.pitch for n in power_chords(chord)) == [57, 64, 69]
    guitar = all_instruments()["distortion-guitar"]
    assert guitar.voicing == "power"
