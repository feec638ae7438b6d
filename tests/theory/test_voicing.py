from maestro_ai.theory.voicing import voice_chord


def test_voice_leading_keeps_common_tones_and_moves_little():
    c = voice_chord((0, 4, 7), None, 52, 72)
    am = voice_chord((9, 0, 4), c, 52, 72)
    assert len(set(c) & set(am)) == 2  # C and E stay put
    assert sum(min(abs(n - p) for p in c) for n in am) <= 2


def test_a_narrow_range_still_gets_every_pitch_class():
    voiced = voice_chord((0, 4, 7, 11), None, 60, 64)
    assert {p % 12 for p in voiced} == {0, 4, 7, 11}
