import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.production.mastering.targets import load_target, resolve_target, targets


def test_every_named_target_is_there_with_sane_values():
    assert set(targets()) >= {"spotify", "apple", "youtube", "tidal", "amazon", "deezer", "club", "broadcast"}
    assert (load_target("Apple").lufs, load_target("broadcast").lufs, load_target("club").lufs) == (-16.0, -23.0, -9.0)
    assert all(-40 <= t.lufs <= -5 and -9 <= t.true_peak <= 0 for t in targets().values())


def test_explicit_values_override_a_target():
    custom = resolve_target("apple", lufs=-12.0, true_peak=-0.5)
    assert (custom.name, custom.lufs, custom.true_peak) == ("custom", -12.0, -0.5)
    assert resolve_target(None, None, None).name == "spotify"


@pytest.mark.parametrize("name, lufs, peak, message", [
    ("spotfy", None, None, "did you mean 'spotify'"),
    ("spotify", -60.0, None, "out of range"),
    ("spotify", None, 1.0, "out of range"),
])
def test_bad_targets_are_refused_with_a_hint(name, lufs, peak, message):
    with pytest.raises(InvalidRequest, match=message):
        resolve_target(name, lufs, peak)


@pytest.mark.parametrize("name", ["", "  ", 5])
def test_an_empty_or_wrong_target_is_refused_not_replaced(name):
    with pytest.raises(InvalidRequest):
        resolve_target(name, None, None)


def test_tone_targets_by_name_or_genre_listed_once():
    from maestro_ai.production.mastering.targets import load_tone_target

    assert load_tone_target("house").name == "electronic" and load_tone_target(None).name == "balanced"
    with pytest.raises(InvalidRequest) as err:
        load_tone_target("bluegrass")
    valid = str(err.value).split("Valid: ")[1].split(", ")
    assert len(valid) == len(set(valid)) and "rock" in valid
