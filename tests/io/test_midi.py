import io

import mido

from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.performance import Performance, PlayedNote, PlayedPart
from maestro_ai.io.midi import key_signature, midi_bytes, write_midi


def _perf():
    parts = [PlayedPart("bass", 32, False, 0, "Acoustic Bass", [PlayedNote(0, 480, 45, 90), PlayedNote(480, 960, 45, 80)]),
             PlayedPart("drums", 0, True, 9, "Standard Kit", [PlayedNote(0, 60, 36, 110)])]
    return Performance(96.0, TimeSignature(6, 8), Key(2, "minor"), parts, 1920)


def test_midi_reads_back_with_mido(tmp_path):
    midi = mido.MidiFile(file=io.BytesIO(midi_bytes(_perf())))
    metas = {m.type: m for m in midi.tracks[0]}
    assert round(mido.tempo2bpm(metas["set_tempo"].tempo)) == 96 and metas["key_signature"].key == "Dm"
    assert (metas["time_signature"].numerator, metas["time_signature"].denominator) == (6, 8)
    bass = midi.tracks[1]
    assert [m.program for m in bass if m.type == "program_change"] == [32]
    assert [m.note for m in bass if m.type == "note_on"] == [45, 45]
    assert all(m.channel == 9 for m in midi.tracks[2] if m.type == "note_on")
    assert write_midi(_perf(), tmp_path / "s.mid").read_bytes() == midi_bytes(_perf())


def test_modes_take_their_parent_key_signature():
    assert key_signature(Key(2, "dorian")) == "C" and key_signature(Key(4, "phrygian")) == "C"
    assert key_signature(Key(9, "minor")) == "Am" and key_signature(Key(10, "major")) == "Bb"
