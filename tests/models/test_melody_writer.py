"""Melodies straight from the composer: over chords, over its own chords, or continuing a seed."""
from __future__ import annotations

import mido
import pytest

from maestro_ai.core.errors import InvalidRequest, OutputError
from maestro_ai.io.melody_input import read_seed
from maestro_ai.models.melody_writer import save_melody, write_melody


def test_chords_repeat_to_fill_and_the_key_comes_from_them():
    result = write_melody(chords="Am F C G", bars=8, seed=1)
    assert str(result.key) == "A minor" and [c.symbol for c in result.chords[4:8]] == ["Am", "F", "C", "G"]
    assert result.notes[-1].pitch % 12 == 9 and max(n.end for n in result.notes) <= 32


def test_the_model_picks_chords_for_a_seed_and_continues_it():
    seed = read_seed("G4 B4 D5 G5:2 F#5 D5 G4:2").melody
    result = write_melody(bars=6, seed=4, seed_melody=seed)
    assert str(result.key) == "G major" and result.seed_notes == len(seed)
    assert [(n.pitch, n.start) for n in result.notes[:len(seed)]] == [(n.pitch, n.start) for n in seed]


@pytest.mark.parametrize("kwargs, message", [({"bars": 0}, "bars"), ({"seed": -1}, "seed"), ({"key": ""}, "empty key"),
                                             ({"meter": "11/16"}, "metre"), ({"low": "C5", "high": "E5"}, "under an octave"),
                                             ({"low": "C1"}, "outside the model's range")])
def test_bad_requests(kwargs, message):
    with pytest.raises(InvalidRequest, match=message):
        write_melody(**kwargs)


def test_saved_as_two_tracks_and_never_over_earlier_work(tmp_path):
    result = write_melody(key="D minor", chords="Dm Bb F C", bars=4, seed=3)
    path = save_melody(result, tmp_path / "m.mid", tempo_bpm=96)
    midi = mido.MidiFile(str(path))
    assert [t.name for t in midi.tracks[1:]] == ["melody", "chords"]
    with pytest.raises(OutputError, match="already exists"):
        save_melody(result, path)
    with pytest.raises(InvalidRequest, match="tempo"):
        save_melody(result, tmp_path / "n.mid", tempo_bpm=1000)
