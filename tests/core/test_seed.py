from maestro_ai.core.score import Note
from maestro_ai.core.seed import Seed


def test_a_seed_knows_how_many_bars_its_melody_spans():
    assert Seed(melody=[Note(60, 0, 1), Note(62, 6.5, 1)]).bars(4.0) == 2 and Seed().bars(4.0) == 1
    assert Seed(melody=[Note(60, 0, 4)]).bars(4.0) == 1  # ends on the bar line
