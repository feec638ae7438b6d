from maestro_ai.cli.main import main


def test_genres_and_moods_list_a_line_each(capsys):
    assert main(["genres"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) >= 13 and lines[0].startswith("lofi-chill")
    assert main(["moods"]) == 0
    assert any(line.startswith("ambient-focus") for line in capsys.readouterr().out.splitlines())
