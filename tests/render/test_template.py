"""Mix templates: checked on load, and the mix they make differs by genre."""
import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.prompt.presets import all_genres
from maestro_ai.render import template
from maestro_ai.render.template import mix_template, pan_gains


def test_every_genre_has_a_template_with_every_part_leveled():
    for genre in all_genres().values():
        mix = mix_template(genre.name)
        assert all(part in mix.levels for part in genre.instruments)


def test_balance_differs_by_genre_and_the_low_end_belongs_to_kick_and_bass_in_dance():
    balances = {g: tuple(mix_template(g).level(p) for p in ("melody", "harmony", "bass", "drums")) for g in all_genres()}
    assert len(set(balances.values())) >= 10
    for genre in ("house", "techno", "trap", "hip-hop"):
        mix = mix_template(genre)
        assert "bass" in mix.sidechain_parts and mix.level("drums") >= mix.level("melody")
        assert all(mix.highpass.get(p, 0) >= 100 for p in ("melody", "harmony", "pad"))


def test_constant_power_panning():
    left, right = pan_gains(0.5)
    assert left ** 2 + right ** 2 == pytest.approx(2.0) and right > left


def test_a_broken_template_is_refused(monkeypatch):
    real = template.read_data
    monkeypatch.setattr(template, "read_data", lambda name: {**real(name), "broken": {"pan": {"kazoo": 0.2}}})
    mix_template.cache_clear()
    try:
        with pytest.raises(InvalidRequest, match=r"mixes.toml \[broken\] names unknown parts \['kazoo'\]"):
            mix_template("broken")
    finally:
        mix_template.cache_clear()
