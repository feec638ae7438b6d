import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.score import Chord, Note, Part, Score, Section


def test_values_check_themselves():
    for bad in (lambda: Note(60, 1.0, -0.5), lambda: Note(128, 0, 1), lambda: Note(60, 0, 1, 200),
                lambda: Chord("X", 12, (0, 4, 7)), lambda: Part("p", 128), lambda: Section("verse", 0, 0, 0.5),
                lambda: Score(0, Key(0, "major"), TimeSignature(4, 4), [], [], [])):
        with pytest.raises(InvalidRequest):
            bad()


def test_a_score_knows_its_bars_and_seconds():
    score = Score(120.0, Key(9, "minor"), TimeSignature(3, 4), [Section("verse", 0, 4, 0.5), Section("outro", 4, 2, 0.3)],
                  [Chord("Am", 9, (0, 3, 7), 0, 3)], [Part("melody", 0, [Note(69, 0, 1)])])
    assert score.bars == 6 and score.length_beats == 18.0 and score.seconds(3.0) == 1.5
    assert score.part("melody").notes[0].end == 1.0 and Chord("C/E", 0, (0, 4, 7), bass=4).bass_pc == 4
    with pytest.raises(KeyError):
        score.part("tuba")
