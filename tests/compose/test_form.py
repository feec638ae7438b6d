import pytest

from maestro_ai.compose.arrange import fit_tempo
from maestro_ai.compose.form import (
    _item,
    _texture,
    base_kinds,
    choose_form,
    extended,
    fit_cost,
    genre_forms,
    plan_form,
    section_energy,
    texture,
)
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.prompt.presets import all_genres, load_genre


@pytest.mark.parametrize("genre", sorted(all_genres()))
def test_every_form_tiles_the_song_in_whole_phrases(genre):
    forms = genre_forms(genre)
    for index, form in enumerate(forms.forms):
        for bars in (8, 16, 32, 44, 60, 92, 148, 400):
            sections = plan_form(bars, 0.5, genre, index=index)
            assert sections[0].start_bar == 0 and sections[-1].end_bar == bars
            assert all(a.end_bar == b.start_bar for a, b in zip(sections, sections[1:]))
            assert all(s.bars % forms.unit == 0 for s in sections[:-1]), (genre, index, bars)
            assert sections[-1].bars % forms.unit == bars % forms.unit  # what is left over holds the ending
            assert all(s.bars <= 16 for s in sections[:-1]) and sections[-1].bars < 16 + forms.unit
            if bars >= 32:  # the form keeps its first and last kinds
                assert sections[0].name == form[0].kind and sections[-1].name == form[-1].kind


def test_long_songs_repeat_the_block_and_short_ones_drop_what_is_optional():
    pop = genre_forms("pop").forms[1]  # intro verse* chorus* bridge? chorus outro
    names = {bars: [s.name for s in plan_form(bars, 0.5, "pop", index=1)] for bars in (56, 80, 240)}
    assert [names[bars].count("verse") for bars in (56, 80, 240)] == [2, 3, 7]
    assert all(n.count("bridge") == 1 and n[-2:] == ["chorus", "outro"] for n in names.values())
    short = [s.name for s in plan_form(32, 0.5, "pop", index=1)]
    assert "bridge" not in short and short[0] == "intro" and short[-1] == "outro"
    assert fit_cost(pop, 40, "pop") == 0 and fit_cost(pop, 32, "pop") > 0


def test_odd_lengths_hold_the_ending_and_tiny_songs_are_one_section():
    sections = plan_form(43, 0.5, "pop", index=1)
    assert sections[-1].name == "outro" and sections[-1].bars == 4 + 3
    assert [(s.name, s.bars) for s in plan_form(5, 0.5, "pop")] == [("verse", 5)]


def test_kinds_say_who_plays_and_genres_change_them():
    assert texture("house", "breakdown").drums == "none" and texture("house", "breakdown").bass == "off"
    assert texture("pop", "intro").drums == "none" and texture("house", "intro").drums == "kick"
    assert texture("jazz", "solo").melody == "solo" and texture("pop", "chorus").returns
    assert texture("pop", "mystery").melody == "on"  # an unknown name plays like a verse
    assert set(base_kinds()) >= {"intro", "verse", "chorus", "drop", "breakdown", "build", "solo", "coda"}
    energy = {s.name: s.energy for s in plan_form(64, 0.5, "house", index=0)}
    assert energy["drop"] > energy["build"] > energy["breakdown"]
    chorus = texture("pop", "chorus")
    assert section_energy(chorus, 0.5, repeat=2) > section_energy(chorus, 0.5)


def test_a_bad_form_says_what_is_wrong():
    kinds = base_kinds()
    with pytest.raises(InvalidRequest, match="unknown kind 'chrous'"):
        _item("chrous:8", kinds, 4)
    with pytest.raises(InvalidRequest, match="multiple of 4"):
        _item("verse:6", kinds, 4)
    with pytest.raises(InvalidRequest, match="unknown fields"):
        _texture("verse", {"colour": "blue"}, kinds["verse"])
    with pytest.raises(InvalidRequest, match="drums 'loud' is not one of"):
        _texture("verse", {"drums": "loud"}, kinds["verse"])
    with pytest.raises(InvalidRequest, match="breath must be"):
        _texture("verse", {"breath": 3}, kinds["verse"])


def test_seeds_go_through_the_genres_forms():
    for genre in ("house", "pop", "jazz"):
        assert len({choose_form(genre, seed) for seed in range(1, 4)}) == len(genre_forms(genre).forms)
    verse_first = {choose_form("pop", seed, opens_with_verse=True) for seed in range(6)}
    assert verse_first == {0, 1}  # pop's third form opens on its chorus
    assert choose_form("pop", 1, turn=1) == choose_form("pop", 2)


def test_a_free_tempo_moves_a_little_so_whole_phrases_fill_the_song():
    for genre in ("pop", "house", "jazz", "ambient", "trap"):
        g = load_genre(genre)
        for tempo in (g.tempo_range[0], sum(g.tempo_range) / 2, g.tempo_range[1]):
            bpm, bars = fit_tempo(g, 0, tempo, 118.0, 4.0, fixed=False)
            assert bars % 4 == 0 and g.tempo_range[0] <= bpm <= g.tempo_range[1]
            assert abs(bpm - tempo) <= 0.15 * tempo + 1
            assert bars * 4 * 60 / bpm <= 118.0  # the phrases end before the ring-out
    assert fit_tempo(load_genre("pop"), 0, 111.0, 118.0, 4.0, fixed=True) == (111.0, 54)


def test_an_extension_repeats_the_songs_middle_in_order():
    song = plan_form(40, 0.5, "pop", index=1)
    longer = extended(song, 20, "pop", 0.5)
    assert [s.name for s in longer[:len(song) - 1]] == [s.name for s in song[:-1]]
    assert longer[-1].name == "outro" and longer[-1].end_bar == 60
    assert [(s.name, s.bars) for s in longer[len(song) - 1:-1]] == [("verse", 8), ("chorus", 8), ("bridge", 4)]
