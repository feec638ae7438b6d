"""`maestro transcribe`, and `generate --melody` with a recording, from the shell."""
import tempfile
from pathlib import Path

import mido
import numpy as np
import pytest

from maestro_ai.cli.main import main
from maestro_ai.io.audio import write_audio
from maestro_ai.render.synth import fluid_soundfont

pytestmark = pytest.mark.skipif(fluid_soundfont() is None, reason="the melody is rendered with FluidSynth and FluidR3_GM")


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
