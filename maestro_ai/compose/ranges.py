"""Orchestration: each part handed to its instrument, inside the range a player can reach.

A part is first moved by whole octaves to where most of it fits (a line keeps its shape); any note
still out of reach is then folded in by octaves, one at a time, and a chord tone that folds onto
another tone of the same chord is dropped.

>>> from maestro_ai.core.instrument import Instrument
>>> from maestro_ai.core.score import Note, Part
>>> horn = Instrument("french-horn", "French Horn", 60, (35, 77), ())
>>> part = fit_part(Part("melody", 0, [Note(79, 0, 1), Note(84, 1, 1), Note(72, 2, 1)]), horn)
>>> [n.pitch for n in part.notes], part.program, part.instrument
([67, 72, 60], 60, 'French Horn')
"""
from __future__ import annotations

from dataclasses import replace

from maestro_ai.core.instrument import Instrument
from maestro_ai.core.score import Chord, Note, Part, Score

OCTAVE_SHIFTS = (0, -12, 12, -24, 24, -36, 36)  # the smallest move that fits best wins


def octave_shift(pitches: list[int], low: int, high: int) -> int:
    """The whole-octave move that leaves the fewest pitches outside low-high (the smallest on ties).

    >>> octave_shift([80, 84, 86], 44, 75)
    -12
    """
    return min(OCTAVE_SHIFTS, key=lambda s: sum(not low <= p + s <= high for p in pitches))


def fold(pitch: int, low: int, high: int) -> int:
    """A pitch moved by octaves into low-high (the range spans an octave or more).

    >>> fold(90, 44, 75), fold(30, 44, 75)
    (66, 54)
    """
    while pitch > high:
        pitch -= 12
    while pitch < low:
        pitch += 12
    return pitch


def fit_part(part: Part, instrument: Instrument, chords: list[Chord] | None = None) -> Part:
    """The part as `instrument` plays it: its program and name, its chords voiced the instrument's
    way (power chords on the `chords`' roots, or open), every note within reach."""
    if instrument.kit or part.is_drum:
        return replace(part, program=instrument.gm, instrument=instrument.name)
    low, high = instrument.range
    if instrument.voicing == "power":
        part = replace(part, notes=power_chords(part.notes, chords))
    elif instrument.voicing == "open":
        part = replace(part, notes=open_voicing(part.notes))
    shift = octave_shift([n.pitch for n in part.notes], low, high) if instrument.voicing != "power" else 0
    notes: list[Note] = []
    seen: set[tuple[float, int]] = set()
    for n in part.notes:
        pitch = fold(n.pitch + shift, low, high)
        if (n.start, pitch) in seen:  # a chord tone folded onto another: played once
            continue
        seen.add((n.start, pitch))
        notes.append(Note(pitch, n.start, n.duration, n.velocity))
    return replace(part, program=instrument.gm, notes=notes, instrument=instrument.name)


POWER_ROOTS = (40, 59)  # E2-B3: where a rhythm guitarist's power chords sit


def _groups(notes: list[Note]) -> dict[float, list[Note]]:
    chords: dict[float, list[Note]] = {}
    for n in notes:
        chords.setdefault(n.start, []).append(n)
    return chords


def power_chords(notes: list[Note], chords: list[Chord] | None = None) -> list[Note]:
    """Each chord (notes starting together) as a rock guitarist plays it: the root of the chord
    sounding then (of its lowest note without `chords`) between E2 and B3, the fifth above and
    the octave; single notes stay.

    >>> [n.pitch for n in power_chords([Note(60, 0, 1), Note(63, 0, 1), Note(67, 0, 1), Note(70, 1, 1)])]
    [48, 55, 60, 70]
    >>> [n.pitch for n in power_chords([Note(64, 0, 1), Note(67, 0, 1), Note(72, 0, 1)], [Chord("C", 0, (0, 4, 7))])]
    [48, 55, 60]
    """
    out: list[Note] = []
    for start, group in sorted(_groups(notes).items()):
        if len(group) == 1:
            out.append(group[0])
            continue
        lowest = min(group, key=lambda n: n.pitch)
        chord = next((c for c in chords or [] if c.start <= start < c.end), None)
        pc = chord.bass_pc if chord else lowest.pitch % 12
        root = fold(pc + 12 * (lowest.pitch // 12), *POWER_ROOTS)
        out += [Note(root + step, start, lowest.duration, max(n.velocity for n in group)) for step in (0, 7, 12)]
    return out


def open_voicing(notes: list[Note]) -> list[Note]:
    """Each chord of three notes or more spread as an orchestra spaces it: its lowest note an
    octave down, under the others.

    >>> [n.pitch for n in open_voicing([Note(60, 0, 1), Note(64, 0, 1), Note(67, 0, 1), Note(72, 2, 1)])]
    [48, 64, 67, 72]
    """
    out: list[Note] = []
    for _, group in sorted(_groups(notes).items()):
        if len(group) >= 3:
            lowest = min(group, key=lambda n: n.pitch)
            group = [n.moved(-12) if n is lowest else n for n in group]
        out += sorted(group, key=lambda n: n.pitch)
    return out


def orchestrate(score: Score, orchestra: dict[str, Instrument]) -> Score:
    """Every part of `score` handed to its instrument in `orchestra` (parts it does not name stay)."""
    parts = [fit_part(p, orchestra[p.name], score.chords) if p.name in orchestra else p for p in score.parts]
    return replace(score, parts=parts)
