import numpy as np

from maestro_ai.compose.accompaniment import COMPING, comp, counter_line, pad
from maestro_ai.core.score import Chord, Section
from maestro_ai.core.style import COMPING_STYLES

CHORDS = [Chord("Cmaj7", 0, (0, 4, 7, 11), 0, 4), Chord("Am7", 9, (0, 3, 7, 10), 4, 4)]


def test_every_comping_style_a_genre_may_name_is_played():
    assert set(COMPING) == COMPING_STYLES
    for style in COMPING:
        notes = comp(CHORDS, style, lambda beat: 0.7, np.random.default_rng(0))
        assert notes and {n.pitch % 12 for n in notes if n.start < 4} <= {0, 4, 7, 11}


def test_pads_rest_in_verses_and_counter_lines_sing_in_choruses():
    sections = [Section("verse", 0, 1, 0.5), Section("chorus", 1, 1, 0.8)]
    assert all(n.start >= 4 for n in pad(CHORDS, sections, 4.0, always=False))
    line = counter_line(CHORDS, sections, 4.0, "guide", np.random.default_rng(0))
    assert line and all(n.start >= 4 for n in line) and all(67 <= n.pitch <= 88 for n in line)
