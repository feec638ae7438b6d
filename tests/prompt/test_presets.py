import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.style import COMPING_STYLES, EFFECTS, Genre
from maestro_ai.prompt import presets
from maestro_ai.prompt.presets import all_genres, all_moods, load_genre, load_mood

REQUIRED_GENRES = ["lofi-chill", "ambient", "house", "techno", "hip-hop", "trap", "pop", "rock", "jazz",
                   "cinematic", "folk", "synthwave", "rnb"]
REQUIRED_MOODS = ["ambient-focus", "melancholic", "euphoric", "tense", "dreamy", "romantic", "aggressive", "peaceful"]


def test_all_required_genres_and_moods_exist():
    assert set(REQUIRED_GENRES) <= set(all_genres())
    assert set(REQUIRED_MOODS) <= set(all_moods())
    assert load_genre("orchestral").name == "cinematic" and load_genre("r&b").name == "rnb"
    assert load_genre(load_genre("jazz")) is load_genre("jazz")  # a loaded preset passes through


def test_genres_differ_in_tempo_groove_harmony_and_instruments():
    genres = all_genres().values()
    assert len({g.tempo_range for g in genres}) >= 10
    assert len({g.groove for g in genres}) >= 10
    assert {g.extension for g in genres} == {0, 1, 2}
    assert len({g.instruments["melody"][0] for g in genres}) >= 8
    assert load_genre("trap").half_time and load_genre("jazz").swing > 0.5 and load_genre("house").swing < 0.2
    assert all(set(g.effects) <= EFFECTS and g.comping in COMPING_STYLES for g in genres)


@pytest.mark.parametrize("name, message", [("lofi", "did you mean 'lofi-chill'"), (None, "must be a name"),
                                           (5, "must be a name"), ("", "unknown genre ''")])
def test_unknown_or_wrong_genres_are_refused(name, message):
    with pytest.raises(InvalidRequest, match=message):
        load_genre(name)


def test_moods_by_name_or_as_a_point():
    with pytest.raises(InvalidRequest, match="did you mean 'euphoric'"):
        load_mood("euphoria")
    assert load_mood("0.3,0.8").energy == 0.8
    with pytest.raises(InvalidRequest, match="0-1"):
        load_mood("1.5,0.2")
    with pytest.raises(InvalidRequest, match="must be a name"):
        load_mood(None)


def test_a_broken_preset_names_its_problem():
    table = dict(presets.read_data("genres.toml")["house"])
    with pytest.raises(InvalidRequest, match="unknown effects"):
        presets._genre_from_table("broken", {**table, "effects": ["flanger"]})
    with pytest.raises(InvalidRequest, match="missing or malformed field"):
        presets._genre_from_table("broken", {k: v for k, v in table.items() if k != "tempo"})
    assert isinstance(presets._genre_from_table("fine", table), Genre)


def test_genre_harmony_fields_are_checked():
    table = dict(presets.read_data("genres.toml")["jazz"])
    assert presets._genre_from_table("jazz", table).turnaround == "ii-V" and presets._genre_from_table("jazz", table).voicing == "drop2"
    for field, value, message in (("turnaround", "tritone", "unknown turnaround"), ("voicing", "cluster", "voicing must"),
                                  ("progressions_major", ["I V/xyz"], "cannot read the chord")):
        with pytest.raises(InvalidRequest, match=message):
            presets._genre_from_table("jazz", {**table, field: value})
