import numpy as np

from maestro_ai.production.mastering.report import eq_bands, spectrum_points


def test_eq_bands_and_spectrum_points():
    freqs = np.linspace(0, 22050, 2049)
    bands = eq_bands(freqs, np.full(2049, 1.5), None)
    assert bands["mid"]["1000"] == 1.5 and bands["side"] == bands["mid"] and eq_bands(freqs, None, None) is None
    hz, db = spectrum_points(freqs, np.ones(2049))
    assert hz[0] == 20.0 and hz[-1] <= 20000 and len(hz) == len(db) and max(db) - min(db) < 1.0
