from maestro_ai.core.key import Key
from maestro_ai.theory.diatonic import diatonic_candidates, extend_chord, realize


def test_extension_levels_use_the_keys_own_sevenths_and_ninths():
    c = Key(0, "major")
    assert extend_chord(0, (0, 4, 7), c, 0) == (0, 4, 7)
    assert extend_chord(0, (0, 4, 7), c, 1) == (0, 4, 7, 11)  # Cmaj7 in C
    assert extend_chord(7, (0, 4, 7), c, 1) == (0, 4, 7, 10)  # G7
    assert extend_chord(2, (0, 3, 7), c, 2) == (0, 3, 7, 10, 14)  # Dm9
    assert extend_chord(0, (0, 7), c, 2) == (0, 7)  # a power chord stays one


def test_numerals_and_candidates_in_a_key():
    assert [s for s, _, _ in realize("i iv V7", Key(9, "minor"), 0)] == ["Am", "Dm", "E"]  # level 0: triads only
    candidates = diatonic_candidates(Key(2, "minor"), 1)
    assert [root for _, root, _ in candidates] == [2, 4, 5, 7, 9, 10, 0] and all(len(i) == 4 for _, _, i in candidates)
