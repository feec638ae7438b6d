import numpy as np

from maestro_ai.compose.melody import Degrees, MotifMelodyEngine, make_motif
from maestro_ai.core.key import Key
from maestro_ai.io.melody_input import read_seed
from tests.compose.songs import song


def test_motif_engine_quotes_the_seed_and_develops_it():
    seed_text = "E4 G4:0.5 A4:0.5 B4 G4 A4:2 E4:2"
    plan, score = song("pop", melody=seed_text, duration=90, engine=MotifMelodyEngine())
    seed = [(n.pitch, n.start, n.duration) for n in read_seed(seed_text).melody]
    melody = score.part("melody").notes
    verse = next(s for s in plan.sections if s.name == "verse")
    offset = verse.start_bar * 4
    quoted = [(n.pitch, n.start - offset, n.duration) for n in melody if offset <= n.start < offset + 8]
    assert quoted[:len(seed)] == seed
    chorus = next((s for s in plan.sections if s.name == "chorus"), None)
    if chorus is not None:
        start = chorus.start_bar * 4
        developed = [n for n in melody if start <= n.start < start + 8]
        assert [n.start - start for n in developed][:len(seed)] == [s for _, s, _ in seed]  # same rhythm
        assert [n.pitch for n in developed][:len(seed)] != [p for p, _, _ in seed]  # new pitches


def test_melody_lands_on_chord_tones_on_strong_beats_and_stays_in_range():
    plan, score = song("pop", seed=4)
    melody = score.part("melody").notes
    assert melody
    hits = 0
    strong = [n for n in melody if n.start % 2 == 0]
    for n in strong:
        chord = next(c for c in plan.chords if c.start <= n.start < c.end)
        hits += (n.pitch % 12) in chord.pitch_classes
    assert hits / len(strong) > 0.8
    assert max(n.pitch for n in melody) - min(n.pitch for n in melody) <= 24


def test_scale_degrees_and_motifs():
    d = Degrees(Key(9, "minor"))
    assert [d.pitch(i) for i in range(8)] == [57, 59, 60, 62, 64, 65, 67, 69] and d.nearest(61) == 2
    motif = make_motif(np.random.default_rng(0), 0.9, 4.0)
    assert motif.rhythm[0][0] == 0.0 and len(motif.rhythm) == len(motif.steps) >= 2
