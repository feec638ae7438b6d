from maestro_ai.core.score import Note
from maestro_ai.io.melody_input import read_seed
from maestro_ai.theory.keys import estimate_key


def test_keys_of_chord_progressions():
    assert estimate_key(None, read_seed("Cmaj7 G6").chords) == (0, "major")
    assert estimate_key(None, read_seed("Am F C G").chords) == (9, "minor")
    assert estimate_key(None, read_seed("Dm7 G7 Cmaj7").chords) == (0, "major")


def test_key_of_a_melody():
    a_minor = [Note(p, i, 1.0) for i, p in enumerate([69, 72, 76, 74, 72, 71, 69])]
    assert estimate_key(a_minor, None) == (9, "minor")
    assert str(estimate_key(read_seed("G4 B4 D5 G5:2 F#5 D5 G4:2").melody, None)) == "G major"
