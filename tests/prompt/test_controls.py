import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.prompt.controls import derive_controls


def test_phrases_steer_the_controls_by_meaning():
    calm = derive_controls("pop", "chill", ["falling asleep to soft rain"])
    wild = derive_controls("pop", "chill", ["a furious battle in a thunderstorm"])
    assert wild.energy > calm.energy + 0.1
    happy = derive_controls("pop", "chill", ["sunshine and joy at a summer party"])
    sad = derive_controls("pop", "chill", ["tears at a funeral"])
    assert happy.valence > sad.valence + 0.2
    assert calm.drivers and calm.drivers[0]["descriptors"]


def test_unknown_words_still_work():
    c = derive_controls("lofi-chill", "ambient-focus", ["zorblax quimbletude"])
    assert all(0.0 <= getattr(c, k) <= 1.0 for k in ("valence", "energy", "brightness", "space", "density"))


def test_any_point_of_the_mood_space_is_a_mood():
    tense = derive_controls("cinematic", "0.2,0.9", [])
    calm = derive_controls("cinematic", "0.8,0.1", [])
    assert (tense.valence, tense.energy) == (0.2, 0.9) and calm.energy < tense.energy
    assert tense.genre.name == "cinematic"  # the preset itself, carried along


def test_phrases_must_be_text():
    with pytest.raises(InvalidRequest, match="list of strings"):
        derive_controls("pop", "chill", [5])
