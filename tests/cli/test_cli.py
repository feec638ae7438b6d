import json

from maestro_ai.cli.main import main


def test_genres_and_moods_list_a_line_each(capsys):
    assert main(["genres"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) >= 13 and lines[0].startswith("lofi-chill")
    assert main(["moods"]) == 0
    assert any(line.startswith("ambient-focus") for line in capsys.readouterr().out.splitlines())


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


def test_vary_a_track_folder_from_the_shell(tmp_path, capsys):
    assert main(["generate", "--genre", "folk", "--mood", "peaceful", "--duration", "10", "--seed", "5",
                 "--out", str(tmp_path), "--format", "wav"]) == 0
    folder = next(tmp_path.iterdir())
    capsys.readouterr()
    assert main(["vary", str(folder), "--kind", "key", "--key", "E major"]) == 0
    assert "E major" in capsys.readouterr().out
    assert len(list(tmp_path.iterdir())) == 2
    assert main(["vary", str(folder), "--kind", "remix"]) == 2
    assert "unknown variation 'remix'" in capsys.readouterr().err
    assert main(["vary", str(tmp_path / "nothing"), "--kind", "key"]) == 2
