"""Syllables judged against CMUdict (the `pronouncing` package, a test-only dependency)."""
import pronouncing
import pytest

from maestro_ai.prompt import syllables as syl
from maestro_ai.prompt.syllables import split_spelling, syllabify, words_of

pytestmark = pytest.mark.skipif(syl.espeak() is None, reason="espeak-ng is not installed")

LYRIC = """rainy city lights are calling me home tonight
every window glowing like a memory of you
we were dancing on the river under silver skies
hold on to the feeling never let it go
beautiful and broken in the morning after rain
whisper all your secrets to the ocean and the stars"""


def test_syllable_counts_agree_with_the_pronouncing_dictionary():
    lines = LYRIC.splitlines()
    words = [w for line in syllabify(lines) for w in line]
    judged = [(w, pronouncing.phones_for_word(w.text)) for w in words]
    judged = [(w, phones[0]) for w, phones in judged if phones]
    assert len(judged) >= 50
    same = [w.text for w, phones in judged if len(w.syllables) == pronouncing.syllable_count(phones)]
    assert len(same) >= 0.9 * len(judged), sorted({w.text for w, _ in judged} - set(same))


def test_the_stressed_syllable_of_each_longer_word_is_the_dictionarys():
    words = [w for line in syllabify(LYRIC.splitlines()) for w in line if len(w.syllables) >= 2]
    agree = total = 0
    for w in words:
        phones = pronouncing.phones_for_word(w.text)
        if not phones or pronouncing.syllable_count(phones[0]) != len(w.syllables):
            continue
        primary = pronouncing.stresses(phones[0]).index("1")
        total += 1
        agree += w.syllables[primary].stressed
    assert total >= 15 and agree >= 0.9 * total


def test_function_words_in_a_line_are_unstressed_and_the_spelling_is_kept():
    line = syllabify(["hold on to the feeling"])[0]
    assert not next(w for w in line if w.text == "the").syllables[0].stressed
    assert all("".join(s.text for s in w.syllables) == w.text for w in line)
    assert words_of("Don't stop-me now!") == ["don't", "stop", "me", "now"]


def test_without_espeak_the_spelling_stands_in(monkeypatch):
    monkeypatch.setattr(syl, "espeak", lambda: None)
    line = syllabify(["silver river"])[0]
    assert [[s.text for s in w.syllables] for w in line] == [["sil", "ver"], ["ri", "ver"]]
    assert [s.stressed for s in line[0].syllables] == [True, False]


def test_split_spelling_gives_as_many_pieces_as_asked():
    for word, count in (("beautiful", 3), ("rhythm", 2), ("a", 1), ("strengths", 2)):
        parts = split_spelling(word, count)
        assert len(parts) == count and "".join(parts) == word and all(parts)
