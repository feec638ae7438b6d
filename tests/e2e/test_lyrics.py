"""Words in every file a song writes, read back with independent tools: mido (song.mid's lyric
events), music21 (lyrics under song.musicxml's notes), plain text (lyrics.lrc) and json."""
import json
import re

import music21
import pytest

import maestro_ai
from evaluation.vocals import melody_events
from maestro_ai.core.errors import MaestroError

WORDS = """[verse]
walking home the long way round
counting lights along the river

[chorus]
hold on to the summer
hold on to the summer night
"""


@pytest.fixture(scope="module")
def sung(tmp_path_factory):
    gen = maestro_ai.MusicGenerator("pop", "happy", seed=4, output_dir=tmp_path_factory.mktemp("sung"), formats=("wav",),
                                    quality="draft")
    track = gen.generate({"lyrics": WORDS}, duration_seconds=75.0)
    return track.folder, json.loads((track.folder / "track.json").read_text())


def _melody_events(path):
    """The melody's note-on ticks (a set) and its lyric events."""
    _, onsets, lyrics = melody_events(path)
    return set(onsets), lyrics


def test_the_users_words_are_sung_in_order_every_syllable_on_a_note(sung):
    folder, meta = sung
    assert meta["lyrics"]["guide"] is False and meta["request"]["lyrics"] == WORDS
    lines = [line["text"] for line in meta["lyrics"]["lines"]]
    assert set(lines) <= {"walking home the long way round", "counting lights along the river", "hold on to the summer",
                          "hold on to the summer night"}
    assert "walking home the long way round" in lines and "hold on to the summer night" in lines
    onsets, lyrics = _melody_events(folder / "song.mid")
    assert lyrics and all(tick in onsets for tick, _ in lyrics)  # each syllable at a note-on of the melody
    words = "".join(text if text.endswith("-") else text + " " for _, text in lyrics).replace("- ", "").replace("-", "")
    for line in lines:  # the syllables, joined back, spell the lines
        assert line.replace(" ", "") in words.replace(" ", "")


def test_musicxml_shows_the_words_under_the_voices_notes(sung):
    folder, meta = sung
    score = music21.converter.parse(folder / "song.musicxml")
    melody = next(p for p in score.parts if (p.partName or "").lower().startswith("vocals"))
    sung_notes = [n for n in melody.recurse().notes if n.lyrics]
    _, lyrics = _melody_events(folder / "song.mid")
    assert len(sung_notes) == len(lyrics)
    assert [n.lyrics[0].text for n in sung_notes][:6] == [t.rstrip("-") for _, t in lyrics][:6]
    assert {n.lyrics[0].syllabic for n in sung_notes} <= {"single", "begin", "middle", "end"}


def test_the_lrc_file_times_every_line_as_track_json_does(sung):
    folder, meta = sung
    rows = [re.match(r"\[(\d\d):(\d\d)\.(\d\d)\](.*)", row) for row in (folder / "lyrics.lrc").read_text().splitlines()[2:]]
    assert all(rows) and len(rows) == len(meta["lyrics"]["lines"])
    for row, line in zip(rows, meta["lyrics"]["lines"]):
        seconds = int(row[1]) * 60 + int(row[2]) + int(row[3]) / 100
        assert row[4] == line["text"] and abs(seconds - line["start_seconds"]) <= 0.01
    starts = [line["start_seconds"] for line in meta["lyrics"]["lines"]]
    assert starts == sorted(starts)


def test_a_vocal_genre_gets_guide_lyrics_and_an_instrumental_one_none(tmp_path):
    gen = maestro_ai.MusicGenerator("folk", "nostalgic", seed=2, output_dir=tmp_path / "folk", formats=("wav",),
                                    quality="draft")
    folk = gen.generate({"key_phrases": ["old river road"]}, duration_seconds=40.0)
    assert folk.lyrics["guide"] is True and any("old river road" in line["text"] for line in folk.lyrics["lines"])
    jazz = maestro_ai.MusicGenerator("jazz", "romantic", seed=2, output_dir=tmp_path / "jazz", formats=("wav",),
                                     quality="draft").generate({}, duration_seconds=20.0)
    assert jazz.lyrics == {} and not (jazz.folder / "lyrics.lrc").exists()


def test_bad_lyrics_are_refused_before_any_work(tmp_path):
    gen = maestro_ai.MusicGenerator("pop", "happy", output_dir=tmp_path)
    with pytest.raises(MaestroError, match="lyrics"):
        gen.generate({"lyrics": "   "}, duration_seconds=20.0)
    assert not any(tmp_path.iterdir())
