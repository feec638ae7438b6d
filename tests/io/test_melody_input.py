import io

import mido
import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.melody_input import read_seed


def _midi_bytes(notes, ticks=480):
    mid = mido.MidiFile(ticks_per_beat=ticks)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    now = 0
    for start, dur, pitch in notes:
        track.append(mido.Message("note_on", note=pitch, velocity=90, time=int(start * ticks) - now))
        track.append(mido.Message("note_off", note=pitch, velocity=0, time=int(dur * ticks)))
        now = int((start + dur) * ticks)
    buf = io.BytesIO()
    mid.save(file=buf)
    return buf.getvalue()


def test_chord_symbols_become_a_progression():
    seed = read_seed("Cmaj7 G6")
    assert [c.symbol for c in seed.chords] == ["Cmaj7", "G6"] and seed.melody is None


def test_note_names_with_durations_and_rests():
    seed = read_seed("E4 G4:0.5 r:0.5 B4:1/2 D5:2")
    assert [(n.pitch, n.start, n.duration) for n in seed.melody] == [
        (64, 0.0, 1.0), (67, 1.0, 0.5), (71, 2.0, 0.5), (74, 2.5, 2.0)]


def test_midi_bytes_and_files(tmp_path):
    data = _midi_bytes([(0, 1, 60), (1, 0.5, 62), (1.5, 0.5, 64), (2, 2, 67)])
    seed = read_seed(data)
    assert [(n.pitch, n.start, n.duration) for n in seed.melody] == [
        (60, 0.0, 1.0), (62, 1.0, 0.5), (64, 1.5, 0.5), (67, 2.0, 2.0)]
    path = tmp_path / "seed.mid"
    path.write_bytes(data)
    assert [n.pitch for n in read_seed(str(path)).melody] == [60, 62, 64, 67]


@pytest.mark.parametrize("bad", ["X9 Q", "E4:0", "Cmaj7 E4:xyz", "   ", b"not a midi file", "missing.mid", 5,
                                 "E4 " * 3000])
def test_unreadable_melodies_raise_a_clear_error(bad):
    with pytest.raises(InvalidRequest) as err:
        read_seed(bad)
    assert "\n" not in str(err.value)


def test_a_truncated_midi_file_says_so():
    data = _midi_bytes([(0, 1, 60), (1, 1, 62)])
    with pytest.raises(InvalidRequest, match="cannot read MIDI bytes: the file is cut short"):
        read_seed(data[:-6])


def test_a_long_seed_is_cut_at_the_limit():
    seed = read_seed(" ".join(["C4:2"] * 60))  # 120 beats
    assert max(n.start for n in seed.melody) < 64 and len(seed.melody) == 32


def test_recordings_are_not_read_here():
    with pytest.raises(InvalidRequest, match="is a recording"):
        read_seed("hum.wav")


def test_a_file_that_is_neither_midi_nor_audio_is_called_a_file():
    with pytest.raises(InvalidRequest, match="cannot read melody file 'tune.txt'"):
        read_seed("tune.txt")
    with pytest.raises(InvalidRequest, match="is empty"):
        read_seed("")
