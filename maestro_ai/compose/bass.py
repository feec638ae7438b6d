"""Bass: locked to the harmony (roots on chord changes) and to the kick (onsets where it plays).

>>> from maestro_ai.core.score import Chord
>>> notes = compose_bass([Chord("C", 0, (0, 4, 7), 0, 4), Chord("G", 7, (0, 4, 7), 4, 4)],
...                      kicks=[0.0, 2.5, 4.0], energies=lambda b: 0.6, rng=np.random.default_rng(0))
>>> [(n.pitch % 12, n.start) for n in notes][:1], notes[0].pitch < 48
([(0, 0.0)], True)
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from maestro_ai.core.score import Chord, Note

LOW, HIGH = 28, 50  # E1 .. D3


def _place(pc: int, near: int) -> int:
    """The pitch of class `pc` nearest to `near`, inside the bass range."""
    best = min((p for p in range(LOW, HIGH + 1) if p % 12 == pc), key=lambda p: abs(p - near))
    return best


def compose_bass(chords: list[Chord], kicks: list[float], energies: Callable[[float], float],
                 rng: np.random.Generator, walking: bool = False, sustained: bool = False,
                 modes: Callable[[float], str] | None = None, driving: bool = False,
                 tonic: int | None = None) -> list[Note]:
    """Bass notes for the whole song. `energies(beat)` gives the section energy at a beat;
    `modes(beat)` whether the bass plays there ("on"), holds each root ("held"), holds the key's
    `tonic` under every chord ("pedal") or rests ("off");
    a `driving` bass plays the root in eighths (synthwave, rock), its octave on the off-beats
    where the section has the energy."""
    notes: list[Note] = []
    previous = 36
    kick_array = np.array(kicks)
    for index, chord in enumerate(chords):
        nxt = chords[index + 1] if index + 1 < len(chords) else None
        energy = energies(chord.start)
        mode = modes(chord.start) if modes else "on"
        if mode == "off":
            continue
        root = _place(chord.bass_pc, previous)
        velocity = int(np.clip(70 + 40 * energy, 40, 120))
        if mode in ("held", "pedal"):  # a pedal: the key's tonic held low while the chords move above
            pitch = _place(tonic, 33) if mode == "pedal" and tonic is not None else root
            notes.append(Note(pitch, chord.start, chord.duration * 0.98, velocity - 10))
            previous = pitch
            continue
        if driving and energy >= 0.3:
            steps = int(round(chord.duration / 0.5))
            octave = root + 12 if root + 12 <= HIGH and energy >= 0.7 else root
            notes += [Note(octave if i % 2 and i % 4 == 3 else root, chord.start + 0.5 * i, 0.45,
                           velocity - (0 if i % 2 == 0 else 10)) for i in range(steps)]
            previous = root
            continue
        if walking and energy >= 0.3:
            notes += _walk(chord, nxt, root, velocity, rng)
            previous = notes[-1].pitch
            continue
        if sustained or energy < 0.3 or len(kick_array) == 0:
            notes.append(Note(root, chord.start, chord.duration * 0.98, velocity))
            previous = root
            continue
        inside = kick_array[(kick_array >= chord.start) & (kick_array < chord.end)]
        onsets = sorted({float(chord.start), *inside.tolist()})
        fifth = _place((chord.root + 7) % 12, root + 7)
        for i, onset in enumerate(onsets):
            end = onsets[i + 1] if i + 1 < len(onsets) else chord.end
            pitch = root
            if i > 0:
                pitch = int(rng.choice([root, root, root + 12 if root + 12 <= HIGH else root, fifth]))
            last = i == len(onsets) - 1
            if last and nxt is not None and end - onset >= 1.0 and rng.random() < 0.5 + 0.3 * energy:
                # Approach the next root from a step below or above on the last beat.
                target = _place(nxt.bass_pc, root)
                notes.append(Note(pitch, onset, (end - 1.0 - onset) * 0.95 or 0.5, velocity))
                approach = target + int(rng.choice([-2, -1, 1, 2]))
                approach = min(HIGH, max(LOW, approach))
                notes.append(Note(approach, end - 0.5, 0.45, velocity - 8))
                continue
            notes.append(Note(pitch, onset, max(0.25, (end - onset) * 0.95), velocity - (0 if i == 0 else 6)))
        previous = root
    return [n for n in notes if n.duration > 0]


def _walk(chord: Chord, nxt: Chord | None, root: int, velocity: int, rng: np.random.Generator) -> list[Note]:
    """A walking line: quarter notes through the chord, ending a half step from the next root."""
    beats = int(round(chord.duration))
    tones = sorted({_place((chord.root + i) % 12, root + i) for i in chord.intervals[:4]})
    line = [root]
    for _ in range(beats - 2):
        line.append(int(rng.choice([t for t in tones if t != line[-1]] or tones)))
    if beats >= 2:
        target = _place(nxt.bass_pc, line[-1]) if nxt else root
        line.append(target + int(rng.choice([-1, 1])))
    return [Note(min(HIGH, max(LOW, p)), chord.start + i, 0.9, velocity - 6 * (i % 2)) for i, p in enumerate(line[:beats])]
