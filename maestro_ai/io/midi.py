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
from maestro_ai.core.performance import BEND, PPQ, Performance
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


LYRIC = -2  # a lyric event among a track's controls (Control numbers are 0-127, BEND is -1)


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
        if not track.is_drum or track.program:  # a drum kit other than the standard one: GS kit number
            mt.append(mido.Message("program_change", channel=track.channel, program=track.program, time=0))
        if track.bend_range != 2:  # RPN 0, pitch-bend sensitivity, in semitones
            for number, value in ((101, 0), (100, 0), (6, track.bend_range), (38, 0), (101, 127), (100, 127)):
                mt.append(mido.Message("control_change", channel=track.channel, control=number, value=value, time=0))
        # At one tick: note-offs, then controls (a pedal lifts, a bend resets), then note-ons.
        events: list[tuple[int, int, int, int]] = []
        for n in track.notes:
            events.append((n.start, 2, n.pitch, n.velocity))
            events.append((n.end, 0, n.pitch, 0))
        events += [(c.tick, 1, c.number, c.value) for c in track.controls]
        events += [(tick, 1, LYRIC, i) for i, (tick, _) in enumerate(track.lyrics)]
        events.sort()
        now = 0
        for tick, kind, number, value in events:
            if kind == 1 and number == LYRIC:
                message = mido.MetaMessage("lyrics", text=track.lyrics[value][1], time=tick - now)
            elif kind == 1:
                message = (mido.Message("pitchwheel", channel=track.channel, pitch=value, time=tick - now) if number == BEND
                           else mido.Message("control_change", channel=track.channel, control=number, value=value,
                                             time=tick - now))
            else:
                message = mido.Message("note_on" if kind else "note_off", channel=track.channel, note=number,
                                       velocity=value, time=tick - now)
            mt.append(message)
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
