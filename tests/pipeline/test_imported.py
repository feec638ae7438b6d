"""A person's MIDI file read as a score: judged on a human-made piece (a Bach chorale from music21's
corpus, written out as MIDI by music21 itself), whose voices, key and notes music21 knows."""
import io
import math

import mido
import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.pipeline.imported import score_from_midi

music21 = pytest.importorskip("music21")


@pytest.fixture(scope="module")
def chorale():
    """BWV 66.6 (four voices) and its MIDI as music21 writes it."""
    work = music21.corpus.parse("bach/bwv66.6")
    path = work.write("midi")
    return work, path.read_bytes()


def test_a_chorales_soprano_is_the_melody_and_every_voice_is_kept(chorale):
    work, data = chorale
    score = score_from_midi(data)
    soprano = [n.pitch.midi for n in work.parts[0].stripTies().flatten().notes]  # a tied note is one MIDI note
    melody = score.part("melody").notes
    assert [n.pitch for n in melody] == soprano
    voices = sum(len(p.stripTies().flatten().notes) for p in work.parts)
    assert sum(len(p.notes) for p in score.parts) == voices
    assert score.part("bass").notes == [] and score.part("drums").notes == []  # no bass program, no kit
    assert [p.name for p in score.parts] == ["melody", "harmony", "bass", "drums", "pad", "counter"]


def test_its_key_metre_and_chords_agree_with_music21(chorale):
    work, data = chorale
    score = score_from_midi(data)
    theirs = work.analyze("key")
    assert (score.key.tonic, score.key.mode) == (theirs.tonic.pitchClass, theirs.mode)
    assert tuple(score.time_signature) == (4, 4)
    bars = math.ceil(float(work.highestTime) / 4)  # the MIDI starts at the pickup: 9 bars of 4 beats
    assert score.bars == bars == 9 and [s.bars for s in score.sections] == [8, 1]
    # the roots music21 names where its chordify finds a triad or a seventh chord on a beat, against ours
    on_beats = [c for c in work.chordify().flatten().getElementsByClass("Chord")
                if (c.isTriad() or c.isSeventh()) and float(c.offset) % 1 == 0]
    agree = sum(1 for c in on_beats
                if any(ch.start <= float(c.offset) < ch.end and ch.root == c.root().pitchClass for ch in score.chords))
    assert len(on_beats) > 25 and agree / len(on_beats) > 0.65


def test_what_is_not_midi_or_holds_no_notes_is_refused():
    with pytest.raises(InvalidRequest, match="not a MIDI file"):
        score_from_midi(b"RIFF....WAVEfmt ", "song.wav")
    empty = mido.MidiFile()
    empty.tracks.append(mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500000)]))
    buffer = io.BytesIO()
    empty.save(file=buffer)
    with pytest.raises(InvalidRequest, match="holds no notes"):
        score_from_midi(buffer.getvalue(), "empty.mid")
