"""A MIDI file as a piano roll: each track's notes in seconds (through the file's tempo map),
what the studio page draws and a script can read.

>>> import io, mido
>>> song = mido.MidiFile(ticks_per_beat=480)
>>> song.tracks.append(mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500000)]))
>>> song.tracks.append(mido.MidiTrack([mido.MetaMessage("track_name", name="bass"),
...     mido.Message("note_on", note=40, velocity=90, time=480), mido.Message("note_off", note=40, time=960)]))
>>> data = io.BytesIO(); song.save(file=data)
>>> piano_roll(data.getvalue())["parts"]
[{'name': 'bass', 'channel': 0, 'notes': [[0.5, 1.0, 40, 90]]}]
"""
from __future__ import annotations

import bisect
import io

import mido

from maestro_ai.core.errors import InvalidRequest

DEFAULT_TEMPO = 500_000  # microseconds a beat: MIDI's 120 BPM when a file sets none


def _seconds_of(midi: mido.MidiFile):
    """A function from absolute ticks to seconds, through every tempo change in the file."""
    changes = sorted((tick, msg.tempo) for track in midi.tracks for tick, msg in _absolute(track) if msg.type == "set_tempo")
    if not changes or changes[0][0] > 0:
        changes.insert(0, (0, DEFAULT_TEMPO))
    ticks, seconds = [changes[0][0]], [0.0]
    for (tick, tempo), (next_tick, _) in zip(changes, changes[1:], strict=False):
        ticks.append(next_tick)
        seconds.append(seconds[-1] + mido.tick2second(next_tick - tick, midi.ticks_per_beat, tempo))

    def at(tick: int) -> float:
        i = bisect.bisect_right(ticks, tick) - 1
        return seconds[i] + mido.tick2second(tick - ticks[i], midi.ticks_per_beat, changes[i][1])
    return at


def _absolute(track: mido.MidiTrack):
    now = 0
    for msg in track:
        now += msg.time
        yield now, msg


def piano_roll(data: bytes) -> dict:
    """{"duration": seconds, "parts": [{"name", "channel", "notes": [[start, seconds, pitch, velocity], ...]}]}
    for the Standard MIDI File `data` (tracks without notes left out)."""
    try:
        midi = mido.MidiFile(file=io.BytesIO(data))
    except (OSError, EOFError, ValueError, KeyError, IndexError) as exc:
        raise InvalidRequest(f"not a readable MIDI file: {exc}") from None
    seconds = _seconds_of(midi)
    parts, end = [], 0.0
    for number, track in enumerate(midi.tracks):
        name, channel, sounding, notes = track.name or f"track {number}", 0, {}, []
        for tick, msg in _absolute(track):
            if msg.type == "note_on" and msg.velocity > 0:
                sounding.setdefault((msg.channel, msg.note), []).append((tick, msg.velocity))
                channel = msg.channel
            elif msg.type in ("note_on", "note_off") and sounding.get((msg.channel, msg.note)):
                start, velocity = sounding[(msg.channel, msg.note)].pop(0)
                begin = seconds(start)
                notes.append([round(begin, 4), round(seconds(tick) - begin, 4), msg.note, velocity])
                end = max(end, seconds(tick))
        if notes:
            parts.append({"name": name, "channel": channel, "notes": sorted(notes)})
    return {"duration": round(end, 4), "parts": parts}
