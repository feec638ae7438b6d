import json

import numpy as np

from maestro_ai.cli.main import main
from maestro_ai.io.audio import write_audio


def test_cli_prints_a_summary_or_json_and_refuses_bad_input(mixes, tmp_path, capsys):
    assert main(["analyze", str(mixes["jazz"])]) == 0
    assert "BPM" in capsys.readouterr().out
    assert main(["analyze", str(mixes["jazz"]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["key"]
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"ID3 not really")
    silent = write_audio(tmp_path / "silent.wav", np.zeros((2, 44100), np.float32), 44100)
    for path in (tmp_path / "missing.wav", broken, silent, tmp_path / "notes.txt"):
        assert main(["analyze", str(path)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and "\n" not in err
