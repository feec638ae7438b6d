import numpy as np

from maestro_ai.compose import drums
from maestro_ai.compose.perform import perform, swung
from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.score import Note, Part, Score, Section
from tests.compose.songs import song


def test_humanized_drums_are_not_robotic():
    _, score = song("rock", seed=6)
    perf = perform(score, 0.0, 0.25, np.random.default_rng(0))
    hats = [n for t in perf.parts if t.is_drum for n in t.notes if n.pitch == drums.KIT["hat"]]
    offsets = [(n.start % 240) if n.start % 240 < 120 else (n.start % 240) - 240 for n in hats]
    assert 0 < np.std(offsets) < 20  # a few milliseconds either side of the grid
    assert len({n.velocity for n in hats}) > 3


def test_performance_swings_offbeats_and_keeps_downbeats():
    score = Score(100, Key(0, "major"), TimeSignature(4, 4), [Section("verse", 0, 1, 0.5)], [],
                  [Part("melody", 0, [Note(60, 0.0, 0.25), Note(62, 0.25, 0.25), Note(64, 0.5, 0.25)])])
    played = perform(score, swing=1.0, swing_unit=0.25, rng=np.random.default_rng(0), humanize=False).parts[0].notes
    assert [n.start for n in played] == [0, 160, 240]  # the off-beat 16th moves to the triplet position
    assert swung(0.5, 0.5, 0.5) == 0.5 + 0.5 * 0.5 / 3


def test_repeated_pitches_never_overlap():
    score = Score(120, Key(0, "major"), TimeSignature(4, 4), [Section("verse", 0, 1, 0.5)], [],
                  [Part("melody", 0, [Note(60, 0.0, 2.0), Note(60, 1.0, 1.0)])])
    first, second = perform(score, 0.0, 0.25, np.random.default_rng(0), humanize=False).parts[0].notes
    assert first.end < second.start
