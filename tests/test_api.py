"""The package's public API: its names, and wrong types met with a MaestroError, never a traceback."""
import numpy as np
import pytest

import maestro_ai
from maestro_ai.io.audio import write_audio


def test_the_public_names():
    assert {"MusicGenerator", "Track", "master", "analyze", "transcribe", "genres", "moods", "MaestroError"} <= set(
        maestro_ai.__all__)
    assert "lofi-chill" in maestro_ai.genres() and "ambient-focus" in maestro_ai.moods()


@pytest.fixture(scope="module")
def noise(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    audio = (0.05 * np.random.default_rng(3).standard_normal((2, 44100 * 6))).astype(np.float32)
    return write_audio(folder / "mix.wav", audio, 44100)


@pytest.mark.parametrize("kwargs, message", [
    ({"target": 5}, "target must be a name"), ({"mix": "a"}, "mix must be a number"), ({"mixx": 0.5}, "unknown master setting"),
    ({"force": "yes"}, "True or False"), ({"mode": None}, "unknown mode"),
])
def test_master_refuses_wrong_types(noise, tmp_path, kwargs, message):
    with pytest.raises(maestro_ai.MaestroError, match=message):
        maestro_ai.master(noise, tmp_path / "m.wav", **kwargs)
    assert not list(tmp_path.iterdir())


def test_master_without_a_report(noise, tmp_path):
    report = maestro_ai.master(noise, tmp_path / "m.wav", report=False, target="apple")
    assert isinstance(report, maestro_ai.MasterReport) and [p.name for p in tmp_path.iterdir()] == ["m.wav"]
    assert report.to_dict()["target"]["name"] == "apple"


def test_transcribe_flags_are_booleans(noise, tmp_path):
    for kwargs in ({"force": "no"}, {"melody": "yes"}):
        with pytest.raises(maestro_ai.MaestroError, match="must be True or False"):
            maestro_ai.transcribe(noise, tmp_path / "n.mid", **kwargs)


@pytest.mark.parametrize("call", [lambda: maestro_ai.analyze(None), lambda: maestro_ai.analyze(5),
                                  lambda: maestro_ai.transcribe(None, "x.mid"), lambda: maestro_ai.master(None, "x.wav")])
def test_paths_that_are_not_paths(call):
    with pytest.raises(maestro_ai.MaestroError, match="must be a path"):
        call()
