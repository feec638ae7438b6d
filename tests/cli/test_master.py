"""`maestro master` from the shell: a summary, the report, and bad input refused in one line."""
import numpy as np
import pytest

from maestro_ai.cli.main import main
from maestro_ai.core.errors import MaestroError
from maestro_ai.io.audio import write_audio
from maestro_ai.production.mastering.file import master_file, report_paths


def test_bad_input_is_one_line_exit_2_and_writes_nothing(mixes, tmp_path, capsys):
    silent = write_audio(tmp_path / "silent.wav", np.zeros((2, 44100), np.float32), 44100)
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF not really a wave file")
    existing = tmp_path / "exists.wav"
    existing.write_bytes(b"earlier work")
    cases = [
        [str(tmp_path / "missing.wav"), "-o", str(tmp_path / "o1.wav")],
        [str(broken), "-o", str(tmp_path / "o2.wav")],
        [str(silent), "-o", str(tmp_path / "o3.wav")],
        [str(mixes["rock"]), "-o", str(existing)],
        [str(mixes["rock"]), "-o", str(mixes["rock"]), "--force"],
        [str(mixes["rock"]), "-o", str(tmp_path / "o4.ogg")],
        [str(mixes["rock"]), "-o", str(tmp_path / "o5.wav"), "--target", "spotfy"],
        [str(mixes["rock"]), "-o", str(tmp_path / "o6.wav"), "--lufs", "3"],
        [str(mixes["rock"]), "-o", str(tmp_path / "o7.wav"), "--mix", "1.5"],
        [str(mixes["rock"]), "-o", str(tmp_path / "o8.wav"), "--mode", "loud"],
        [str(mixes["rock"]), "-o", str(tmp_path / "nowhere" / "o9.wav")],
        [str(mixes["rock"]), "-o", str(tmp_path / "o10.wav"), "--reference", str(silent)],
        [str(mixes["rock"]), "-o", str(tmp_path / "o11.wav"), "--target", ""],
        [str(mixes["rock"]), "-o", ""],
    ]
    before = sorted(p.name for p in tmp_path.iterdir())
    for args in cases:
        assert main(["master", *args]) == 2, args
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and "\n" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no output, report or scratch file
    assert existing.read_bytes() == b"earlier work"
    with pytest.raises(MaestroError):
        master_file(silent, tmp_path / "x.wav")


def test_cli_masters_and_reports(mixes, tmp_path, capsys):
    out = tmp_path / "cli.wav"
    assert main(["master", str(mixes["jazz"]), "-o", str(out), "--target", "youtube", "--width", "1.2"]) == 0
    printed = capsys.readouterr().out
    assert "LUFS" in printed and "report:" in printed and out.exists()
    assert report_paths(out)[1].exists()


def test_refusals_name_the_shell_flags(mixes, tmp_path, capsys):
    existing = tmp_path / "exists.wav"
    existing.write_bytes(b"earlier work")
    assert main(["master", str(mixes["rock"]), "-o", str(existing)]) == 2
    err = capsys.readouterr().err
    assert "pass --force" in err and "force=True" not in err
    assert main(["master", str(mixes["rock"]), "-o", str(mixes["rock"]), "--force"]) == 2
    assert "choose another -o" in capsys.readouterr().err


def test_a_target_out_of_reach_is_said(mixes, tmp_path, capsys):
    assert main(["master", str(mixes["jazz"]), "-o", str(tmp_path / "hot.wav"), "--lufs", "-5", "--no-report"]) == 0
    assert "target not reached" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["m.wav", "m.flac", "m.mp3"])
def test_a_full_disk_is_one_line_and_leaves_no_master_and_no_report(mixes, full_disk, capsys, name):
    assert main(["master", str(mixes["jazz"]), "-o", str(full_disk / name)]) == 2
    err = capsys.readouterr().err.strip()
    assert "no space left on the device" in err and "Broken pipe" not in err and "\n" not in err
    assert not list(full_disk.iterdir())


def test_a_damaged_file_is_one_line_without_warnings(tmp_path, capsys):
    from pedalboard.io import AudioFile

    damaged = np.zeros((2, 44100 * 2), np.float32)
    damaged[:, 1000] = np.inf
    with AudioFile(str(tmp_path / "inf.wav"), "w", 44100, 2, bit_depth=32) as f:
        f.write(damaged)
    assert main(["master", str(tmp_path / "inf.wav"), "-o", str(tmp_path / "m.wav")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not numbers" in err and "Warning" not in err


def test_a_silent_reference_is_named_as_the_reference(mixes, tmp_path, capsys):
    silent = write_audio(tmp_path / "ref.wav", np.zeros((2, 44100), np.float32), 44100)
    assert main(["master", str(mixes["jazz"]), "-o", str(tmp_path / "m.wav"), "--reference", str(silent)]) == 2
    assert "'ref.wav' is silent (or nearly); there is nothing to use as a reference" in capsys.readouterr().err
