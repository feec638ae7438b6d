"""basic-pitch's ONNX model on a rendered melody; a transcribed melody seeds a song; a long
recording costs only the beginning that is used."""
from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

import mido
import numpy as np
import pytest

import maestro_ai
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.audio import write_audio
from maestro_ai.io.stream import Source
from maestro_ai.pipeline.request import read_melody
from maestro_ai.production.transcription import basic_pitch
from maestro_ai.production.transcription.basic_pitch import transcribe, transcribe_file
from maestro_ai.render.synth import fluid_soundfont

pytestmark = pytest.mark.skipif(fluid_soundfont() is None,
                                reason="the melodies are rendered with FluidSynth and FluidR3_GM")


def test_transcribe_writes_a_midi_file_mido_reads(played, tmp_path):
    path, case = played
    result = transcribe_file(path, tmp_path / "melody.mid", tempo_bpm=100, monophonic=True)
    midi = mido.MidiFile(tmp_path / "melody.mid")
    pitches = [m.note for m in midi.tracks[-1] if m.type == "note_on" and m.velocity > 0]
    expected = [p for _, _, p in case["notes"]]
    assert result.notes == len(pitches) and result.range == (min(pitches), max(pitches))
    assert abs(len(pitches) - len(expected)) <= 0.15 * len(expected)
    assert np.mean([p in expected for p in pitches]) > 0.9


def test_a_played_melody_seeds_a_song(played, tmp_path):
    path, case = played
    seed, midi_bytes = read_melody(str(path), 100.0)
    assert seed.source == "audio" and midi_bytes[:4] == b"MThd"
    heard = [n.pitch for n in seed.melody]
    written = [p for _, _, p in case["notes"]][:len(heard)]
    assert SequenceMatcher(None, heard, written).ratio() > 0.8  # the same tune, note for note
    gen = maestro_ai.MusicGenerator(genre="pop", mood="happy", seed=2, output_dir=tmp_path, formats=("wav",))
    meta, _ = gen.generate_track({"melody_midi": str(path), "tempo_bpm": 100}, duration_seconds=30)
    song = mido.MidiFile(Path(meta["path"]) / "song.mid")
    onsets = []  # the lead line: the melody's notes and those the voice sings (moved by octaves to its range)
    for track in song.tracks:
        if any(getattr(m, "name", "") in ("melody", "vocals") for m in track if m.is_meta):
            now = 0
            for m in track:
                now += m.time
                if m.type == "note_on" and m.velocity > 0:
                    onsets.append((now, m.note))
    played_pitches = [p for _, p in sorted(onsets)]
    assert [p % 12 for p in played_pitches[:8]] == [p % 12 for p in heard[:8]]  # the song opens with the hummed tune
    assert np.array_equal(np.diff(played_pitches[:8]) % 12, np.diff(heard[:8]) % 12)


def test_a_long_recording_seeds_a_song_from_its_beginning_only(played, tmp_path, monkeypatch):
    path, _ = played
    audio = Source(path).blocks().__next__()
    long = tmp_path / "long.wav"
    from pedalboard.io import AudioFile

    with AudioFile(str(long), "w", 44100, 1) as f:
        for _ in range(40):  # about 40 x 2.8 s of the tune, over and over
            f.write(audio.mean(axis=0, keepdims=True))
    read = []
    blocks = Source.blocks
    monkeypatch.setattr(Source, "blocks", lambda self, size=122_880: (read.append(size) or b for b in blocks(self, size)))
    seed, _ = read_melody(str(long), 120.0)
    seconds = len(read) * 122_880 / 22050
    assert seed.melody and seconds < 64 * 60 / 120 + basic_pitch.SEED_TAIL_SECONDS + 6  # not the whole 110 s


def test_recordings_that_cannot_be_transcribed_say_why(tmp_path):
    short = write_audio(tmp_path / "blip.wav", 0.3 * np.ones((1, 40), np.float32), 44100)
    with pytest.raises(InvalidRequest, match="s long; to transcribe it"):
        transcribe(short)
    silent = write_audio(tmp_path / "silent.wav", np.zeros((1, 44100), np.float32), 44100)
    with pytest.raises(InvalidRequest, match="silent"):
        transcribe(silent)
    with pytest.raises(InvalidRequest, match="must be a path"):
        transcribe_file(None, tmp_path / "x.mid")
