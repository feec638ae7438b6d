"""The composer's event language: tokens for key, metre, energy, bars, chords, rests and notes.

A melody is a header (BOS, KEY_k, MODE_m, METER_n/d, ENERGY_e) and then bars: BAR, and in time
order CHORD_root_quality (where the harmony changes), REST_d and NOTE_pitch_d (d in 16ths). Time
only moves by rests and notes; BAR jumps to the next bar's start. Beside each token the model
sees two metrical features the decoder always knows: where in the bar the next event starts
(16ths) and which bar of an eight-bar phrase it is in.

>>> vocab = Vocabulary()
>>> from maestro_ai.models.corpus import Bar, Piece
>>> piece = Piece("x", 7, "major", "3/4", 12, [Bar([(0, 67, 4), (8, 71, 4)], [(0, 7, "maj")])])
>>> seq = encode(piece, vocab, energy=1)
>>> [vocab.names[t] for t in seq.tokens]
['BOS', 'KEY_7', 'MODE_major', 'METER_3/4', 'ENERGY_1', 'BAR', 'CHORD_7_maj', 'NOTE_67_4', 'REST_4', 'NOTE_71_4', 'EOS']
>>> seq.positions.tolist()
[0, 0, 0, 0, 0, 0, 0, 4, 8, 12, 0]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from maestro_ai.models.corpus import QUALITIES, Piece

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


@dataclass
class Sequence:
    """Token ids with the metrical features the model reads beside them."""

    tokens: np.ndarray
    positions: np.ndarray  # 16ths into the bar where the next event starts
    phrase_bars: np.ndarray  # bar number within an eight-bar phrase
    bar_starts: np.ndarray  # index of each BAR token


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


def energy_level(notes_per_beat: float) -> int:
    """Energy from rhythmic density (notes per quarter note): the corpus's terciles."""
    return 0 if notes_per_beat < 1.5 else 1 if notes_per_beat < 1.8 else 2


def piece_energy(piece: Piece) -> int:
    beats = max(1.0, len(piece.bars) * piece.bar16 / 4)
    return energy_level(piece.note_count / beats)


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


def encode(piece: Piece, vocab: Vocabulary, transpose: int = 0, energy: int | None = None) -> Sequence | None:
    """Tokens of a piece, transposed by `transpose` semitones; None if a note leaves the range."""
    pitches = [p for bar in piece.bars for _, p, _ in bar.notes]
    if pitches and (min(pitches) + transpose < LOWEST or max(pitches) + transpose >= HIGHEST):
        return None
    energy = piece_energy(piece) if energy is None else energy
    tokens = vocab.header(piece.tonic + transpose, piece.mode, piece.meter, energy)
    pickup = bool(piece.bars and piece.bars[0].notes and piece.bars[0].notes[0][0] > 0)
    tracker = Tracker(piece.bar16, first_bar=-2 if pickup else -1)
    features = [(0, 0)] * len(tokens)
    bar_starts = []
    for bar in piece.bars:
        body = [vocab["BAR"]]
        chords = sorted(bar.chords)
        notes = sorted(bar.notes)
        time, c = 0, 0
        for i, (pos, pitch, dur) in enumerate(notes):
            if pos < time:
                continue  # overlapping notes: keep the first (melodies are monophonic)
            limit = min(piece.bar16, notes[i + 1][0] if i + 1 < len(notes) else piece.bar16)
            while c < len(chords) and chords[c][0] <= pos:
                body += [vocab["REST_" + str(d)] for d in fill(chords[c][0] - time)] if chords[c][0] > time else []
                time = max(time, chords[c][0])
                body.append(vocab.chord(chords[c][1] + transpose, chords[c][2]))
                c += 1
            body += [vocab["REST_" + str(d)] for d in fill(pos - time)]
            length = max(d for d in DURATIONS if d <= max(1, min(dur, limit - pos)))
            body.append(vocab.note(pitch + transpose, length))
            time = pos + length
        bar_starts.append(len(tokens))
        for tok in body:
            tokens.append(tok)
            features.append(tracker.advance(vocab, tok))
    tokens.append(vocab["EOS"])
    features.append((0, 0))
    feats = np.array(features, dtype=np.int64)
    return Sequence(np.array(tokens, dtype=np.int64), feats[:, 0], feats[:, 1], np.array(bar_starts, dtype=np.int64))


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
