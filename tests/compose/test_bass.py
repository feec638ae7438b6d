import numpy as np

from maestro_ai.compose import bass, drums
from maestro_ai.core.score import Chord
from tests.compose.songs import song


def test_bass_locks_to_kick_and_chord_roots():
    plan, score = song("house", seed=2)
    kicks = set(drums.kick_onsets(score.part("drums").notes))
    chord_starts = {c.start for c in plan.chords}
    notes = score.part("bass").notes
    on_grid = [n for n in notes if n.start in kicks or n.start in chord_starts]
    assert len(on_grid) / len(notes) > 0.75
    for c in plan.chords:
        first = next(n for n in notes if n.start >= c.start)
        if first.start == c.start:
            assert first.pitch % 12 == c.bass_pc
    assert all(bass.LOW <= n.pitch <= bass.HIGH for n in notes)


def test_jazz_walks():
    _, score = song("jazz", seed=3)
    notes = score.part("bass").notes
    quarters = [n for n in notes if n.start % 1 == 0]
    assert len(quarters) / len(notes) > 0.8 and len({n.pitch for n in notes}) > 8


def test_a_driving_bass_plays_eighths_and_a_held_one_holds():
    chords = [Chord("A", 9, (0, 4, 7), 0, 4), Chord("F", 5, (0, 4, 7), 4, 4)]
    driving = bass.compose_bass(chords, [0.0, 4.0], lambda b: 0.8, np.random.default_rng(0), driving=True)
    assert [n.start for n in driving] == [i * 0.5 for i in range(16)]
    assert {n.pitch % 12 for n in driving[:8]} == {9} and {n.pitch % 12 for n in driving[8:]} == {5}
    held = bass.compose_bass(chords, [0.0, 1.0, 2.5], lambda b: 0.8, np.random.default_rng(0), modes=lambda b: "held")
    assert [(n.pitch % 12, n.start) for n in held] == [(9, 0.0), (5, 4.0)]
    assert not bass.compose_bass(chords, [0.0], lambda b: 0.8, np.random.default_rng(0), modes=lambda b: "off")


def test_a_pedal_holds_the_tonic_under_moving_chords():
    chords = [Chord("Am", 9, (0, 3, 7), 0, 4), Chord("F", 5, (0, 4, 7), 4, 4), Chord("G", 7, (0, 4, 7), 8, 4)]
    pedal = bass.compose_bass(chords, [0.0], lambda b: 0.5, np.random.default_rng(0), modes=lambda b: "pedal", tonic=9)
    assert [(n.pitch, n.start) for n in pedal] == [(33, 0.0), (33, 4.0), (33, 8.0)]  # A1 under Am, F and G
