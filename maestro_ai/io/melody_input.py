"""Read the user's `melody_midi` seed: a .mid path, raw MIDI bytes, an audio file (transcribed),
note names or chord symbols.

>>> seed = read_seed("Cmaj7 G6")
>>> [c.symbol for c in seed.chords]
['Cmaj7', 'G6']
>>> [(n.pitch, n.duration) for n in read_seed("E4 G4:0.5 B4:0.5 D5:2").melody]
[(64, 1.0), (67, 0.5), (71, 0.5), (74, 2.0)]
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.score import Chord, Note
from maestro_ai.theory.chords import chord_symbol, is_chord_symbol, parse_chord
from maestro_ai.theory.pitch import note_to_midi

_NOTE_TOKEN = re.compile(r"^([A-Ga-g][#b♯♭]*-?\d+|[rR])(?::(\d+(?:\.\d+)?|\d+/\d+))?$")
MAX_SEED_BEATS = 64.0


@dataclass
class Seed:
    """What the user gave to start from: a melody (beats from 0) and/or a chord progression."""

    melody: list[Note] | None = None
    chords: list[Chord] | None = None
    source: str = ""


def _duration(text: str | None) -> float:
    if text is None:
        return 1.0
    if "/" in text:
        num, den = text.split("/")
        return float(num) / float(den)
    return float(text)


def _parse_text(text: str) -> Seed:
    tokens = text.replace(",", " ").replace("|", " ").split()
    if not tokens:
        raise InvalidRequest("melody_midi is empty; give note names like 'E4 G4 B4', chords like 'Cmaj7 G6' or a .mid file")
    if all(is_chord_symbol(t) for t in tokens):
        chords = []
        for i, token in enumerate(tokens):
            root, intervals, bass = parse_chord(token)
            chords.append(Chord(token, root, intervals, start=4.0 * i, duration=4.0, bass=bass))
        return Seed(chords=chords, source="chords")
    notes, t = [], 0.0
    for token in tokens:
        m = _NOTE_TOKEN.match(token)
        if not m:
            raise InvalidRequest(f"cannot read melody token {token!r}; write notes like 'E4' or 'E4:0.5' "
                                 "(duration in beats), rests as 'r:1', or chords like 'Cmaj7 G6'")
        dur = _duration(m.group(2))
        if not 0.125 <= dur <= 16:
            raise InvalidRequest(f"duration of {token!r} must be between 1/8 and 16 beats")
        if m.group(1).lower() != "r":
            notes.append(Note(note_to_midi(m.group(1)), t, dur, 96))
        t += dur
    return _checked_melody(notes, "notes")


def _checked_melody(notes: list[Note], source: str) -> Seed:
    if not notes:
        raise InvalidRequest("melody_midi holds no notes; give at least one note")
    if notes[-1].end > MAX_SEED_BEATS:
        notes = [n for n in notes if n.start < MAX_SEED_BEATS]
    return Seed(melody=notes, source=source)


def _parse_midi(data: bytes, name: str) -> Seed:
    import mido

    try:
        midi = mido.MidiFile(file=io.BytesIO(data))
    except Exception as exc:  # mido raises many types for corrupt files
        raise InvalidRequest(f"cannot read MIDI {name}: {exc}; give a standard .mid file") from None
    per_beat = midi.ticks_per_beat
    tracks = []
    for track in midi.tracks:
        t, active, notes = 0, {}, []
        for msg in track:
            t += msg.time
            if msg.type == "note_on" and msg.velocity > 0 and msg.channel != 9:
                active[msg.note] = (t, msg.velocity)
            elif msg.type in ("note_off", "note_on") and msg.note in active:
                start, vel = active.pop(msg.note)
                notes.append((start, t, msg.note, vel))
        tracks.append(notes)
    notes = max(tracks, key=len, default=[])
    if not notes:
        raise InvalidRequest(f"MIDI {name} has no pitched notes; give a file with a melody")
    # Keep the top line: at each onset the highest note, cut where the next onset begins.
    by_onset: dict[int, tuple] = {}
    for n in sorted(notes):
        if n[0] not in by_onset or n[2] > by_onset[n[0]][2]:
            by_onset[n[0]] = n
    onsets = sorted(by_onset)
    first = onsets[0]
    melody = []
    for i, onset in enumerate(onsets):
        start, end, pitch, vel = by_onset[onset]
        if i + 1 < len(onsets):
            end = min(end, onsets[i + 1])
        q = lambda ticks: round((ticks - first) / per_beat * 4) / 4  # noqa: E731 - 16th grid
        s, e = q(start), max(q(end), q(start) + 0.25)
        melody.append(Note(pitch, s, e - s, int(vel)))
    return _checked_melody(melody, "midi")


AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".aif", ".aiff")


def read_seed(value: str | bytes | Path | None, tempo_bpm: float | None = None) -> Seed | None:
    """Turn any accepted `melody_midi` value into a Seed (None when nothing was given).

    An audio file (a hummed, sung or played melody) is transcribed with basic-pitch; its seconds
    become beats at `tempo_bpm` (default 100), so hum at the tempo you ask for."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (bytes, bytearray)):
        return _parse_midi(bytes(value), "bytes")
    if isinstance(value, (str, Path)) and str(value).strip().lower().endswith(AUDIO_SUFFIXES):
        from maestro_ai.production.transcribe import melody_midi_bytes

        path = Path(str(value).strip()).expanduser()
        seed = _parse_midi(melody_midi_bytes(path, tempo_bpm or 100.0), str(path))
        return Seed(melody=seed.melody, source="audio")
    if isinstance(value, Path) or (isinstance(value, str) and value.strip().lower().endswith((".mid", ".midi"))):
        path = Path(value).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidRequest(f"cannot read melody file {str(path)!r}: {exc.strerror}") from None
        return _parse_midi(data, str(path))
    if isinstance(value, str):
        return _parse_text(value)
    raise InvalidRequest(f"melody_midi must be a .mid path, MIDI bytes or text, not {type(value).__name__}")


def seed_chord_symbols(seed: Seed) -> list[str]:
    """Chord symbols of a chord seed, normalized."""
    return [chord_symbol(c.root, c.intervals, bass=c.bass) for c in seed.chords or []]
