import pytest

from maestro_ai.compose.lyrics import phrases, set_line, stressed_on_beat
from maestro_ai.core.score import Note
from maestro_ai.prompt import syllables as syl
from maestro_ai.prompt.syllables import Syllable, Word, syllabify
from tests.compose.songs import song
from tests.prompt.test_syllables import LYRIC


def _word(text, *stresses):
    return Word(text, tuple(Syllable(f"{text}{i}", (), s) for i, s in enumerate(stresses)))


def test_more_syllables_than_notes_split_the_longest_notes_on_their_pitch():
    notes = [Note(60, 0.0, 2.0), Note(62, 2.0, 1.0)]
    out, sung = set_line(notes, [_word("a", False), _word("b", True), _word("c", False), _word("d", True)])
    assert len(out) == 4 and [s.text for s in sung] == ["a0", "b0", "c0", "d0"]
    assert sum(n.duration for n in out) == 3.0 and out[0].pitch == out[1].pitch == 60
    assert [n.start for n in out] == sorted(n.start for n in out)


def test_fewer_syllables_come_in_late_or_sing_a_melisma_with_the_stress_on_the_beat():
    notes = [Note(60 + i, i * 0.5, 0.5) for i in range(6)]  # eighths from beat 0
    out, sung = set_line(notes, [_word("to", False), _word("night", True)])
    assert out == notes and len(sung) < len(out)  # every note is kept; the ones before the words are unsung
    assert [s.start for s in sung] == [n.start for n in out[len(out) - len(sung):]]
    to, night = (next(s for s in sung if s.text == t) for t in ("to0", "night0"))
    assert night.start % 1 == 0 and to.start % 1 == 0.5 and sung[0] is to  # to-NIGHT: the pickup, then the beat
    assert [s.syllabic for s in sung].count("melisma") == len(sung) - 2


@pytest.mark.skipif(syl.espeak() is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize("genre", ["pop", "folk", "rnb"])
def test_every_syllable_of_a_lyric_lands_on_a_note_and_stresses_fall_on_the_beat(genre):
    _, score = song(genre, seed=2, duration=90)
    melody = next(p for p in score.parts if p.name == "melody").notes
    lines = syllabify(LYRIC.splitlines())
    sung_all, placed = [], 0
    for i, phrase in enumerate(phrases(melody)):
        words = lines[i % len(lines)]
        notes, sung = set_line(phrase, words, line=i)
        assert len(notes) >= len(phrase) and [n.start for n in notes][len(notes) - len(sung):] == [s.start for s in sung]
        syllable_count = sum(len(w.syllables) for w in words)
        assert [s.text for s in sung if s.syllabic != "melisma"] == [x.text for w in words for x in w.syllables]
        placed += syllable_count
        sung_all += sung
        assert min(n.start for n in notes) == min(n.start for n in phrase)  # no note is lost
        assert max(n.end for n in notes) == pytest.approx(max(n.end for n in phrase))
    assert placed > 50
    assert stressed_on_beat(sung_all) >= 0.8
