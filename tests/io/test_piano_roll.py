"""The piano roll read from a song's MIDI file agrees with pretty_midi's reading of it (an
independent parser), tempo changes included."""
import io
from pathlib import Path

import mido
import numpy as np
import pretty_midi
import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.piano_roll import piano_roll


def test_a_songs_piano_roll_matches_pretty_midi(demo_track):
    meta, _ = demo_track
    data = (Path(meta["path"]) / "song.mid").read_bytes()
    roll = piano_roll(data)
    other = pretty_midi.PrettyMIDI(io.BytesIO(data))
    assert [p["name"] for p in roll["parts"]] == [i.name for i in other.instruments if i.notes]
    for part, instrument in zip(roll["parts"], [i for i in other.instruments if i.notes], strict=True):
        theirs = np.array(sorted((round(n.start, 3), n.pitch, n.end - n.start, n.velocity) for n in instrument.notes))
        ours = np.array(sorted((round(s, 3), p, d, v) for s, d, p, v in part["notes"]))
        assert ours.shape == theirs.shape and np.allclose(ours, theirs, atol=2e-3)
    assert roll["duration"] == pytest.approx(other.get_end_time(), abs=1e-3)


def test_tempo_changes_move_the_notes_as_pretty_midi_hears_them():
    song = mido.MidiFile(ticks_per_beat=480)
    song.tracks.append(mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500000),
                                       mido.MetaMessage("set_tempo", tempo=1000000, time=960)]))
    song.tracks.append(mido.MidiTrack([mido.MetaMessage("track_name", name="lead")] + [
        m for beat in range(4) for m in (mido.Message("note_on", note=60 + beat, velocity=80, time=0),
                                         mido.Message("note_off", note=60 + beat, time=480))]))
    data = io.BytesIO()
    song.save(file=data)
    notes = piano_roll(data.getvalue())["parts"][0]["notes"]
    theirs = pretty_midi.PrettyMIDI(io.BytesIO(data.getvalue())).instruments[0].notes
    assert [n[0] for n in notes] == pytest.approx([n.start for n in theirs]) == [0.0, 0.5, 1.0, 2.0]
    with pytest.raises(InvalidRequest):
        piano_roll(b"MThd not really")
