import music21

from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.score import Note, Part, Score, Section
from maestro_ai.io.musicxml import write_musicxml


def test_musicxml_reads_back_with_music21(tmp_path):
    score = Score(90, Key(2, "minor"), TimeSignature(3, 4), [Section("verse", 0, 2, 0.5)], [],
                  [Part("melody", 73, [Note(62, 0, 1.5), Note(65, 1.5, 2.5), Note(69, 4.0, 2.0)], instrument="Flute"),
                   Part("drums", 0, [Note(36, 0, 0.25), Note(42, 1, 0.25)], is_drum=True)])
    path = write_musicxml(score, "Dm & Co", tmp_path / "song.musicxml")
    parsed = music21.converter.parse(str(path))
    assert len(parsed.parts) == 2 and parsed.metadata.title == "Dm & Co"
    melody = parsed.parts[0]
    assert melody.recurse().getElementsByClass(music21.key.KeySignature).first().sharps == -1
    assert melody.recurse().getElementsByClass(music21.meter.TimeSignature).first().ratioString == "3/4"
    assert [n.pitch.midi for n in melody.recurse().notes if not n.tie or n.tie.type == "start"] == [62, 65, 69]
    assert len(melody.getElementsByClass("Measure")) == 2  # the note across the bar line is tied
