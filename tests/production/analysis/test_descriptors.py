from maestro_ai.production.analysis.descriptors import Features, describe


def _features(**kw):
    base = dict(tempo=120.0, pulse_clarity=0.5, beat_regularity=0.5, loudness_lufs=-14.0, onset_rate=3.0,
                centroid_hz=2000.0, major=0.5, crest_db=12.0, flatness=0.1, voice_modulation=0.2,
                noise_floor_db=-30.0, high_ratio=0.05)
    base.update(kw)
    return Features(**base)


def test_descriptors_are_in_range_and_move_the_right_way():
    plain = describe(_features())
    assert set(plain) == {"danceability", "energy", "valence", "acousticness", "instrumentalness", "speechiness",
                          "liveness"} and all(0 <= v <= 1 for v in plain.values())
    assert describe(_features(pulse_clarity=0.95, beat_regularity=0.95))["danceability"] > plain["danceability"]
    assert describe(_features(loudness_lufs=-6.0, onset_rate=8.0))["energy"] > plain["energy"]
    assert describe(_features(major=0.95))["valence"] > describe(_features(major=0.05))["valence"]
