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


def test_a_films_rises_drive_the_strings_in_an_ostinato_and_the_theme_holds_its_chords():
    from tests.compose.songs import song

    _, score = song("cinematic", seed=1, duration=120, mood="epic")
    strings = next(p for p in score.parts if p.name == "harmony").notes
    for section in score.sections:
        notes = [n for n in strings if section.start_bar * 4 <= n.start < section.end_bar * 4]
        starts = sorted({n.start for n in notes})
        if section.name == "rise":
            assert len(notes) == len(starts) == section.bars * 8  # one note on every eighth
            on_beat = [n for n in notes if n.start % 1 == 0]
            off_beat = [n for n in notes if n.start % 1]
            assert min(n.velocity for n in on_beat) > max(n.velocity for n in off_beat)  # pushed on the beat
            assert max(n.duration for n in notes) <= 0.4  # short: the bows drive, they do not sing
        elif section.name in ("theme", "climax"):
            assert len(notes) >= 3 * len(starts)  # whole chords
