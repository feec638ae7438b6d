"""Expression: how a player shapes the notes, written as MIDI controllers and pitch bends.

Each instrument names what it plays with (instruments.toml): the sustain pedal (CC64, lifted and
pressed again at each change of harmony), swells (CC11, rising into a long note or chord and
easing off), vibrato (CC1, fading in on long notes), 808 glides (a pitch bend from the previous
note into the next), guitar bends (a whole step up into a long note), legato (connected notes of
a line slurred: each held a little into the next, the slurred one not attacked as hard) and slides
(some connected notes of a mono synth held into the next, which the synth glides into, as a 303
or a portamento lead does). Velocities are scaled into the range the player uses. Everything
lands in song.mid, and the renderers play it.

>>> from maestro_ai.core.instrument import Instrument
>>> from maestro_ai.core.performance import PlayedNote, PlayedPart
>>> piano = Instrument("grand-piano", "Grand Piano", 0, (21, 108), (), frozenset({"pedal"}), (30, 118))
>>> chords = [PlayedNote(t, t + 1800, p, 90) for t in (0, 1920) for p in (60, 64, 67)]
>>> part = express(PlayedPart("harmony", 0, False, 0, "", chords), piano, 1920, np.random.default_rng(0))
>>> [(c.tick, c.number, c.value) for c in part.controls]
[(40, 64, 127), (1910, 64, 0), (1960, 64, 127), (3710, 64, 0)]
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np

from maestro_ai.core.instrument import Instrument
from maestro_ai.core.performance import BEND, PPQ, Control, PlayedNote, PlayedPart

PEDAL, EXPRESSION, MODULATION = 64, 11, 1
LONG_NOTE = PPQ  # a note of a beat or more gets vibrato and swells
STEP = PPQ // 8  # controller curves are written every 32nd note
GLIDE_SEMITONES = 12  # 808 bends reach an octave (the bend range song.mid declares)
GLIDE_TICKS = PPQ // 6
GLIDE_SHARE = 0.35  # of the note changes within an octave, how many slide
BEND_SHARE = 0.3  # of a guitar's long notes, how many are bent up into
LEGATO_SHARE = 0.75  # of a line's connected notes, how many a player slurs
SLIDE_SHARE = 0.3  # of a mono synth's connected notes, how many slide (a 303 pattern's share)
LEGATO_OVERLAP = PPQ // 16  # how far a slurred note is held into the next
CONNECTED = PPQ // 8  # a gap this short (or none) joins two notes of a line
SLUR_VELOCITY = 8  # a slurred note is not tongued or bowed anew: it starts this much softer
VELOCITY_STEP = 4  # as the performer rounds them: repeated notes stay identical, and render once


def express(part: PlayedPart, instrument: Instrument, bar_ticks: int, rng: np.random.Generator) -> PlayedPart:
    """`part` as `instrument` plays it: its velocities, controllers and bends."""
    notes = [replace(n, velocity=_stepped(instrument.played_velocity(n.velocity, n.pitch))) for n in part.notes]
    if not part.is_drum and "legato" in instrument.expression:
        notes = slurred(notes, rng, LEGATO_SHARE, SLUR_VELOCITY)
    elif not part.is_drum and "slide" in instrument.expression:
        notes = slurred(notes, rng, SLIDE_SHARE, 0)
    controls: list[Control] = []
    bend_range = part.bend_range
    if not part.is_drum:
        if "pedal" in instrument.expression:
            controls += pedal(notes, bar_ticks)
        if "swell" in instrument.expression:
            controls += swells(notes)
        if "vibrato" in instrument.expression:
            controls += vibrato(notes)
        if "glide" in instrument.expression:
            controls += glides(notes, rng)
            bend_range = GLIDE_SEMITONES
        elif "bend" in instrument.expression:
            controls += bends(notes, rng, part.bend_range)
    controls.sort(key=lambda c: (c.tick, c.number))
    return replace(part, program=instrument.gm, instrument=instrument.name, notes=notes, controls=controls,
                   bend_range=bend_range)


def _stepped(velocity: int) -> int:
    return int(np.clip(VELOCITY_STEP * round(velocity / VELOCITY_STEP), 1, 127))


def changes(notes: list[PlayedNote], bar_ticks: int) -> list[int]:
    """Where the harmony changes: ticks where two or more notes start together (a chord), or every
    bar for a single line."""
    chords = sorted(t for t, count in _onsets(notes).items() if count >= 2)
    if len(chords) >= 2:
        return chords
    end = max((n.end for n in notes), default=0)
    return list(range(0, end, bar_ticks))


def pedal(notes: list[PlayedNote], bar_ticks: int) -> list[Control]:
    """Legato pedalling: pressed just after each change (so the old harmony is not held into the
    new), lifted just before the next; lifted for good after the last notes."""
    if not notes:
        return []
    marks = changes(notes, bar_ticks)
    end = max(n.end for n in notes)
    out = []
    for i, t in enumerate(marks):
        up = (marks[i + 1] if i + 1 < len(marks) else end) - 10
        if up - (t + 40) >= PPQ // 2:  # too short a span to be worth the pedal
            out += [Control(t + 40, PEDAL, 127), Control(up, PEDAL, 0)]
    return out


def swells(notes: list[PlayedNote]) -> list[Control]:
    """CC11 curves: each long note or chord rises from 88 to 118 at 60% of its length and eases
    to 100; between them the level rests at 100."""
    spans: dict[int, int] = {}
    for n in notes:
        if n.end - n.start >= LONG_NOTE:
            spans[n.start] = max(spans.get(n.start, 0), n.end)
    out: list[Control] = []
    last_end = -1
    for start in sorted(spans):
        if start < last_end:  # inside an earlier swell: let it finish
            continue
        end = spans[start]
        peak = start + int(0.6 * (end - start))
        for t in range(start, end, STEP):
            x = (t - start) / max(1, peak - start) if t < peak else (t - peak) / max(1, end - peak)
            value = 88 + 30 * np.sin(0.5 * np.pi * x) if t < peak else 118 - 18 * x
            if not out or int(round(value)) != out[-1].value:
                out.append(Control(t, EXPRESSION, int(round(value))))
        out.append(Control(end, EXPRESSION, 100))
        last_end = end
    return out


def vibrato(notes: list[PlayedNote]) -> list[Control]:
    """CC1 fading in after the first third of each long note of the top line, off when it ends."""
    out: list[Control] = []
    top = _top_line(notes)
    for n in top:
        length = n.end - n.start
        if length < LONG_NOTE:
            continue
        onset = n.start + length // 3
        ramp = min(PPQ // 2, (n.end - onset) // 2)
        for k in range(1, 5):
            out.append(Control(onset + ramp * k // 4, MODULATION, 14 * k))
        out.append(Control(n.end, MODULATION, 0))
    return out


def glides(notes: list[PlayedNote], rng: np.random.Generator) -> list[Control]:
    """808 slides: some note changes within an octave start from the previous pitch and bend into
    the new one over a sixth of a beat (bend range: an octave)."""
    out: list[Control] = []
    line = _top_line(notes)
    for prev, n in zip(line, line[1:]):
        interval = prev.pitch - n.pitch
        if interval == 0 or abs(interval) > GLIDE_SEMITONES or n.start - prev.end > PPQ // 2:
            continue
        if rng.random() >= GLIDE_SHARE:
            continue
        glide = min(GLIDE_TICKS, max(1, (n.end - n.start) // 2))
        for k in range(4):
            value = _bend_value(interval * (1 - k / 4), GLIDE_SEMITONES)
            out.append(Control(n.start + glide * k // 4, BEND, value))
        out.append(Control(n.start + glide, BEND, 0))
    return out


def slurred(notes: list[PlayedNote], rng: np.random.Generator, share: float, softer: int) -> list[PlayedNote]:
    """`notes` with some connected pairs of single notes (no chord at either start, a different
    pitch, a gap of at most CONNECTED) slurred: the first is held LEGATO_OVERLAP into the second,
    which starts `softer` velocity lower."""
    starts = _onsets(notes)
    line = sorted((i for i, n in enumerate(notes) if starts[n.start] == 1), key=lambda i: notes[i].start)
    out = list(notes)
    for a, b in zip(line, line[1:]):
        first, second = out[a], out[b]
        if (second.pitch == first.pitch or not 0 <= second.start - first.end <= CONNECTED
                or first.end - first.start < CONNECTED or rng.random() >= share):
            continue
        out[a] = replace(first, end=second.start + min(LEGATO_OVERLAP, (second.end - second.start) // 2))
        out[b] = replace(second, velocity=_stepped(max(1, second.velocity - softer)))
    return out


def bends(notes: list[PlayedNote], rng: np.random.Generator, bend_range: int) -> list[Control]:
    """Guitar bends: some long notes of the top line are picked a whole step low and bent up."""
    out: list[Control] = []
    for n in _top_line(notes):
        if n.end - n.start < LONG_NOTE or rng.random() >= BEND_SHARE:
            continue
        rise = PPQ // 4
        for k in range(5):
            out.append(Control(n.start + rise * k // 4, BEND, _bend_value(-2 * (1 - k / 4), bend_range)))
    return out


def _bend_value(semitones: float, bend_range: int) -> int:
    return int(np.clip(round(semitones / bend_range * 8192), -8192, 8191))


def _onsets(notes: list[PlayedNote]) -> Counter[int]:
    """How many notes start at each tick."""
    return Counter(n.start for n in notes)


def _top_line(notes: list[PlayedNote]) -> list[PlayedNote]:
    """The highest note at each start: the line a single player's hand or breath shapes."""
    top: dict[int, PlayedNote] = {}
    for n in notes:
        if n.start not in top or n.pitch > top[n.start].pitch:
            top[n.start] = n
    return [top[t] for t in sorted(top)]
