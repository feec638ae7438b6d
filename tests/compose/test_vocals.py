"""The sung parts of a score: the voice takes the lead's sung notes into its range, breathes
between lines, backs the choruses with "ooh"s; hip-hop verses are rapped on the grid."""
import numpy as np
import pytest

from maestro_ai.compose.form import texture
from maestro_ai.compose.lyrics import set_lyrics
from maestro_ai.compose.vocals import sing
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.prompt.lyrics import guide_lyrics
from maestro_ai.prompt.singers import all_singers, choose_singer, load_singer
from maestro_ai.prompt.syllables import espeak
from tests.compose.songs import song


def _sung(genre, singer, rap=False, seed=2):
    _, score = song(genre, seed=seed, duration=90)
    sheet = guide_lyrics("happy", ["rainy city lights"], np.random.default_rng(seed))
    worded = set_lyrics(score, sheet, genre, rap=rap)
    return worded, sing(worded, load_singer(singer), genre)


@pytest.mark.parametrize("singer", sorted(all_singers()))
def test_the_voice_sings_every_worded_note_of_the_lead_inside_its_range(singer):
    worded, sung = _sung("pop", singer)
    voice = load_singer(singer)
    vocals = sung.part("vocals")
    starts = {lyric.start for lyric in worded.lyrics}
    assert vocals.instrument == singer and {n.start for n in vocals.notes} == starts
    assert all(voice.low <= n.pitch <= voice.high for n in vocals.notes)
    # the lead line keeps its rhythm: nothing sung is played by the instrument as well
    played = next((p.notes for p in sung.parts if p.name == "melody"), [])  # gone where all of it is sung
    assert not starts & {n.start for n in played}
    before = sorted((n.start, n.pitch % 12) for n in worded.part("melody").notes)
    after = sorted((n.start, n.pitch % 12) for n in sung.lead_notes())
    assert before == after


def test_a_line_running_into_the_next_leaves_a_breath():
    worded, sung = _sung("pop", "female-high")
    line_of = {lyric.start: lyric.line for lyric in worded.lyrics}
    notes = sorted(sung.part("vocals").notes, key=lambda n: n.start)
    joins = [(a, b) for a, b in zip(notes, notes[1:]) if line_of[a.start] != line_of[b.start]]
    assert joins and all(b.start - a.end >= 0.2 or a.duration <= 0.5 * b.start - 0.5 * a.start for a, b in joins)
    assert all(b.start - a.end > 0 for a, b in joins)


def test_backing_vocals_hold_two_chord_tones_through_the_choruses_only():
    _, sung = _sung("pop", "male-high")
    backing = sung.part("backing").notes
    bar = sung.beats_per_bar
    choruses = [(s.start_bar * bar, s.end_bar * bar) for s in sung.sections if texture("pop", s.name).returns]
    assert backing and all(any(a <= n.start < b for a, b in choruses) for n in backing)
    singer = load_singer("male-high")
    assert all(singer.low <= n.pitch <= singer.high for n in backing)
    for chord in sung.chords:
        held = sorted(n.pitch % 12 for n in backing if n.start == chord.start)
        if held:
            assert len(held) == 2 and set(held) <= set(chord.pitch_classes)


@pytest.mark.skipif(espeak() is None, reason="espeak-ng is not installed")
def test_hip_hop_verses_are_rapped_on_the_sixteenth_grid_with_stresses_on_the_beat():
    worded, sung = _sung("hip-hop", "male-low", rap=True)
    rap = sung.part("rap").notes
    rapped = [lyric for lyric in sung.lyrics if lyric.start in {n.start for n in rap}]
    assert rap and len(rapped) == len(rap)
    assert all(abs(n.start * 4 - round(n.start * 4)) < 1e-9 for n in rap)  # sixteenths
    stressed = [lyric for lyric in rapped if lyric.stressed]
    assert sum(abs(s.start * 2 - round(s.start * 2)) < 1e-9 for s in stressed) >= 0.95 * len(stressed)
    # a stress-timed flow: the stressed syllables of longer words land on the beat
    long = [lyric for lyric in stressed if lyric.syllabic != "single"]
    assert len(long) >= 10 and sum(abs(s.start - round(s.start)) < 1e-9 for s in long) >= 0.9 * len(long)
    singer = load_singer("male-low")
    assert all(singer.low <= n.pitch <= singer.low + 9 for n in rap)  # spoken, low in the voice
    bar = sung.beats_per_bar
    verses = [(s.start_bar * bar, s.end_bar * bar) for s in sung.sections if not texture("hip-hop", s.name).returns]
    assert all(any(a - 0.25 <= n.start < b for a, b in verses) for n in rap)


