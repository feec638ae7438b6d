import json

import mido
import music21
import pytest

import maestro_ai
from maestro_ai.compose.modulation import key_change, lift_key
from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.score import Chord, Note, Part, Score, Section

FORM = [Section("intro", 0, 4, .3), Section("chorus", 4, 8, .8), Section("verse", 12, 8, .5),
        Section("chorus", 20, 8, .85), Section("outro", 28, 4, .3)]


def test_the_lift_lands_on_the_last_chorus_of_the_forms_that_have_one():
    assert key_change(FORM, "pop", 0) == (20, 1) and key_change(FORM, "pop", 1) == (20, 2)
    assert key_change(FORM, "pop", 2) is None  # this form stays in its key
    assert key_change(FORM[:3], "pop", 1) is None  # one chorus: nothing to lift
    assert all(key_change(FORM, genre, i) is None for genre in ("rock", "jazz", "house") for i in range(3))


def test_everything_pitched_moves_up_from_the_change_and_the_drums_stay():
    at = 80.0
    score = Score(120.0, Key(0, "major"), TimeSignature(4, 4), FORM,
                  [Chord("G7", 7, (0, 4, 7, 10), 76.0, 4.0), Chord("C", 0, (0, 4, 7), 80.0, 4.0),
                   Chord("F", 5, (0, 4, 7), 78.0, 4.0)],
                  [Part("melody", 0, [Note(67, 79.0, 1.0), Note(72, 80.0, 1.0), Note(76, 90.0, 2.0)]),
                   Part("pad", 89, [Note(60, 72.0, 16.0)]),
                   Part("drums", 0, [Note(36, 80.0, 0.5)], is_drum=True)])
    lifted = lift_key(score, "pop", 1)
    melody, pad, drums = (p.notes for p in lifted.parts)
    assert [n.pitch for n in melody] == [67, 74, 78]
    assert pad == [Note(60, 72.0, at - 72.0)]  # held over the change: it stops there
    assert drums == score.parts[2].notes
    assert [c.symbol for c in lifted.chords] == ["G7", "D", "F"] and lifted.chords[2].duration == 2.0
    assert lifted.key == score.key  # the song's key is its home key; track.json names the change


@pytest.fixture(scope="module")
def lifted_pop(tmp_path_factory):
    gen = maestro_ai.MusicGenerator("pop", "happy", seed=1, output_dir=tmp_path_factory.mktemp("pop"),
                                    formats=("wav",), quality="draft")
    track = gen.generate({}, duration_seconds=150.0)
    return track.folder, json.loads((track.folder / "track.json").read_text())


def _melody(path):
    midi = mido.MidiFile(path)
    track = next(t for t in midi.tracks if any(m.type == "track_name" and m.name == "melody" for m in t))
    now, notes = 0, []
    for m in track:
        now += m.time
        if m.type == "note_on" and m.velocity:
            notes.append((now / midi.ticks_per_beat, m.note))
    return notes


def test_the_last_chorus_is_the_hook_again_a_step_higher(lifted_pop):
    folder, meta = lifted_pop
    change = meta["form"]["key_change"]
    assert change["semitones"] == 2 and change["to"] == str(Key((Key.parse(meta["key"]).tonic + 2) % 12,
                                                                Key.parse(meta["key"]).mode))
    choruses = [s for s in meta["sections"] if s["name"] == "chorus"]
    assert choruses[-1]["start_bar"] == change["bar"]
    notes = _melody(folder / "song.mid")

    def line(s, bars=8):
        return [(round(b - s["start_bar"] * 4, 2), p) for b, p in notes if s["start_bar"] * 4 <= b < (s["start_bar"] + bars) * 4]
    first, last = line(choruses[0]), line(choruses[-1])
    same_rhythm = [(b, p) for b, p in first if any(abs(b - c) < 0.1 for c, _ in last)]
    matched = sum(any(abs(b - c) < 0.1 and q - p == 2 for c, q in last) for b, p in same_rhythm)
    assert matched >= 0.7 * len(first)
    # music21's key finder hears the last chorus a whole step above the first
    keys = [music21.stream.Stream([music21.note.Note(p, quarterLength=0.5) for _, p in ch]).analyze("key")
            for ch in (first, last)]
    assert (keys[1].tonic.pitchClass - keys[0].tonic.pitchClass) % 12 == 2
