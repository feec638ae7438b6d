"""`maestro melody`: MIDI out, read back by mido; bad input exits 2 and writes nothing."""
from __future__ import annotations

import mido
import pytest

from maestro_ai.cli.main import main


def _notes(path, track="melody"):
    midi = mido.MidiFile(str(path))
    chosen = next(t for t in midi.tracks if t.name == track)
    now, onsets = 0, []
    for msg in chosen:
        now += msg.time
        if msg.type == "note_on" and msg.velocity > 0:
            onsets.append((now / midi.ticks_per_beat, msg.note))
    return midi, onsets


def test_readme_command_writes_sixteen_bars_in_key(tmp_path, capsys):
    out = tmp_path / "m.mid"
    assert main(["melody", "--key", "D minor", "--chords", "Dm Bb F C", "--bars", "16", "--seed", "3", "--out", str(out)]) == 0
    midi, onsets = _notes(out)
    meta = {m.type: m for m in midi.tracks[0]}
    assert meta["key_signature"].key == "Dm" and meta["time_signature"].numerator == 4
    assert onsets and max(t for t, _ in onsets) < 64 and onsets[-1][1] % 12 == 2
    d_minor = {2, 4, 5, 7, 9, 10, 0, 1}  # harmonic minor's C# is allowed over A chords
    assert all(p % 12 in d_minor for _, p in onsets)
    _, chords = _notes(out, "chords")
    assert len({t for t, _ in chords}) == 16
    assert "16 bars in D minor" in capsys.readouterr().out


def test_continue_keeps_the_seed_and_goes_on(tmp_path):
    seed = tmp_path / "seed.mid"
    assert main(["melody", "--key", "G major", "--chords", "G D", "--bars", "4", "--seed", "1", "--out", str(seed)]) == 0
    _, given = _notes(seed)
    out = tmp_path / "long.mid"
    assert main(["melody", "--continue", str(seed), "--bars", "12", "--seed", "2", "--out", str(out)]) == 0
    _, onsets = _notes(out)
    assert onsets[:len(given)] == given and max(t for t, _ in onsets) >= 16


@pytest.mark.parametrize("args, message", [
    (["--chords", "Dm Xq7"], "cannot read chord"),
    (["--meter", "11/16"], "metre"),
    (["--bars", "0"], "bars"),
    (["--seed", "-1"], "seed must be a whole number"),
    (["--key", ""], "empty key"),
    (["--tempo", "0"], "tempo 0 is out of range"),
    (["--chords", ""], "chords are text"),
    (["--low", "C5", "--high", "E5"], "under an octave"),
    (["--temperature", "9"], "temperature"),
    (["--key", "H major"], "key"),
])
def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "bad.mid"
    assert main(["melody", "--out", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists()


def test_existing_file_is_kept_without_force(tmp_path, capsys):
    out = tmp_path / "m.mid"
    out.write_bytes(b"mine")
    assert main(["melody", "--out", str(out)]) == 2
    assert out.read_bytes() == b"mine" and "--force" in capsys.readouterr().err
    assert main(["melody", "--out", ""]) == 2
    assert "no output given; name one with --out" in capsys.readouterr().err
