"""Splits by tune family and evaluation windows."""
from __future__ import annotations

from maestro_ai.models.tokens import Vocabulary
from training.corpus import Bar, Piece
from training.dataset import crop, evaluation_windows, split_pieces
from training.encoding import encode


def test_split_is_by_tune_family_and_reproducible():
    base = [(0, 60, 2), (2, 62, 2), (4, 64, 2), (6, 65, 2), (8, 67, 2), (10, 69, 2), (12, 71, 2), (14, 72, 2)]
    pieces = []
    for i in range(60):
        notes = [(pos, pitch + (i % 7), dur + (i % 3) * 0) for pos, pitch, dur in base]
        notes = [(pos, pitch if j % (i % 5 + 2) else pitch + i, dur) for j, (pos, pitch, dur) in enumerate(notes)]
        pieces.append(Piece(f"p{i}", 0, "major", "4/4", 16, [Bar(notes), Bar(notes)]))
    twin = Piece("twin", 0, "major", "4/4", 16, [Bar([(p, n + 5, d) for p, n, d in pieces[0].bars[0].notes])] * 2)
    pieces.append(twin)
    first, again = split_pieces(pieces), split_pieces(pieces)
    assert [p.source for p in first["test"]] == [p.source for p in again["test"]]
    side = {p.source: name for name, group in first.items() for p in group}
    assert side["twin"] == side["p0"]  # the same tune, transposed, stays on one side


def test_evaluation_windows_score_every_token_once():
    vocab = Vocabulary()
    bars = [Bar([(i * 2, 60 + i % 8, 2) for i in range(8)], [(0, 0, "maj")]) for _ in range(40)]
    piece = Piece("long", 0, "major", "4/4", 16, bars)
    whole = encode(piece, vocab)
    windows = evaluation_windows([piece], vocab, context=64)
    assert all(len(w.tokens) <= 64 for w in windows)
    assert sum(len(w.tokens) - 5 for w in windows) == len(whole.tokens) - 5
    assert len(crop(whole, 64, start_bar=3).tokens) <= 64
