import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.production.mastering.settings import MasterSettings


def test_settings_check_every_value_and_keep_them_tidy():
    checked = MasterSettings(mode=" Full ", mix=1, width=1.5, reference="ref.wav").check()
    assert (checked.mode, checked.mix, checked.width, str(checked.reference)) == ("full", 1.0, 1.5, "ref.wav")


@pytest.mark.parametrize("settings, message", [
    (MasterSettings(target=5), "target must be a name"), (MasterSettings(mix="a"), "mix must be a number"),
    (MasterSettings(mix=1.5), "mix 1.5 is out of range"), (MasterSettings(width=3), "width 3 is out of range"),
    (MasterSettings(mode="loud"), "unknown mode 'loud'"), (MasterSettings(lufs=-60), "out of range"),
    (MasterSettings(target=""), "unknown target ''"), (MasterSettings(tone=""), "unknown tone"),
    (MasterSettings(reference=5), "reference must be the path"),
])
def test_bad_settings_are_refused(settings, message):
    with pytest.raises(InvalidRequest, match=message):
        settings.check()


@pytest.mark.parametrize("settings, message", [
    (MasterSettings(glue="no"), "glue must be True or False"),
    (MasterSettings(mode="loudness", tone="warm"), "does not use tone"),
    (MasterSettings(mode="loudness", width=1.2), "does not use width"),
    (MasterSettings(mode="loudness", mix=0.5), "does not use mix"),
    (MasterSettings(mode="width", tone="warm"), "does not use tone"),
    (MasterSettings(reference="r.wav", tone="warm"), "a reference or a tone, not both"),
    (MasterSettings(tone=5), "like 'warm'"),
])
def test_settings_a_mode_would_ignore_are_refused(settings, message):
    with pytest.raises(InvalidRequest, match=message) as err:
        settings.check()
    assert "--" in err.value.shell or "glue" in message or "like" in message
