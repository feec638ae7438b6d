"""Read the user's `melody_midi` seed: a .mid path, raw MIDI bytes, note names or chord symbols.

(A recording is transcribed to MIDI bytes first, by the pipeline: see production.transcription.)

>>> seed = read_seed("Cmaj7 G6")
>>> [c.symbol for c in seed.chords]
['Cmaj7', 'G6']
>>> [(n.pitch, n.duration) for n in read_seed("E4 G4:0.5 B4:0.5 D5:2").melody]
[(64, 1.0), (67, 0.5), (71, 0.5), (74, 2.0)]
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import mido

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.limits import SEED_MELODY_BEATS
from maestro_ai.core.score import Chord, Note
from maestro_ai.core.seed import Seed
from maestro_ai.io.stream import READABLE
from maestro_ai.theory.chords import is_chord_symbol, parse_chord
from maestro_ai.theory.pitch import note_to_midi

_NOTE_TOKEN = re.compile(r"^([A-Ga-g][#b♯♭]*-?\d+|[rR])(?::(\d+(?:\.\d+)?|\d+/\d+))?$")
MIDI_SUFFIXES = (".mid", ".midi")
MAX_TOKENS = 2048  # a typed seed longer than this is refused (only 64 beats are used anyway)


def _duration(text: str | None) -> float:
    if text is None:
        return 1.0
    if "/" in text:
        num, den = text.split("/")
        return float(num) / float(den)
    return float(text)


def _parse_text(text: str) -> Seed:
    tokens = text.replace(",", " ").replace("|", " ").split()
    if len(tokens) > MAX_TOKENS:
        raise InvalidRequest(f"melody_midi holds {len(tokens)} notes or chords; give at most {MAX_TOKENS} "
                             f"(only the first {SEED_MELODY_BEATS:g} beats are used)")
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
    if notes[-1].end > SEED_MELODY_BEATS:
        notes = [n for n in notes if n.start < SEED_MELODY_BEATS]
    return Seed(melody=notes, source=source)


def parse_midi(data: bytes, name: str) -> Seed:
    """The top line of the MIDI track with the most notes, on a 16th grid from its first onset."""
    try:
        midi = mido.MidiFile(file=io.BytesIO(data))
    except Exception as exc:  # mido raises many types for corrupt files
        reason = str(exc) or "the file is cut short (truncated)"
        raise InvalidRequest(f"cannot read MIDI {name}: {reason}; give a standard .mid file") from None
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


def is_audio(value: object) -> bool:
    """Whether a melody_midi value names a recording (transcribed before it is read)."""
    return isinstance(value, (str, Path)) and str(value).strip().lower().endswith(READABLE)


def midi_file_bytes(value: str | Path) -> bytes:
    """The bytes of a .mid file named by a melody_midi value."""
    path = Path(str(value).strip()).expanduser()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidRequest(f"cannot read melody file {str(path)!r}: {exc.strerror}") from None


def is_midi_file(value: object) -> bool:
    return isinstance(value, Path) or (isinstance(value, str) and value.strip().lower().endswith(MIDI_SUFFIXES))


def looks_like_a_file(value: str) -> bool:
    """A single word with a file extension ('tune.txt'), or the name of a file that exists."""
    text = value.strip()
    return len(text.split()) == 1 and (bool(re.search(r"\.[A-Za-z][A-Za-z0-9]{1,4}$", text)) or Path(text).is_file())


def read_seed(value: str | bytes | Path | None) -> Seed | None:
    """Turn a `melody_midi` value (text, MIDI bytes or a .mid path) into a Seed (None when nothing
    was given)."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        return parse_midi(bytes(value), "bytes")
    if is_audio(value):
        raise InvalidRequest(f"{str(value)!r} is a recording: give it to generate (it is transcribed there)")
    if is_midi_file(value):
        return parse_midi(midi_file_bytes(value), str(value).strip())
    if isinstance(value, str) and looks_like_a_file(value):
        raise InvalidRequest(f"cannot read melody file {value.strip()!r}: give a .mid file, a recording "
                             f"({', '.join(READABLE)}), note names like 'E4 G4:0.5' or chords like 'Cmaj7 G6'")
    if isinstance(value, str):
        return _parse_text(value)
    raise InvalidRequest(f"melody_midi must be a .mid path, MIDI bytes or text, not {type(value).__name__}")
