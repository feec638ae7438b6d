"""The instrument and orchestra files are checked on load."""
import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.prompt import instruments
from maestro_ai.prompt.instruments import all_instruments, orchestra, parse_source
from maestro_ai.prompt.presets import all_genres


def test_every_genre_has_a_whole_orchestra():
    for genre in all_genres().values():
        band = orchestra(genre, "happy")
        assert set(band) == set(genre.instruments)
        assert band["drums"].kit and not any(i.kit for p, i in band.items() if p != "drums")


def test_a_mood_can_change_an_instrument():
    assert orchestra("jazz", "energetic")["drums"].id == "jazz-kit"
    assert orchestra("jazz", "peaceful")["drums"].id == "brush-kit"


@pytest.mark.parametrize("text", ["soundfont:nowhere:0:0", "soundfont:fluidr3:0", "synth:", "sampler:x",
                                  "soundfont:fluidr3:129:0", "soundfont:fluidr3:a:0"])
def test_bad_sources_are_refused_with_the_form_to_use(text):
    with pytest.raises(InvalidRequest, match="soundfont:CONTENT:BANK:PRESET"):
        parse_source(text, instruments.all_content(), "x")


def test_a_bad_instrument_table_is_refused(monkeypatch):
    real = instruments.read_data

    def broken(name):
        data = real(name)
        if name == "instruments.toml":
            data = {**data, "tuba": {**data["tenor-sax"], "range": [80, 40]}}
        return data

    monkeypatch.setattr(instruments, "read_data", broken)
    all_instruments.cache_clear()
    try:
        with pytest.raises(InvalidRequest, match="instrument 'tuba'.*low before high"):
            all_instruments()
    finally:
        all_instruments.cache_clear()


def test_every_content_package_names_its_licence():
    for content in instruments.all_content().values():
        assert content.licence and content.package and content.files


def test_genres_offer_other_instrument_sets_for_the_seed_to_choose():
    from maestro_ai.prompt.instruments import orchestra, orchestra_choices

    for genre in ("pop", "jazz", "cinematic"):
        assert orchestra_choices(genre) >= 3
        sets = {tuple(sorted((part, i.name) for part, i in orchestra(genre, "happy", c).items()))
                for c in range(orchestra_choices(genre))}
        assert len(sets) == orchestra_choices(genre)
    assert orchestra("jazz", "romantic", 1)["drums"].name == orchestra("jazz", "romantic", 0)["drums"].name  # moods still apply
    from maestro_ai.prompt.instruments import orchestra_choice

    assert {orchestra_choice("pop", seed) for seed in range(1, 6)} == {0, 1, 2}  # five seeds hear every set
