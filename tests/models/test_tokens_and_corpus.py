"""Corpus extraction, licence screening and the event language."""
from __future__ import annotations

from music21 import converter

from maestro_ai.models.corpus import COLLECTIONS, Bar, Piece, extract, scan_licences
from maestro_ai.models.dataset import crop, evaluation_windows, split_pieces
from maestro_ai.models.tokens import Tracker, Vocabulary, decode_notes, encode


def _piece():
    tune = converter.parse("X:1\nM:6/8\nL:1/8\nK:D\nA|d2f a2f|g2e c2A|d3 f3|d3-d2|]", format="abc")
    return extract(tune, "test.abc", 0)


def test_pickup_bar_is_right_aligned_and_chords_are_estimated():
    piece = _piece()
    assert piece.meter == "6/8" and piece.bar16 == 12 and (piece.tonic, piece.mode) == (2, "major")
    assert piece.bars[0].notes == [(10, 69, 2)]  # the pickup A sits at the end of its bar
    assert piece.bars[1].notes[0] == (0, 74, 4)
    assert piece.bars[1].chords[0][1:] == (2, "maj")  # D major under d-f-a
    assert piece.bars[-1].notes == [(0, 74, 10)]  # the tie is merged


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


def test_tracker_features_follow_the_clock():
    vocab = Vocabulary()
    tracker = Tracker(12)
    feats = [tracker.advance(vocab, t) for t in (vocab["BAR"], vocab.note(60, 6), vocab["REST_6"], vocab["BAR"])]
    assert feats == [(0, 0), (6, 0), (12, 0), (0, 1)]


def test_licence_screen_flags_restricted_files(tmp_path, monkeypatch):
    from maestro_ai.models import corpus

    monkeypatch.setattr(corpus, "corpus_root", lambda: tmp_path)
    ok = tmp_path / "ok.abc"
    ok.write_text("X:1\nT:Reel\nK:G\nGABc|\n")
    bad = tmp_path / "bad.abc"
    bad.write_text("X:1\n% for non-commercial use only\nK:G\nGABc|\n")
    assert scan_licences([ok, bad]) == {"bad.abc": "% for non-commercial use only"}
    assert "essenFolksong" not in COLLECTIONS


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
