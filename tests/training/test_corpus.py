"""Corpus extraction and licence screening."""
from __future__ import annotations

from music21 import converter

from training import corpus
from training.corpus import COLLECTIONS, extract, scan_licences


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


def test_licence_screen_flags_restricted_files(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "corpus_root", lambda: tmp_path)
    ok = tmp_path / "ok.abc"
    ok.write_text("X:1\nT:Reel\nK:G\nGABc|\n")
    bad = tmp_path / "bad.abc"
    bad.write_text("X:1\n% for non-commercial use only\nK:G\nGABc|\n")
    assert scan_licences([ok, bad]) == {"bad.abc": "% for non-commercial use only"}
    assert "essenFolksong" not in COLLECTIONS
