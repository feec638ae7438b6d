import json
import os

import pytest

from maestro_ai.cli.main import main


def test_generate_from_the_shell(tmp_path, capsys):
    code = main(["generate", "--genre", "hip-hop", "--mood", "dark", "--tempo", "88", "--duration", "12",
                 "--phrase", "late night drive", "--melody", "D4 F4:0.5 A4:0.5 C5:2", "--seed", "3",
                 "--out", str(tmp_path), "--format", "wav", "--format", "flac", "--json"])
    captured = capsys.readouterr()
    assert code == 0
    meta = json.loads(captured.out)
    assert meta["tempo"] == 88 and meta["seed"] == 3
    folder = tmp_path / next(p.name for p in tmp_path.iterdir())
    assert (folder / "mix.flac").exists() and (folder / "mix.wav").exists() and not (folder / "mix.mp3").exists()
    assert main(["generate", "--genre", "folk", "--duration", "6", "--seed", "4", "--format", "wav",
                 "--out", str(tmp_path)]) == 0
    shown = capsys.readouterr()
    assert all(label in shown.err for label in ("Composing parts", "Rendering stems", "Writing files"))  # from the stages
    assert "BPM" in shown.out and str(tmp_path) in shown.out


@pytest.mark.parametrize("args,expect", [
    (["--genre", "lofi"], "did you mean 'lofi-chill'"),
    (["--mood", "euphoria"], "did you mean 'euphoric'"),
    (["--tempo", "20"], "30-300"),
    (["--tempo", "0"], "30-300"),
    (["--tempo", "301"], "30-300"),
    (["--duration", "4"], "5-1200"),
    (["--duration", "1201"], "5-1200"),
    (["--melody", "not a melody at all"], "cannot read melody"),
    (["--melody", "missing-file.mid"], "cannot read melody file"),
    (["--key", "H major"], "cannot read key"),
    (["--key", ""], "empty key"),
    (["--time-signature", "11/16"], "not supported"),
    (["--format", "ogg"], "unknown audio format"),
    (["--title", "x" * 300], "keep it to 120"),
    (["--seed", "9" * 260], "whole number from 0 to"),
    (["--phrase", "p"] * 40, "too many"),
    (["--phrase", ""], "key phrase must be a non-empty string"),
    (["--melody", ""], "melody_midi is empty"),
    (["--title", "nul\x00here"], "control characters"),
    (["--title", "bad\udcffbyte"], "control characters"),
    (["--seed", "-1"], "whole number from 0"),
    (["--lyrics", "no-such-words.txt"], "cannot read the lyrics file"),
    (["--voice", "tenor"], "unknown voice 'tenor'"),
    (["--voice", "male-hihg"], "did you mean 'male-high'"),
])
def test_bad_input_is_one_line_and_creates_nothing(tmp_path, capsys, args, expect):
    out = tmp_path / "deep" / "a" / "b" / "c"
    code = main(["generate", "--out", str(out), "--duration", "10", *args])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert expect in err and len(err.splitlines()) == 1 and err.startswith("error: ")
    assert not (tmp_path / "deep").exists()  # not even the output folder


def test_outputs_that_cannot_be_used(tmp_path, capsys):
    assert main(["generate", "--out", "", "--duration", "10"]) == 2
    assert "no output folder given; name one with --out" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["generate", "--out", str(blocker / "sub"), "--duration", "10"]) == 2
    assert "cannot create output folder" in capsys.readouterr().err
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


def test_an_existing_song_is_kept_and_the_message_names_the_flag(tmp_path, capsys):
    args = ["generate", "--genre", "folk", "--duration", "6", "--seed", "1", "--format", "wav", "--out", str(tmp_path)]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "already exists; pass --force to replace it" in err and "force=True" not in err
    assert main([*args, "--force"]) == 0


def test_a_full_disk_is_one_line_and_leaves_nothing(full_disk, capsys):
    for extra in ([], ["--force"]):
        assert main(["generate", "--genre", "pop", "--duration", "10", "--seed", "2", "--format", "wav", "--out",
                     str(full_disk), *extra]) == 2
        last = capsys.readouterr().err.strip().splitlines()[-1]  # under the progress bars
        assert last.startswith(f"error: cannot write '{full_disk}/") and "no space left on the device" in last
        assert ".maestro-" not in last and not list(full_disk.iterdir())


def test_quality_from_the_shell(tmp_path, capsys):
    assert main(["generate", "--genre", "trap", "--duration", "6", "--seed", "2", "--format", "wav",
                 "--quality", "draft", "--out", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["request"]["quality"] == "draft"
    assert main(["generate", "--quality", "hifi", "--out", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--quality must be one of studio, draft" in err
    assert not (tmp_path / "none").exists()


def test_lyrics_from_a_file_and_bad_ones_refused(tmp_path, capsys):
    words = tmp_path / "words.txt"
    words.write_text("[chorus]\nsing it out loud\n", encoding="utf-8")
    binary = tmp_path / "words.bin"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert main(["generate", "--genre", "pop", "--duration", "12", "--seed", "1", "--quality", "draft", "--format", "wav",
                 "--lyrics", str(words), "--out", str(tmp_path / "a"), "--json"]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert meta["lyrics"]["guide"] is False and {line["text"] for line in meta["lyrics"]["lines"]} == {"sing it out loud"}
    for bad, expect in ((binary, "not UTF-8"), (tmp_path, "does not exist")):
        assert main(["generate", "--lyrics", str(bad), "--out", str(tmp_path / "b")]) == 2
        err = capsys.readouterr().err.strip()
        assert expect in err and len(err.splitlines()) == 1
    assert not (tmp_path / "b").exists()
