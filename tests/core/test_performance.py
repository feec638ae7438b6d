from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.performance import PPQ, Performance


def test_ticks_become_seconds_at_the_tempo():
    assert Performance(60.0, TimeSignature(4, 4), Key(0, "major"), []).seconds(PPQ * 2) == 2.0
    assert Performance(120.0, TimeSignature(6, 8), Key(0, "major"), []).seconds(PPQ) == 0.5
