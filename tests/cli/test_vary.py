"""`maestro vary`: a variation from the shell, explicit values taken as given, and an edited or
damaged track.json refused in one line."""
import json
import shutil
import time

import pytest

from maestro_ai.cli.main import main


@pytest.fixture(scope="module")
def folk(tmp_path_factory):
    out = tmp_path_factory.mktemp("folk")
    assert main(["generate", "--genre", "folk", "--mood", "peaceful", "--duration", "10", "--seed", "5",
                 "--out", str(out), "--format", "wav"]) == 0
    return next(out.iterdir())


def test_vary_a_track_folder_from_the_shell(folk, tmp_path, capsys):
    capsys.readouterr()
    assert main(["vary", str(folk), "--kind", "key", "--key", "E major", "--out", str(tmp_path)]) == 0
    assert "E major" in capsys.readouterr().out and len(list(tmp_path.iterdir())) == 1
    assert main(["vary", str(folk), "--kind", "remix", "--out", str(tmp_path)]) == 2
    assert "unknown variation 'remix'" in capsys.readouterr().err
    assert main(["vary", str(tmp_path / "nothing"), "--kind", "key"]) == 2


@pytest.mark.parametrize("args, message", [
    (["--kind", "tempo", "--tempo", "0"], "tempo 0 is out of range"),
    (["--kind", "extend", "--duration", "0"], "extend needs a duration longer than the original"),
    (["--kind", "key", "--key", ""], "empty key"),
    (["--kind", "reharmonize", "--tempo", "90"], "--kind reharmonize takes no options, not --tempo"),
    (["--kind", "tempo", "--key", "D major"], "--kind tempo takes --tempo, not --key"),
])
def test_explicit_values_are_used_or_refused_never_replaced(folk, tmp_path, capsys, args, message):
    assert main(["vary", str(folk), *args, "--out", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err and not list(tmp_path.iterdir())


def _edited(folk, tmp_path, change) -> str:
    copy = tmp_path / "copy"
    shutil.copytree(folk, copy)
    data = json.loads((copy / "track.json").read_text())
    (copy / "track.json").write_text(json.dumps(change(data)))
    return str(copy)


EDITS = [
    (lambda d: [d], "must be a JSON object"),
    (lambda d: None, "not null"),
    (lambda d: 7, "not int"),
    (lambda d: {**d, "tempo": "fast"}, "'tempo' must be int or float"),
    (lambda d: {k: v for k, v in d.items() if k != "key"}, "lacks 'key'"),
    (lambda d: {k: v for k, v in d.items() if k != "bar_seconds"}, "lacks 'bar_seconds'"),
    (lambda d: {**d, "bar_seconds": 0}, "bar_seconds 0 is out of range"),
    (lambda d: {**d, "variation": {"of": "x", "edits": [{"kind": "tempo", "options": {"tempo_bpm": 9999,
                                                                                    "duration_seconds": 10}}]}},
     "tempo 9999 is out of range"),
    (lambda d: {**d, "variation": {"of": "x", "edits": [{"kind": "extend", "options": {"duration_seconds": 20,
                                                                                     "extra_bars": 100_000}}]}},
     "extra_bars must be a whole number from 0 to 3000"),
    (lambda d: {**d, "variation": {"of": "x", "edits": [{"kind": "remix", "options": {}}]}}, "unknown edit kind"),
    (lambda d: {**d, "request": {**d["request"], "tempo_bpm": 9999}}, "tempo 9999 is out of range"),
]


@pytest.mark.parametrize("change, message", EDITS)
def test_an_edited_track_json_is_refused_in_one_line(folk, tmp_path, capsys, change, message):
    source = _edited(folk, tmp_path, change)
    started = time.perf_counter()
    assert main(["vary", source, "--kind", "new-drums", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and message in err and "\n" not in err
    assert time.perf_counter() - started < 10 and not (tmp_path / "out").exists()
