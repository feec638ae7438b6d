"""The rule-based melody engine: motifs developed in four-bar phrases.

A melody engine (core.engines.MelodyEngine) turns a MelodyRequest (key, chords, form, register,
density, an optional seed melody) into notes; the learned composer in maestro_ai.models is the
default one, and this is the rule-based alternative.

The motif engine builds each section's theme from a one-bar motif (rhythm + scale-step contour)
and develops it in four-bar phrases: statement, repetition, sequence, cadence. A user's seed
melody becomes the main theme: quoted verbatim at the start of every verse and developed
(sequenced, inverted) in the choruses.

>>> from maestro_ai.core.engines import MelodyRequest
>>> from maestro_ai.core.key import Key
>>> from maestro_ai.core.score import Chord, Section
>>> req = MelodyRequest(Key(0, "major"), [Chord("C", 0, (0, 4, 7), 0, 16)], [Section("verse", 0, 4, 0.5)], 4.0)
>>> notes = MotifMelodyEngine().compose(req, np.random.default_rng(1))
>>> len(notes) > 4 and all(60 <= n.pitch <= 84 for n in notes)
True
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from maestro_ai.core.engines import MelodyRequest
from maestro_ai.core.key import Key
from maestro_ai.core.score import Chord, Note, Section
from maestro_ai.core.seed import melody_bars


class Raw(NamedTuple):
    """A note before it is moved into the register: its pitch may still lie outside MIDI's range."""

    pitch: int
    start: float
    duration: float
    velocity: int


@dataclass
class Motif:
    """A short idea: onsets and durations (beats, relative) and scale-step offsets from its first note."""

    rhythm: list[tuple[float, float]]
    steps: list[int]


class Degrees:
    """Scale-degree arithmetic in a key: degree 0 is the tonic in octave 4 (MIDI 60 + tonic)."""

    def __init__(self, key: Key) -> None:
        self.scale = key.scale
        self.base = 60 + key.tonic - (12 if key.tonic > 6 else 0)

    def pitch(self, degree: int) -> int:
        octave, step = divmod(degree, 7)
        return self.base + 12 * octave + (self.scale[step] - self.scale[0]) % 12

    def nearest(self, pitch: int) -> int:
        """The degree whose pitch is closest to `pitch` (below on ties)."""
        guess = round((pitch - self.base) * 7 / 12)
        return min(range(guess - 2, guess + 3), key=lambda d: (abs(self.pitch(d) - pitch), self.pitch(d)))


def make_motif(rng: np.random.Generator, density: float, bar_beats: float) -> Motif:
    """A one-bar motif; denser motifs use 16ths, sparse ones quarters and halves."""
    grid = 0.25 if density > 0.62 else 0.5
    slots = np.arange(0, bar_beats, grid)
    weight = np.array([3.0 if s == 0 else 2.0 if s % 1 == 0 else 1.0 if s % 0.5 == 0 else 0.6 for s in slots])
    count = int(np.clip(round(1 + density * 6 + rng.normal(0, 0.7)), 2, len(slots)))
    chosen = sorted(rng.choice(slots, size=count, replace=False, p=weight / weight.sum()))
    if rng.random() < 0.8 and 0.0 not in chosen:
        chosen[0] = 0.0
        chosen = sorted(set(chosen))
    rhythm = []
    for i, onset in enumerate(chosen):
        nxt = chosen[i + 1] if i + 1 < len(chosen) else bar_beats
        rhythm.append((float(onset), float(max(grid, (nxt - onset) * (0.9 if i + 1 < len(chosen) else 0.75)))))
    steps, current = [0], 0
    for _ in rhythm[1:]:
        last_move = steps[-1] - (steps[-2] if len(steps) > 1 else 0)
        if abs(last_move) >= 3:
            move = -int(np.sign(last_move))  # a leap is answered by a step back
        else:
            move = int(rng.choice([-2, -1, 0, 1, 2, 3, -3, 4], p=[.14, .26, .08, .26, .12, .06, .05, .03]))
        current += move
        steps.append(current)
    return Motif(rhythm, steps)


def _chord_at(chords: list[Chord], beat: float) -> Chord | None:
    for c in chords:
        if c.start <= beat < c.end:
            return c
    return chords[-1] if chords else None


