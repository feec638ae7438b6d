"""The decoder's constraints."""
from __future__ import annotations

import numpy as np
import pytest

from maestro_ai.core.key import Key
from maestro_ai.models.decode import Request, Sampling, beat_length, chord_pitch_classes, generate, model_mode
from maestro_ai.models.runtime import Composer

PROGRESSION = [[(0, 2, "min")], [(0, 10, "maj")], [(0, 5, "maj")], [(0, 0, "maj"), (8, 9, "7")]] * 4


def _melody(rng_seed=0, **kw):
    request = Request(2, "minor", "4/4", [list(b) for b in PROGRESSION], low=kw.pop("low", 60), high=kw.pop("high", 84), **kw)
    return request, generate(Composer.load(), request, np.random.default_rng(rng_seed))


@pytest.mark.parametrize("seed", range(4))
def test_notes_stay_in_key_range_and_bars(seed):
    request, notes = _melody(seed)
    scale = set(Key(2, "minor").scale)
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


def test_modes_and_beats():
    assert model_mode("dorian") == "minor" and model_mode("lydian") == "major"
    assert beat_length("6/8") == 6 and beat_length("3/4") == 4 and beat_length("7/8") == 2
