import numpy as np
import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.prompt import syllables
from maestro_ai.prompt.lyrics import bank, guide_lyrics, read_lyrics, vocables_for
from maestro_ai.prompt.presets import all_moods


def test_every_mood_has_a_feeling_with_hooks_verses_and_a_bridge():
    data = bank()
    assert set(data["moods"]) == set(all_moods())
    for feeling in set(data["moods"].values()):
        table = data[feeling]
        assert len(table["hooks"]) >= 3 and table["bridges"] and len(table["rhymes"]) >= 3
        assert any("{phrase}" in h for h in table["hooks"])
        assert all(len(family) == 4 for family in table["rhymes"])


def test_guide_lyrics_sing_the_key_phrase_in_the_hook_and_vary_with_the_seed():
    sheets = [guide_lyrics("nostalgic", ["old river road"], np.random.default_rng(seed)) for seed in range(6)]
    assert all(s.guide and "old river road" in s.hooks[0] for s in sheets)
    assert len({(s.hooks, s.verses) for s in sheets}) >= 3
    assert guide_lyrics("nostalgic", ["old river road"], np.random.default_rng(2)) == sheets[2]  # same seed, same words
    plain = guide_lyrics("dark", [], np.random.default_rng(0))
    assert all("{" not in line for line in plain.hooks)


def test_the_users_stanzas_are_read_by_their_headings():
    sheet = read_lyrics("[Verse]\nwalking home\nthe long way round\n\n[Chorus]\nsing it out\nsing it loud\n\n"
                        "second verse here\n\n[Bridge]\nand then\n")
    assert not sheet.guide and sheet.hooks == ("sing it out", "sing it loud") and sheet.bridge == ("and then",)
    assert sheet.verses == (("walking home", "the long way round"), ("second verse here",))
    assert read_lyrics("one line only").hooks == ("one line only",)


@pytest.mark.parametrize("text, message", [("", "no words"), ("   \n\n ", "no words"), (42, "must be text"),
                                           ("x" * 10_001, "keep them to"), ("bad\x07bell", "control characters")])
def test_unusable_lyrics_are_refused_in_one_line(text, message):
    with pytest.raises(InvalidRequest, match=message):
        read_lyrics(text)


@pytest.mark.skipif(syllables.espeak() is None, reason="espeak-ng is not installed")
def test_every_genre_s_vocables_are_single_sung_syllables():
    for genre in bank()["vocables"]:
        sing, close = vocables_for(genre)
        words = syllables.syllabify([" ".join([*sing, close])])[0]
        assert [len(w.syllables) for w in words] == [1] * (len(sing) + 1), genre
        assert all(any(syllables.is_vowel(p) for p in w.syllables[0].phonemes) for w in words), genre


def test_a_vocal_genre_s_style_sings_its_own_hooks_and_verses_first():
    data = bank()
    assert set(data["styles"]) == {"hip-hop", "trap", "folk", "rock"}
    for feeling in set(data["moods"].values()):
        for style in set(data["styles"].values()):
            table = data[feeling][style]
            assert any("{phrase}" in h for h in table["hooks"]) and any("{phrase}" not in h for h in table["hooks"])
            assert table["rhymes"] and all(len(family) == 4 for family in table["rhymes"])
    for genre, style in data["styles"].items():
        sheet = guide_lyrics("nostalgic", ["old river road"], np.random.default_rng(4), genre=genre)
        own = data["longing"][style]
        assert sheet.verses[0] in [tuple(f) for f in own["rhymes"]]
        assert sheet.hooks[0] in [h.format(phrase="old river road") for h in own["hooks"]]
        wordless = guide_lyrics("nostalgic", [], np.random.default_rng(4), genre=genre)  # no key phrase: two plain hooks
        assert len(set(wordless.hooks)) == 2 and not any("{phrase}" in h for h in wordless.hooks)
    shared = [line for family in data["longing"]["rhymes"] for line in family]
    pop = guide_lyrics("nostalgic", ["old river road"], np.random.default_rng(4), genre="pop")
    assert all(line in shared for verse in pop.verses for line in verse)
