import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.key import Key
from maestro_ai.theory.chords import chord_symbol, is_chord_symbol, parse_chord, roman_to_chord


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
    with pytest.raises(InvalidRequest, match="cannot read chord"):
        parse_chord("Xq7")


def test_notes_are_not_chords():
    assert not is_chord_symbol("E4")
    assert is_chord_symbol("E")


def test_roman_numerals_follow_the_major_scale_with_accidentals():
    assert roman_to_chord("bVII", Key(9, "minor"))[0] == "G"
    assert roman_to_chord("V7", Key(0, "major"))[0] == "G7"
    assert roman_to_chord("ii7", Key(10, "major"))[0] == "Cm7"
    with pytest.raises(InvalidRequest):
        roman_to_chord("IX", Key(0, "major"))
