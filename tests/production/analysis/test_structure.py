import numpy as np

from maestro_ai.production.analysis.structure import sections


def test_a_returning_section_gets_its_earlier_letter():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(24), rng.standard_normal(24)
    features = np.concatenate([np.tile(a[:, None], 32), np.tile(b[:, None], 32), np.tile(a[:, None], 32)], axis=1)
    features += 0.05 * rng.standard_normal(features.shape)
    found = sections(features, np.arange(97.0))
    assert [s["label"] for s in found] == ["A", "B", "A"] and found[1]["start"] == 32.0 and found[-1]["end"] == 96.0
