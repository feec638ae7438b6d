"""Pieces of the corpus as token sequences."""
from __future__ import annotations

from maestro_ai.models.tokens import Vocabulary, decode_notes
from tests.training.test_corpus import _piece
from training.corpus import Bar, Piece
from training.encoding import encode, piece_energy, rhythm_ngrams


def test_encode_then_decode_gives_the_notes_back():
    vocab = Vocabulary()
    piece = _piece()
    seq = encode(piece, vocab, transpose=3)
    names = [vocab.names[t] for t in seq.tokens]
    assert names[:5] == ["BOS", "KEY_5", "MODE_major", "METER_6/8", names[4]] and names[-1] == "EOS"
    notes = decode_notes(list(seq.tokens), vocab, piece.bar16)
    expected = [((b * 12 + pos) / 4, p + 3, d / 4) for b, bar in enumerate(piece.bars) for pos, p, d in bar.notes]
    expected[-1] = (expected[-1][0], expected[-1][1], 8 / 4)  # 10 16ths: the longest allowed duration that fits
    assert notes == expected


def test_out_of_range_transpositions_are_refused():
    vocab = Vocabulary()
    piece = Piece("x", 0, "major", "4/4", 16, [Bar([(0, 93, 4)])])
    assert encode(piece, vocab, transpose=0) is not None and encode(piece, vocab, transpose=4) is None


def test_energy_and_figures():
    busy = Piece("x", 0, "major", "4/4", 16, [Bar([(i * 2, 60, 2) for i in range(8)])])
    assert piece_energy(busy) == 2
    assert rhythm_ngrams([(0, 60, 4), (4, 62, 4), (8, 64, 8)], 3) == [(2, 2, 4, 4, 8)]
