"""Pieces of the corpus as token sequences for training: the header, then bars of chords, rests
and notes, with the metrical features the model reads beside each token.

>>> from maestro_ai.models.tokens import Vocabulary
>>> from training.corpus import Bar, Piece
>>> vocab = Vocabulary()
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

from maestro_ai.models.tokens import DURATIONS, HIGHEST, LOWEST, Tracker, Vocabulary, fill
from training.corpus import Piece


@dataclass
class Sequence:
    """Token ids with the metrical features the model reads beside them."""

    tokens: np.ndarray
    positions: np.ndarray  # 16ths into the bar where the next event starts
    phrase_bars: np.ndarray  # bar number within an eight-bar phrase
    bar_starts: np.ndarray  # index of each BAR token


def energy_level(notes_per_beat: float) -> int:
    """Energy from rhythmic density (notes per quarter note): the corpus's terciles."""
    return 0 if notes_per_beat < 1.5 else 1 if notes_per_beat < 1.8 else 2


def piece_energy(piece: Piece) -> int:
    beats = max(1.0, len(piece.bars) * piece.bar16 / 4)
    return energy_level(piece.note_count / beats)


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


def rhythm_ngrams(melody, n: int) -> list[tuple]:
    """Transposition-free n-note figures of (start, pitch, duration) notes: the n-1 intervals and
    the n durations."""
    ordered = sorted(melody)
    out = []
    for i in range(len(ordered) - n + 1):
        window = ordered[i:i + n]
        out.append(tuple(b[1] - a[1] for a, b in zip(window, window[1:])) + tuple(d for _, _, d in window))
    return out
