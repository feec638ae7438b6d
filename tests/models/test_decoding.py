"""The decoder's constraints, the melody engine inside songs, and the harmonizer."""
from __future__ import annotations

import numpy as np
import pytest

from maestro_ai.compose.melody import MelodyRequest
from maestro_ai.core.score import Chord, Note, Section
from maestro_ai.models.decode import Request, Sampling, chord_pitch_classes, generate
from maestro_ai.models.engine import LearnedMelodyEngine, bar_chords, chord_quality, learned_harmonize
from maestro_ai.models.runtime import Composer
from maestro_ai.theory.scales import scale_pitch_classes

PROGRESSION = [[(0, 2, "min")], [(0, 10, "maj")], [(0, 5, "maj")], [(0, 0, "maj"), (8, 9, "7")]] * 4


def _melody(rng_seed=0, **kw):
    request = Request(2, "minor", "4/4", [list(b) for b in PROGRESSION], low=kw.pop("low", 60), high=kw.pop("high", 84), **kw)
    return request, generate(Composer.load(), request, np.random.default_rng(rng_seed))


@pytest.mark.parametrize("seed", range(4))
def test_notes_stay_in_key_range_and_bars(seed):
    request, notes = _melody(seed)
    scale = set(scale_pitch_classes(2, "minor"))
    assert len(notes) >= 16
    for n in notes:
        bar, pos = divmod(n.start, 16)
        chord = [c for c in PROGRESSION[bar] if c[0] <= pos][-1]
        assert n.pitch % 12 in scale | chord_pitch_classes(chord[1], chord[2])
        assert 60 <= n.pitch <= 84
        assert pos + n.duration <= 16  # no note crosses a bar line
    starts = [n.start for n in notes]
    assert starts == sorted(starts) and all(a.start + a.duration <= b.start for a, b in zip(notes, notes[1:]))


def test_phrases_close_on_chord_tones_and_the_end_on_the_tonic():
    for seed in range(3):
        _, notes = _melody(seed)
        for bar in (3, 7, 11):
            late = [n for n in notes if n.start // 16 == bar and n.start % 16 >= 8]
            tones = chord_pitch_classes(0, "maj") if not late or late[0].start % 16 < 8 else None
            for n in late:
                chord = [c for c in PROGRESSION[bar] if c[0] <= n.start % 16][-1]
                assert n.pitch % 12 in chord_pitch_classes(chord[1], chord[2]) or tones is None
        assert notes[-1].pitch % 12 == 2


def test_narrow_instrument_range_is_respected():
    _, notes = _melody(1, low=67, high=79)
    assert all(67 <= n.pitch <= 79 for n in notes)


def test_same_seed_same_melody_other_seed_other_melody():
    a, b, c = _melody(5)[1], _melody(5)[1], _melody(6)[1]
    assert a == b and a != c


def test_seed_is_kept_verbatim_and_continued():
    seed = [(0, 62, 4), (4, 65, 4), (8, 69, 6), (16, 67, 8)]
    _, notes = _melody(2, seed=seed)
    assert [(n.start, n.pitch, n.duration) for n in notes[:4]] == seed
    assert len(notes) > 8 and notes[4].start >= 24


def test_low_temperature_is_less_varied():
    def distinct(temperature):
        melodies = {tuple((n.start, n.pitch) for n in _melody(s, sampling=Sampling(temperature, 32, 0.95))[1]) for s in range(4)}
        return len(melodies)

    assert distinct(0.05) <= distinct(1.2)


def test_chord_words():
    assert chord_quality((0, 3, 6, 10)) == "dim" and chord_quality((0, 4, 7, 9)) == "maj"
    chords = [Chord("C", 0, (0, 4, 7), 0, 6), Chord("G7", 7, (0, 4, 7, 10), 6, 2)]
    assert bar_chords(chords, 0, 2, 4.0) == [[(0, 0, "maj")], [(0, 0, "maj"), (8, 7, "7")]]


def test_engine_quotes_the_seed_in_every_verse_and_repeats_returning_sections():
    chords = [Chord(s, r, i, 4.0 * b, 4.0) for b, (s, r, i) in enumerate([("Am", 9, (0, 3, 7)), ("F", 5, (0, 4, 7)),
                                                                             ("C", 0, (0, 4, 7)), ("G", 7, (0, 4, 7))] * 6)]
    sections = [Section("intro", 0, 4, 0.3), Section("verse", 4, 4, 0.5), Section("chorus", 8, 4, 0.8),
                Section("verse", 12, 4, 0.5), Section("chorus", 16, 4, 0.8), Section("outro", 20, 4, 0.3)]
    seed = [Note(69, 0.0, 1.0), Note(72, 1.0, 1.0), Note(76, 2.0, 2.0)]
    req = MelodyRequest(9, "minor", chords, sections, 4.0, (57, 84), 0.5, seed, (4, 4))
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
    picks = learned_harmonize(melody, len(roots), 4.0, 0, "major", candidates, np.random.default_rng(0), temperature=0)
    assert sum(root == r for (root, _), r in zip(picks, roots)) >= 7
    avoided = learned_harmonize(melody, len(roots), 4.0, 0, "major", candidates, np.random.default_rng(0), temperature=0,
                                avoid=[Chord("x", r, (0, 4, 7), 4.0 * b, 4.0) for b, r in enumerate(roots)])
    assert avoided != picks
