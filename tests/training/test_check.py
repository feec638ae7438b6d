"""The rebuild check tells identical weights, weights within tolerance, and weights that differ."""
import numpy as np

from maestro_ai.models.runtime import WEIGHTS
from training.check import compare, main


def _perturbed(tmp_path, by):
    with np.load(WEIGHTS) as npz:
        arrays = {name: npz[name] for name in npz.files}
    name = next(n for n, a in arrays.items() if a.dtype.kind == "f" and a.size > 100)
    arrays[name] = arrays[name] + np.float32(by)
    path = tmp_path / f"composer-{by}.npz"
    np.savez(path, **arrays)
    return path, name


def test_identical_and_different_weights(tmp_path, capsys):
    assert main([str(WEIGHTS)]) == 0 and "bit for bit" in capsys.readouterr().out
    close, name = _perturbed(tmp_path, 2.5e-6)
    result = compare(close)
    assert set(result["differences"]) == {name} and 2e-6 < result["max_difference"] < 3e-6
    assert main([str(close)]) == 1 and "run with --bits" in capsys.readouterr().out
