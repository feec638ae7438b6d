"""`maestro transcribe` and `generate --melody hum.wav`: basic-pitch's ONNX model on rendered
melodies, judged by mir_eval; the transcribed melody seeds a song."""
from __future__ import annotations

import tempfile
from difflib import SequenceMatcher
from pathlib import Path

import mido
import numpy as np
import pytest

import maestro_ai
from maestro_ai.cli.main import main
from maestro_ai.io.audio import write_audio
from maestro_ai.io.melody_input import read_seed
from maestro_ai.render.synth import fluid_soundfont

pytestmark = pytest.mark.skipif(fluid_soundfont() is None,
                                reason="the melodies are rendered with FluidSynth and FluidR3_GM")


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> tuple[Path, dict]:
    """A melody by the learned composer, played on the piano at 100 BPM, and its notes."""
    from maestro_ai.production.evaluate_transcription import cases, render

    case = next(c for c in cases(4, seed=11) if c["instrument"] == "piano")
    case["tempo"] = 100.0  # the notes are in seconds already; only the MIDI file's beats use it
    folder = tmp_path_factory.mktemp("hum")
    return write_audio(folder / "melody.wav", render(case)[None], 44100), case


def test_note_f1_on_rendered_melodies():
    import mir_eval  # noqa: F401  (the judge)

    from maestro_ai.production.evaluate_transcription import evaluate

    result = evaluate(4, seed=2026)  # one melody per instrument
    assert result["f1_by_instrument"]["piano"] >= 0.8, result["rows"]
    assert result["note_f1"] >= 0.6, result["rows"]  # the whole 24-melody figure is in docs


def test_transcribe_writes_a_midi_file_mido_reads(played, tmp_path, capsys):
    path, case = played
    out = tmp_path / "melody.mid"
    assert main(["transcribe", str(path), "-o", str(out), "--melody", "--tempo", "100"]) == 0
    assert "notes" in capsys.readouterr().out
    midi = mido.MidiFile(out)
    pitches = [m.note for m in midi.tracks[-1] if m.type == "note_on" and m.velocity > 0]
    expected = [p for _, _, p in case["notes"]]
    assert abs(len(pitches) - len(expected)) <= 0.15 * len(expected)
    assert np.mean([p in expected for p in pitches]) > 0.9


def test_a_played_melody_seeds_a_song(played, tmp_path):
    path, case = played
    seed = read_seed(str(path), tempo_bpm=100.0)
    assert seed.source == "audio"
    heard = [n.pitch for n in seed.melody]
    written = [p for _, _, p in case["notes"]][:len(heard)]
    assert SequenceMatcher(None, heard, written).ratio() > 0.8  # the same tune, note for note
    gen = maestro_ai.MusicGenerator(genre="pop", mood="happy", seed=2, output_dir=tmp_path, formats=("wav",))
    meta, _ = gen.generate_track({"melody_midi": str(path), "tempo_bpm": 100}, duration_seconds=30)
    song = mido.MidiFile(Path(meta["path"]) / "song.mid")
    melody_track = next(t for t in song.tracks if any(getattr(m, "name", "") == "melody" for m in t if m.is_meta))
    played_pitches = [m.note for m in melody_track if m.type == "note_on" and m.velocity > 0]
    assert played_pitches[:8] == heard[:8]  # the song opens its verse with the hummed tune


def test_bad_input_is_refused(played, tmp_path, capsys):
    path, _ = played
    silent = write_audio(tmp_path / "silent.wav", np.zeros((1, 44100), np.float32), 44100)
    existing = tmp_path / "exists.mid"
    existing.write_bytes(b"earlier")
    for args in ([str(tmp_path / "missing.wav"), "-o", str(tmp_path / "a.mid")],
                 [str(silent), "-o", str(tmp_path / "b.mid")],
                 [str(path), "-o", str(tmp_path / "c.wav")],
                 [str(path), "-o", str(existing)],
                 [str(path), "-o", str(tmp_path / "d.mid"), "--tempo", "1000"]):
        assert main(["transcribe", *args]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and "\n" not in err
    assert existing.read_bytes() == b"earlier" and not list(tmp_path.glob("[abcd].*"))
    with tempfile.TemporaryDirectory() as folder:
        assert main(["generate", "--genre", "pop", "--mood", "happy", "--duration", "10", "--melody", str(silent),
                     "--out", folder]) == 2
        assert not any(Path(folder).iterdir())
