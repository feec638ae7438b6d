"""The composer's event language: tokens for key, metre, energy, bars, chords, rests and notes.

A melody is a header (BOS, KEY_k, MODE_m, METER_n/d, ENERGY_e) and then bars: BAR, and in time
order CHORD_root_quality (where the harmony changes), REST_d and NOTE_pitch_d (d in 16ths). Time
only moves by rests and notes; BAR jumps to the next bar's start. Beside each token the model
sees two metrical features the decoder always knows: where in the bar the next event starts
(16ths) and which bar of an eight-bar phrase it is in.

(Pieces of the training corpus are encoded by training/encoding.py.)

>>> vocab = Vocabulary()
>>> [vocab.names[t] for t in vocab.header(7, "major", "3/4", 1)] + [vocab.names[vocab.note(67, 4)]]
['BOS', 'KEY_7', 'MODE_major', 'METER_3/4', 'ENERGY_1', 'NOTE_67_4']
"""
from __future__ import annotations

import numpy as np

# The chord words the model knows, and the diatonic chords of each mode family.
QUALITIES = {"maj": (0, 4, 7), "min": (0, 3, 7), "dim": (0, 3, 6), "7": (0, 4, 7, 10)}
MAJOR_DIATONIC = {(0, "maj"), (2, "min"), (4, "min"), (5, "maj"), (7, "maj"), (7, "7"), (9, "min"), (11, "dim")}
MINOR_DIATONIC = {(0, "min"), (2, "dim"), (3, "maj"), (5, "min"), (7, "maj"), (7, "7"), (8, "maj"), (10, "maj"),
                  (7, "min"), (11, "dim")}
METERS = ("2/4", "3/4", "4/4", "6/8", "9/8", "12/8", "3/8", "2/2", "3/2", "6/4", "5/4", "7/8")
DURATIONS = (1, 2, 3, 4, 6, 8, 12, 16, 24)  # 16ths: 16th .. dotted whole
LOWEST, HIGHEST = 48, 96  # MIDI range of NOTE tokens (C3 .. C7)
ENERGY_LEVELS = 3
MAX_POSITION = 32  # 16ths; longer bars share the last position
PHRASE_BARS = 8


def meter_bar16(meter: str) -> int:
    """Bar length in 16ths of a metre like '6/8'."""
    num, den = (int(x) for x in meter.split("/"))
    return num * 16 // den


class Vocabulary:
    """Token names <-> ids, and the groups the decoder masks by."""

    def __init__(self) -> None:
        names = ["PAD", "BOS", "EOS", "BAR"]
        names += [f"KEY_{k}" for k in range(12)] + ["MODE_major", "MODE_minor"]
        names += [f"METER_{m}" for m in METERS] + [f"ENERGY_{e}" for e in range(ENERGY_LEVELS)]
        names += [f"CHORD_{r}_{q}" for r in range(12) for q in QUALITIES]
        names += [f"REST_{d}" for d in DURATIONS]
        names += [f"NOTE_{p}_{d}" for p in range(LOWEST, HIGHEST) for d in DURATIONS]
        self.names = names
        self.ids = {name: i for i, name in enumerate(names)}
        self.size = len(names)
        # per-token arrays for masks: pitch (-1 if not a note), duration in 16ths (0 if none)
        self.pitch = np.full(self.size, -1, dtype=np.int16)
        self.duration = np.zeros(self.size, dtype=np.int16)
        self.is_chord = np.zeros(self.size, dtype=bool)
        for i, name in enumerate(names):
            kind, *rest = name.split("_")
            if kind == "NOTE":
                self.pitch[i], self.duration[i] = int(rest[0]), int(rest[1])
            elif kind == "REST":
                self.duration[i] = int(rest[0])
            elif kind == "CHORD":
                self.is_chord[i] = True
        self.is_note = self.pitch >= 0
        self.pitch_class = np.where(self.is_note, self.pitch % 12, 12)  # 12: not a note
        self.is_rest = (self.duration > 0) & ~self.is_note

    def __getitem__(self, name: str) -> int:
        return self.ids[name]

    def note(self, pitch: int, duration: int) -> int:
        return self.ids[f"NOTE_{pitch}_{duration}"]

    def chord(self, root: int, quality: str) -> int:
        return self.ids[f"CHORD_{root % 12}_{quality}"]

    def meter(self, meter: str) -> int:
        """The METER token; an unlisted metre takes the listed one with the same bar length."""
        if meter in METERS:
            return self.ids[f"METER_{meter}"]
        length = meter_bar16(meter)
        closest = min(METERS, key=lambda m: (abs(meter_bar16(m) - length), m))
        return self.ids[f"METER_{closest}"]

    def header(self, tonic: int, mode: str, meter: str, energy: int) -> list[int]:
        return [self["BOS"], self[f"KEY_{tonic % 12}"], self[f"MODE_{mode}"], self.meter(meter),
                self[f"ENERGY_{energy}"]]


def fill(gap: int) -> list[int]:
    """A gap of 16ths as a list of allowed durations, longest first.

    >>> fill(14)
    [12, 2]
    """
    parts = []
    while gap > 0:
        step = max(d for d in DURATIONS if d <= gap)
        parts.append(step)
        gap -= step
    return parts


class Tracker:
    """Follows time through a token stream: position in the bar and bar number.

    >>> v = Vocabulary(); t = Tracker(16)
    >>> for tok in [v["BAR"], v.note(60, 4), v["REST_8"]]: _ = t.advance(v, tok)
    >>> t.position, t.bar
    (12, 0)
    """

    def __init__(self, bar16: int, first_bar: int = -1) -> None:
        self.bar16 = bar16
        self.position = 0
        self.bar = first_bar

    def advance(self, vocab: Vocabulary, token: int) -> tuple[int, int]:
        """Move past `token`; return the features for it (position after it, phrase bar)."""
        if token == vocab["BAR"]:
            self.bar += 1
            self.position = 0
        else:
            self.position += int(vocab.duration[token])
        return min(self.position, MAX_POSITION - 1), self.bar % PHRASE_BARS


def decode_notes(tokens: list[int], vocab: Vocabulary, bar16: int) -> list[tuple[float, int, float]]:
    """(start, pitch, duration) in quarter notes from a token stream (header tokens are ignored);
    time starts at the first BAR."""
    notes, bar, position = [], -1, 0
    for tok in tokens:
        if tok == vocab["BAR"]:
            bar, position = bar + 1, 0
        elif vocab.is_note[tok]:
            notes.append(((bar * bar16 + position) / 4, int(vocab.pitch[tok]), int(vocab.duration[tok]) / 4))
            position += int(vocab.duration[tok])
        elif vocab.is_rest[tok]:
            position += int(vocab.duration[tok])
    return notes
