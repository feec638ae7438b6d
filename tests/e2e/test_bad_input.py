"""Bad input: a MaestroError with a one-line message naming the fix, exit 2 in the CLI, nothing written."""
import os

import pytest

import maestro_ai
from maestro_ai.cli.main import main


@pytest.mark.parametrize("args,expect", [
    (["--genre", "lofi"], "did you mean 'lofi-chill'"),
    (["--mood", "euphoria"], "did you mean 'euphoric'"),
    (["--tempo", "20"], "30-300"),
    (["--tempo", "301"], "30-300"),
    (["--duration", "4"], "5-1200"),
    (["--duration", "1201"], "5-1200"),
    (["--melody", "not a melody at all"], "cannot read melody"),
    (["--melody", "missing-file.mid"], "cannot read melody file"),
    (["--key", "H major"], "cannot read key"),
    (["--time-signature", "11/16"], "not supported"),
    (["--format", "ogg"], "unknown audio format"),
])
def test_cli_rejects_bad_input_in_one_line_and_writes_nothing(tmp_path, capsys, args, expect):
    out = tmp_path / "out"
    code = main(["generate", "--out", str(out), "--duration", "10", *args])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert expect in err and len(err.splitlines()) == 1 and err.startswith("error: ")
    assert not out.exists() or not any(out.iterdir())


def test_unwritable_output_folder(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running with privileges that ignore folder permissions")
        assert main(["generate", "--out", str(locked), "--duration", "10"]) == 2
        assert "not writable" in capsys.readouterr().err
    finally:
        os.chmod(locked, 0o700)


def test_file_in_the_way_of_the_output_folder(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["generate", "--out", str(blocker / "sub"), "--duration", "10"]) == 2
    assert "cannot create output folder" in capsys.readouterr().err


def test_api_raises_maestro_error():
    with pytest.raises(maestro_ai.MaestroError, match="unknown genre"):
        maestro_ai.MusicGenerator(genre="polka-metal")


def test_existing_track_is_never_overwritten_without_force(tmp_path):
    gen = maestro_ai.MusicGenerator(genre="folk", mood="peaceful", seed=1, output_dir=tmp_path, formats=("wav",))
    meta, path = gen.generate_track({}, duration_seconds=6)
    before = path.read_bytes()
    with pytest.raises(maestro_ai.OutputError, match="already exists"):
        gen.generate_track({}, duration_seconds=6)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.parent.name]  # no leftovers
    forced = maestro_ai.MusicGenerator(genre="folk", mood="peaceful", seed=1, output_dir=tmp_path, formats=("wav",), force=True)
    forced.generate_track({}, duration_seconds=6)
    assert [p.name for p in tmp_path.iterdir()] == [path.parent.name]

