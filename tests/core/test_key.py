import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.key import Key, pc_name, pitch_class


def test_keys_read_and_print():
    assert Key.parse("Eb major") == (3, "major") and Key.parse("F#m") == Key(6, "minor")
    assert str(Key.parse("d dorian")) == "D dorian" and Key.parse("A aeolian").mode == "minor"
    assert Key(7, "mixolydian").scale == (7, 9, 11, 0, 2, 4, 5)
    assert Key(2, "minor").flats and not Key(4, "major").flats
    tonic, mode = Key(9, "minor")  # a key is still a (tonic, mode) pair
    assert (tonic, mode) == (9, "minor") and Key(9, "minor").minor_like


@pytest.mark.parametrize("text", ["H major", "", "C minor major", "C weird", 5, None])
def test_bad_keys_are_refused(text):
    with pytest.raises(InvalidRequest):
        Key.parse(text)


def test_a_key_checks_itself():
    with pytest.raises(InvalidRequest):
        Key(12, "major")
    with pytest.raises(InvalidRequest):
        Key(0, "blues")


def test_pitch_class_names():
    assert pitch_class("Bb") == 10 and pitch_class("c#") == 1 and pc_name(10, flats=True) == "Bb"
    with pytest.raises(InvalidRequest):
        pitch_class("X")
