from maestro_ai.compose import bass, drums
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