class MotifMelodyEngine:
    """Rule-based melodies built from motifs."""

    name = "motif-rules"
    version = "1.0"

    def compose(self, request: MelodyRequest, rng: np.random.Generator) -> list[Note]:
        deg = Degrees(request.key)
        bar = request.beats_per_bar
        themes: dict[str, Motif] = {}
        notes: list[Raw] = []
        for section in request.sections:
            role = "verse" if section.name == "outro" else section.name
            if role not in themes:
                density = request.density + {"chorus": 0.15, "bridge": -0.1}.get(role, 0.0)
                themes[role] = make_motif(rng, float(np.clip(density, 0.05, 1.0)), bar)
            start = section.start_bar * bar
            bars = 4 if section.name == "outro" else section.bars
            lift = {"chorus": 2, "bridge": 1}.get(role, 0)
            if request.seed and role in ("verse", "chorus"):
                notes += self._seeded(request, deg, section, role, start, bars, rng)
            else:
                notes += self._phrases(request, deg, themes[role], start, bars, lift, section.energy, rng)
        return self._clamp(notes, request.register)

    def _phrases(self, req: MelodyRequest, deg: Degrees, motif: Motif, start: float, bars: int,
                 lift: int, energy: float, rng: np.random.Generator) -> list[Raw]:
        notes: list[Raw] = []
        previous = deg.pitch(2 + lift)
        for b in range(bars):
            role = b % 4  # 0 statement, 1 repetition, 2 sequence, 3 cadence
            bar_start = start + b * req.beats_per_bar
            last_bar = b == bars - 1
            if role == 3 or last_bar:
                rhythm = motif.rhythm[:2] if len(motif.rhythm) > 2 else motif.rhythm[:1]
                rhythm = [(0.0, rhythm[0][1])] if len(rhythm) == 1 else rhythm[:1]
                rhythm = rhythm + [(max(1.0, rhythm[-1][0] + rhythm[-1][1]), req.beats_per_bar * 0.5)]
                steps = [0, -1]
            else:
                rhythm, steps = motif.rhythm, motif.steps
                if role == 1 and rng.random() < 0.5:  # vary the tail of the repetition
                    steps = steps[:-1] + [steps[-1] + int(rng.choice([-1, 1]))]
                if role == 2:
                    steps = [s + (1 if rng.random() < 0.6 else -1) for s in steps]
            chord = _chord_at(req.chords, bar_start)
            anchor = self._anchor(deg, chord, previous)
            for (onset, dur), step in zip(rhythm, steps):
                beat = bar_start + onset
                degree = anchor + step
                strong = onset % 2 == 0
                here = _chord_at(req.chords, beat)
                if strong or (role == 3 and onset > 0) or last_bar and onset > 0:
                    degree = self._chord_tone(deg, here, degree, tonic_only=last_bar and onset > 0)
                pitch = self._colour(deg.pitch(degree), here)
                velocity = int(np.clip(62 + 40 * energy + (10 if onset == 0 else 0) + rng.normal(0, 4), 30, 120))
                notes.append(Raw(pitch, beat, float(dur), velocity))
                previous = pitch
        return notes

    def _seeded(self, req: MelodyRequest, deg: Degrees, section: Section, role: str, start: float,
                bars: int, rng: np.random.Generator) -> list[Raw]:
        """The seed as the main theme: verses quote it; choruses develop it (sequence up, inversion)."""
        seed = req.seed or []
        seed_bars = melody_bars(seed, req.beats_per_bar)
        span = seed_bars * req.beats_per_bar
        notes: list[Raw] = []
        repeat = 0
        while repeat * span < bars * req.beats_per_bar:
            offset = start + repeat * span
            if role == "verse":
                shift = 0 if repeat % 2 == 0 else (1 if repeat % 4 == 1 else -1)  # statement, sequences
            else:
                shift = 2 if repeat % 2 == 0 else 4
            invert = role == "chorus" and repeat % 2 == 1
            first_degree = deg.nearest(seed[0].pitch)
            for n in seed:
                beat = offset + n.start
                if beat >= start + bars * req.beats_per_bar:
                    break
                if shift == 0 and not invert:
                    pitch = n.pitch  # verbatim quotation
                else:
                    d = deg.nearest(n.pitch)
                    d = first_degree - (d - first_degree) if invert else d
                    pitch = deg.pitch(d + shift) + (n.pitch - deg.pitch(deg.nearest(n.pitch)))
                notes.append(Raw(pitch, beat, n.duration, int(np.clip(n.velocity * (0.8 + 0.3 * section.energy), 30, 120))))
            repeat += 1
        return notes

    @staticmethod
    def _anchor(deg: Degrees, chord: Chord | None, previous: int) -> int:
        return MotifMelodyEngine._chord_tone(deg, chord, deg.nearest(previous))

    @staticmethod
    def _chord_tone(deg: Degrees, chord: Chord | None, degree: int, tonic_only: bool = False) -> int:
        if chord is None:
            return degree
        pcs = {chord.root} if tonic_only else set((chord.root + i) % 12 for i in chord.intervals[:4])
        for delta in (0, -1, 1, -2, 2, -3, 3):
            if deg.pitch(degree + delta) % 12 in pcs:
                return degree + delta
        return degree

    @staticmethod
    def _colour(pitch: int, chord: Chord | None) -> int:
        """Let a chord's own notes win over the scale note a semitone away (B over Bb on E7)."""
        if chord is None:
            return pitch
        pcs = {(chord.root + i) % 12 for i in chord.intervals}
        if pitch % 12 in pcs:
            return pitch
        for delta in (-1, 1):
            if (pitch + delta) % 12 in pcs and (pitch - delta) % 12 not in pcs and (pitch % 12) not in pcs:
                if abs(delta) == 1 and ((pitch + delta) % 12 - chord.root) % 12 in (3, 4):
                    return pitch + delta  # clash with the chord's third: take the third
        return pitch

    @staticmethod
    def _clamp(notes: list[Raw], register: tuple[int, int]) -> list[Note]:
        """The notes moved by octaves into the register (a developed motif can wander far)."""
        low, high = register
        out = []
        for n in notes:
            p = n.pitch
            while p > high:
                p -= 12
            while p < low:
                p += 12
            out.append(Note(p, n.start, n.duration, n.velocity))
        return out