def test_voice_types_are_chosen_by_seed_from_the_genres_and_named_exactly():
    picks = {choose_singer(("male-low", "male-high"), seed).name for seed in range(20)}
    assert picks == {"male-low", "male-high"}
    assert choose_singer(("female-low",), 5) == choose_singer(("female-low",), 5)
    with pytest.raises(InvalidRequest, match="unknown voice 'soprano'.*Valid: female-high"):
        load_singer("soprano")


def test_a_second_voice_sings_the_choruses_words_in_chord_tones_a_third_to_a_sixth_away():
    _, sung = _sung("pop", "female-low")
    lead = {n.start: n for n in sung.part("vocals").notes}
    harmony = sung.part("harmonies").notes
    bar = sung.beats_per_bar
    choruses = [(s.start_bar * bar, s.end_bar * bar) for s in sung.sections if texture("pop", s.name).returns]
    in_choruses = [n for n in lead.values() if any(a <= n.start < b for a, b in choruses)]
    assert harmony and len(harmony) >= 0.9 * len(in_choruses)
    singer = load_singer("female-low")
    for note in harmony:
        chord = next(c for c in sung.chords if c.start <= note.start < c.end)
        assert note.start in lead and 3 <= abs(note.pitch - lead[note.start].pitch) <= 9
        assert note.pitch % 12 in chord.pitch_classes and singer.low <= note.pitch <= singer.high
    assert "harmonies" in sung.lyric_parts  # it sings the words


def _choruses(score, genre):
    bar = score.beats_per_bar
    return [(s.start_bar * bar, s.end_bar * bar) for s in score.sections if texture(genre, s.name).returns]


def test_the_lead_is_doubled_through_the_choruses_only_where_the_genre_doubles():
    _, score = song("pop", seed=2, duration=90)
    worded = set_lyrics(score, guide_lyrics("happy", ["rainy city lights"], np.random.default_rng(2)), "pop")
    doubled = sing(worded, load_singer("male-high"), "pop", doubles=True)
    lead = doubled.part("vocals").notes
    choruses = _choruses(doubled, "pop")
    wanted = [n for n in lead if any(a <= n.start < b for a, b in choruses)]
    assert wanted and doubled.part("double").notes == wanted and wanted != lead
    assert "double" in doubled.lyric_parts  # it sings the lead's words
    assert "double" not in {p.name for p in sing(worded, load_singer("male-high"), "pop").parts}


@pytest.mark.skipif(espeak() is None, reason="espeak-ng is not installed")
def test_ad_libs_answer_the_chorus_lines_in_the_rests_on_chord_tones_with_words_of_their_own():
    _, score = song("pop", seed=2, duration=90)
    worded = set_lyrics(score, guide_lyrics("happy", ["rainy city lights"], np.random.default_rng(2)), "pop")
    bank = ("oh", "yeah", "ooh yeah")
    sung = sing(worded, load_singer("female-high"), "pop", adlibs=bank)
    adlibs, lead = sung.part("adlibs").notes, sung.part("vocals").notes
    choruses = _choruses(sung, "pop")
    assert len(sung.adlibs) >= 2 and {w.text for w in sung.adlibs} <= {"oh", "yeah", "ooh"}
    assert sung.words_for("adlibs") == sung.adlibs and sung.words_for("bass") == []
    singer = load_singer("female-high")
    for note in adlibs:
        assert any(a <= note.start < b for a, b in choruses)
        assert not any(n.start < note.end and note.start < n.end for n in lead)  # in the lead's rests
        chord = next(c for c in sung.chords if c.start <= note.start < c.end)
        assert note.pitch % 12 in chord.pitch_classes and singer.low <= note.pitch <= singer.high
    # each ad-lib starts on a note and every word is sung
    assert {w.start for w in sung.adlibs} <= {n.start for n in adlibs} and all(w.phonemes for w in sung.adlibs)
    assert sing(worded, singer, "pop").adlibs == []
