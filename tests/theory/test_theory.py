import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.theory.chords import chord_symbol, is_chord_symbol, parse_chord, roman_to_chord
from maestro_ai.theory.pitch import midi_to_name, note_to_midi
from maestro_ai.theory.scales import key_name, parse_key, scale_pitch_classes
from maestro_ai.theory.voicing import voice_chord


@pytest.mark.parametrize("symbol,pcs", [
    ("Cmaj7", {0, 4, 7, 11}), ("G6", {7, 11, 2, 4}), ("Am9", {9, 0, 4, 7, 11}), ("F#m7b5", {6, 9, 0, 4}),
    ("Bbsus4", {10, 3, 5}), ("Ebdim7", {3, 6, 9, 0}), ("D7", {2, 6, 9, 0}),
])
def test_chord_symbols_give_the_right_pitch_classes(symbol, pcs):
    root, intervals, _ = parse_chord(symbol)
    assert {(root + i) % 12 for i in intervals} == pcs


def test_slash_chords_and_printing_round_trip():
    root, intervals, bass = parse_chord("C/E")
    assert (root, bass) == (0, 4)
    assert chord_symbol(root, intervals, bass=bass) == "C/E"
    assert chord_symbol(*parse_chord("Dm7")[:2]) == "Dm7"


def test_notes_are_not_chords():
    assert not is_chord_symbol("E4")
    assert is_chord_symbol("E")


def test_roman_numerals_follow_the_major_scale_with_accidentals():
    assert roman_to_chord("bVII", 9, "minor")[0] == "G"
    assert roman_to_chord("V7", 0, "major")[0] == "G7"
    assert roman_to_chord("ii7", 10, "major")[0] == "Cm7"


def test_keys_and_notes():
    assert parse_key("Eb major") == (3, "major")
    assert parse_key("F#m") == (6, "minor")
    assert key_name(*parse_key("d dorian")) == "D dorian"
    assert scale_pitch_classes(7, "mixolydian") == (7, 9, 11, 0, 2, 4, 5)
    assert note_to_midi("A4") == 69 and midi_to_name(69) == "A4"
    with pytest.raises(InvalidRequest):
        parse_key("H major")
    with pytest.raises(InvalidRequest):
        note_to_midi("C99")


def test_voice_leading_keeps_common_tones_and_moves_little():
    c = voice_chord((0, 4, 7), None, 52, 72)
    am = voice_chord((9, 0, 4), c, 52, 72)
    assert len(set(c) & set(am)) == 2  # C and E stay put
    assert sum(min(abs(n - p) for p in c) for n in am) <= 2
