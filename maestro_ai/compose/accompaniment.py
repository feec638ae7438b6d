"""Accompaniment: the harmony part's comping, sustained pads, and counter-lines.

>>> from maestro_ai.core.score import Chord
>>> notes = comp([Chord("Cmaj7", 0, (0, 4, 7, 11), 0, 4)], "charleston", lambda b: 0.6, np.random.default_rng(0))
>>> sorted({n.start for n in notes})
[0.0, 1.5]
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from maestro_ai.core.score import Chord, Note, Section
from maestro_ai.theory.voicing import drop2, voice_chord

# Comping rhythms: (onset, duration) in beats within a 4-beat span; None means "the whole chord".
COMPING: dict[str, list[tuple[float, float]] | None] = {
    "sustain": None,
    "lazy": [(0.0, 2.4), (2.5, 1.4)],
    "stabs": [(0.5, 0.3), (1.5, 0.3), (2.5, 0.3), (3.5, 0.3)],
    "quarters": [(0.0, 0.9), (1.0, 0.9), (2.0, 0.9), (3.0, 0.9)],
    "pulse8": [(i * 0.5, 0.45) for i in range(8)],
    "charleston": [(0.0, 1.0), (1.5, 0.5)],
    "arpeggio": [(i * 0.5, 0.9) for i in range(8)],
}


# A string ostinato: driving eighths over each chord, low, middle, top, middle, the root on the
# beat (the chord's lowest voice an octave down, as cellos and violas take it).
OSTINATO = (0, 1, 2, 1)
OSTINATO_ACCENT = 10  # on the beat
HELD_LEVEL = 0.75  # the velocity of a section's held chords (breakdowns, intros), as a share of its comping


def _pcs(chord: Chord, limit: int = 4) -> tuple[int, ...]:
    """Pitch classes to voice: with more than `limit`, the fifth goes first."""
    pcs = [(chord.root + i) % 12 for i in chord.intervals]
    if len(pcs) > limit and (chord.root + 7) % 12 in pcs:
        pcs.remove((chord.root + 7) % 12)
    return tuple(dict.fromkeys(pcs[:limit]))


def comp(chords: list[Chord], style: str, energies: Callable[[float], float], rng: np.random.Generator,
         low: int = 52, high: int = 76, modes: Callable[[float], str] | None = None,
         voicing_style: str = "close") -> list[Note]:
    """The harmony part: voice-led chords in the genre's comping rhythm, voiced close or as
    drop-2 (`voicing_style`); `modes(beat)` says where it plays ("on"), holds whole chords
    ("held"), drives an ostinato of eighths ("ostinato") or rests ("off")."""
    notes: list[Note] = []
    previous: list[int] | None = None
    for chord in chords:
        mode = modes(chord.start) if modes else "on"
        if mode == "off":
            continue
        close = voice_chord(_pcs(chord), previous, low + (5 if voicing_style == "drop2" else 0), high)
        previous = close
        voicing = drop2(close) if voicing_style == "drop2" else close
        energy = energies(chord.start)
        base = int(np.clip(55 + 40 * energy, 35, 110))
        if mode == "ostinato":
            notes += ostinato(close, chord, base)
            continue
        pattern = COMPING[style]
        if pattern is None or energy < 0.25 or mode == "held":
            held = int(base * HELD_LEVEL) if mode == "held" else base  # held chords sit under the rest
            notes += [Note(p, chord.start, chord.duration * 0.98, held) for p in voicing]
            continue
        span = 0.0
        while span < chord.duration - 1e-9:
            for i, (onset, dur) in enumerate(pattern):
                if span + onset >= chord.duration - 1e-9:
                    break
                if style == "stabs" and energy < 0.5 and i % 2 == 0:
                    continue
                start = chord.start + span + onset
                dur = min(dur, chord.duration - span - onset)
                vel = base - (10 if onset % 1 else 0) + int(rng.integers(-3, 4))
                if style == "arpeggio":
                    pitch = voicing[[0, 1, 2, 1, 3, 1, 2, 1][i % 8] % len(voicing)]
                    notes.append(Note(pitch, start, dur, vel))
                else:
                    notes += [Note(p, start, dur, vel) for p in voicing]
            span += 4.0
    return notes


def ostinato(voicing: list[int], chord: Chord, velocity: int) -> list[Note]:
    """Eighths over `chord` through OSTINATO's voices of its voicing, the lowest an octave down,
    short and accented on the beat.

    >>> [n.pitch for n in ostinato([60, 64, 67], Chord("C", 0, (0, 4, 7), 0.0, 2.0), 80)]
    [48, 64, 67, 64]
    """
    voices = sorted(voicing)[:3]
    voices[0] -= 12
    notes, step = [], 0
    while step * 0.5 < chord.duration - 1e-9:
        offset = step * 0.5
        accent = OSTINATO_ACCENT if offset % 1 == 0 else 0
        notes.append(Note(voices[OSTINATO[step % len(OSTINATO)] % len(voices)], chord.start + offset,
                          min(0.4, chord.duration - offset), int(np.clip(velocity + accent, 1, 127))))
        step += 1
    return notes


def pad(chords: list[Chord], sections: list[Section], bar_beats: float, always: bool,
        plays: Callable[[Section], bool] | None = None) -> list[Note]:
    """Sustained chords in a higher register: everywhere for ambient styles, else in the sections
    `plays` names (by default all but the verses)."""
    plays = plays or (lambda s: s.name != "verse")
    notes: list[Note] = []
    previous: list[int] | None = None
    for chord in chords:
        section = next(s for s in sections if s.start_bar * bar_beats <= chord.start < s.end_bar * bar_beats)
        voicing = voice_chord(_pcs(chord, 3), previous, 60, 84)
        previous = voicing
        if always or plays(section):
            vel = int(np.clip(40 + 35 * section.energy, 30, 90))
            notes += [Note(p, chord.start, chord.duration * 0.99, vel) for p in voicing]
    return notes


def counter_line(chords: list[Chord], sections: list[Section], bar_beats: float, style: str,
                 rng: np.random.Generator, plays: Callable[[Section], bool] | None = None) -> list[Note]:
    """A second voice for the sections `plays` names (by default choruses and bridges): an
    arpeggio, or a guide-tone line (3rds and 7ths)."""
    plays = plays or (lambda s: s.name in ("chorus", "bridge"))
    notes: list[Note] = []
    previous = 76
    for chord in chords:
        section = next(s for s in sections if s.start_bar * bar_beats <= chord.start < s.end_bar * bar_beats)
        if not plays(section):
            continue
        vel = int(np.clip(50 + 40 * section.energy, 30, 110))
        if style == "arpeggio":
            voicing = voice_chord(_pcs(chord, 3), None, 67, 86)
            order = voicing + voicing[-2:0:-1]
            steps = int(chord.duration / 0.5)
            notes += [Note(order[i % len(order)], chord.start + i * 0.5, 0.45, vel - 6 * (i % 2)) for i in range(steps)]
        else:
            guides = [(chord.root + i) % 12 for i in chord.intervals if i in (3, 4, 10, 11)] or [chord.root]
            half = min(2.0, chord.duration)
            t = 0.0
            while t < chord.duration - 1e-9:
                pc = guides[int(t // half) % len(guides)]
                pitch = min((p for p in range(67, 89) if p % 12 == pc), key=lambda p: abs(p - previous))
                notes.append(Note(pitch, chord.start + t, min(half, chord.duration - t) * 0.95, vel))
                previous = pitch
                t += half
    return notes
