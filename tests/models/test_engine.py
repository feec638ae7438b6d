"""The learned composer inside songs: the melody engine and the harmonizer."""
from __future__ import annotations

import numpy as np

from maestro_ai.core.engines import MelodyRequest
from maestro_ai.core.key import Key
from maestro_ai.core.score import Chord, Note, Section
from maestro_ai.models.engine import LearnedMelodyEngine, bar_chords, chord_quality, energy_level, learned_harmonize


def test_chord_words():
    assert chord_quality((0, 3, 6, 10)) == "dim" and chord_quality((0, 4, 7, 9)) == "maj"
    chords = [Chord("C", 0, (0, 4, 7), 0, 6), Chord("G7", 7, (0, 4, 7, 10), 6, 2)]
    assert bar_chords(chords, 0, 2, 4.0) == [[(0, 0, "maj")], [(0, 0, "maj"), (8, 7, "7")]]


def test_engine_quotes_the_seed_in_every_verse_and_repeats_returning_sections():
    chords = [Chord(s, r, i, 4.0 * b, 4.0) for b, (s, r, i) in enumerate([("Am", 9, (0, 3, 7)), ("F", 5, (0, 4, 7)),
                                                                             ("C", 0, (0, 4, 7)), ("G", 7, (0, 4, 7))] * 6)]
    # The song hands the engine only the sections its lead plays in: here not the intro.
    sections = [Section("verse", 4, 4, 0.5), Section("chorus", 8, 4, 0.8),
                Section("verse", 12, 4, 0.5), Section("chorus", 16, 4, 0.8), Section("outro", 20, 4, 0.3)]
    seed = [Note(69, 0.0, 1.0), Note(72, 1.0, 1.0), Note(76, 2.0, 2.0)]
    req = MelodyRequest(Key(9, "minor"), chords, sections, 4.0, (57, 84), 0.5, seed, (4, 4))
    notes = LearnedMelodyEngine().compose(req, np.random.default_rng(4))
    assert not [n for n in notes if n.start < 16]  # the intro has no melody
    for verse in (16.0, 48.0):
        assert [(n.start - verse, n.pitch) for n in notes if verse <= n.start < verse + 4][:3] == [(0.0, 69), (1.0, 72), (2.0, 76)]
    first = [(n.start - 32, n.pitch, n.duration) for n in notes if 32 <= n.start < 48]
    again = [(n.start - 64, n.pitch, n.duration) for n in notes if 64 <= n.start < 80]
    assert first and first == again  # the chorus returns with its melody
    assert all(57 <= n.pitch <= 84 for n in notes)


def test_harmonizer_hears_the_melody():
    """Arpeggios of C, F, G and A minor get those chords back (greedy choice)."""
    shapes = {0: (60, 64, 67, 72), 5: (65, 69, 72, 77), 7: (67, 71, 74, 79), 9: (69, 72, 76, 81)}
    roots = [0, 5, 7, 0, 9, 5, 7, 0]
    melody = [Note(p, 4.0 * b + i, 1.0) for b, r in enumerate(roots) for i, p in enumerate(shapes[r])]
    candidates = [(0, (0, 4, 7)), (2, (0, 3, 7)), (4, (0, 3, 7)), (5, (0, 4, 7)), (7, (0, 4, 7)), (9, (0, 3, 7)), (11, (0, 3, 6))]
    picks = learned_harmonize(melody, len(roots), 4.0, Key(0, "major"), candidates, np.random.default_rng(0), temperature=0)
    assert sum(root == r for (root, _), r in zip(picks, roots)) >= 7
    avoided = learned_harmonize(melody, len(roots), 4.0, Key(0, "major"), candidates, np.random.default_rng(0), temperature=0,
                                avoid=[Chord("x", r, (0, 4, 7), 4.0 * b, 4.0) for b, r in enumerate(roots)])
    assert avoided != picks


def test_energy_levels():
    assert [energy_level(d, e) for d, e in ((0.2, 0.2), (0.6, 0.5), (0.9, 0.9))] == [0, 1, 2]
