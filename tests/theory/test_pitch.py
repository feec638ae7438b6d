import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.theory.pitch import midi_to_name, note_to_midi


def test_note_names_and_midi_numbers():
    assert note_to_midi("A4") == 69 and midi_to_name(69) == "A4" and note_to_midi("Bb3") == 58
    assert midi_to_name(70, flats=True) == "Bb4"
    for bad in ("C99", "H4", "C"):
        with pytest.raises(InvalidRequest):
            note_to_midi(bad)
