import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.production.mastering.settings import MasterSettings


def test_settings_check_every_value_and_keep_them_tidy():
    checked = MasterSettings(mode=" Tone ", mix=1, width=1.5, reference="ref.wav").check()
    assert (checked.mode, checked.mix, checked.width, str(checked.reference)) == ("tone", 1.0, 1.5, "ref.wav")


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
