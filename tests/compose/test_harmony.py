import numpy as np

from maestro_ai.compose.harmony import extension_level, harmonize, plan_harmony
from maestro_ai.core.key import Key
from maestro_ai.core.score import Note, Section


def test_sections_get_their_own_progressions_and_the_song_ends_home():
    sections = [Section("verse", 0, 4, 0.5), Section("chorus", 4, 4, 0.8)]
    chords = plan_harmony(sections, ("I vi IV V", "IV V I I", "vi IV I V"), Key(7, "major"), beats_per_bar=4,
                          chord_bars=1, extension=0, rng=np.random.default_rng(0))
    assert len(chords) == 8 and chords[-1].symbol == "G"
    assert [c.symbol for c in chords[:4]] != [c.symbol for c in chords[4:]]
    assert extension_level(1, 0.9) == 2 and extension_level(1, 0.1) == 0


def test_the_rule_harmonizes_an_arpeggio_and_a_harmonizer_is_used_when_given():
    melody = [Note(p, 4.0 * b + i, 1.0) for b, shape in enumerate([(60, 64, 67, 72), (65, 69, 72, 77)])
              for i, p in enumerate(shape)]
    chords = harmonize(melody, 2, 4.0, Key(0, "major"), 0, np.random.default_rng(0))
    assert [c.root for c in chords] == [0, 5]
    calls = []

    def harmonizer(melody, bars, beats, key, candidates, rng, avoid=None, time_signature=None):
        calls.append(bars)
        return [candidates[4]] * bars

    assert [c.symbol for c in harmonize(melody, 2, 4.0, Key(0, "major"), 0, np.random.default_rng(0),
                                        harmonizer=harmonizer)] == ["G", "G"] and calls == [2]
