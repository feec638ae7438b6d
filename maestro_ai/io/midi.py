"""Write a performance as a Standard MIDI File (type 1): a tempo/metre/key track, then one
track per part with its name and program. The bytes depend only on the performance.

>>> from maestro_ai.core.key import Key
>>> from maestro_ai.core.meter import TimeSignature
>>> from maestro_ai.core.performance import Performance, PlayedNote, PlayedPart
>>> perf = Performance(90.0, TimeSignature(4, 4), Key(9, "minor"),
...                    [PlayedPart("bass", 32, False, 0, "", [PlayedNote(0, 480, 45, 90)])], 1920)
>>> len(midi_bytes(perf)) > 50
True
"""
from __future__ import annotations

import io
from pathlib import Path

import mido

from maestro_ai.core.key import Key
from maestro_ai.core.performance import PPQ, Performance
from maestro_ai.io.atomic import atomic_path

# Semitones from a mode's tonic down to the tonic of the major scale that shares its notes.
_PARENT_MAJOR = {"major": 0, "dorian": 2, "phrygian": 4, "lydian": 5, "mixolydian": 7}
_MAJOR_SIGNATURES = ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
_MINOR_SIGNATURES = ["Cm", "C#m", "Dm", "Ebm", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "Bbm", "Bm"]


def key_signature(key: Key) -> str:
    """mido's key-signature name for a key: A minor -> 'Am', D dorian -> 'C'.

    >>> key_signature(Key(9, "minor")), key_signature(Key(2, "dorian"))
    ('Am', 'C')
    """
    tonic, mode = key
    if mode == "minor":
        return _MINOR_SIGNATURES[tonic]
    return _MAJOR_SIGNATURES[(tonic - _PARENT_MAJOR[mode]) % 12]


def to_midifile(perf: Performance) -> mido.MidiFile:
    """Build the mido MidiFile of a performance."""
    midi = mido.MidiFile(type=1, ticks_per_beat=PPQ)
    meta = mido.MidiTrack()
    meta.append(mido.MetaMessage("track_name", name="Maestro", time=0))
    meta.append(mido.MetaMessage("set_tempo", tempo=int(round(mido.bpm2tempo(perf.tempo))), time=0))
    num, den = perf.time_signature
    meta.append(mido.MetaMessage("time_signature", numerator=num, denominator=den, time=0))
    meta.append(mido.MetaMessage("key_signature", key=key_signature(perf.key), time=0))
    meta.append(mido.MetaMessage("end_of_track", time=perf.length_ticks))
    midi.tracks.append(meta)
    for track in perf.parts:
        mt = mido.MidiTrack()
        mt.append(mido.MetaMessage("track_name", name=track.name, time=0))
        if track.instrument:
            mt.append(mido.MetaMessage("instrument_name", name=track.instrument, time=0))
        if not track.is_drum:
            mt.append(mido.Message("program_change", channel=track.channel, program=track.program, time=0))
        events = []
        for n in track.notes:
            events.append((n.start, 1, n.pitch, n.velocity))
            events.append((n.end, 0, n.pitch, 0))
        events.sort()  # at equal times note-offs (0) come before note-ons (1)
        now = 0
        for tick, on, pitch, vel in events:
            kind = "note_on" if on else "note_off"
            mt.append(mido.Message(kind, channel=track.channel, note=pitch, velocity=vel if on else 0, time=tick - now))
            now = tick
        mt.append(mido.MetaMessage("end_of_track", time=max(0, perf.length_ticks - now)))
        midi.tracks.append(mt)
    return midi


def midi_bytes(perf: Performance) -> bytes:
    """The Standard MIDI File of a performance, as bytes."""
    buffer = io.BytesIO()
    to_midifile(perf).save(file=buffer)
    return buffer.getvalue()


def write_midi(perf: Performance, path: Path) -> Path:
    """Write song.mid atomically."""
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(midi_bytes(perf))
    return Path(path)
