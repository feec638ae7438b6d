"""Octave-band shares of a mix's average spectrum, and the bands of real recordings."""
import json

import numpy as np

from evaluation.spectra import CENTRES_HZ, PRODUCED, REFERENCES, band_for, octave_shares, outside, reference_bands


def _pink(seconds: float, rate: int, seed: int = 0) -> np.ndarray:
    """Pink noise: white noise shaped to 1/f power (equal power in every octave)."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / rate)
    spectrum[1:] /= np.sqrt(freqs[1:])
    spectrum[0] = 0
    return np.fft.irfft(spectrum, n)


def test_pink_noise_shares_its_power_evenly_between_whole_octaves():
    shares = octave_shares(_pink(20, 44100), 44100)
    whole = shares[:-1]  # the top band stops at 16 kHz: half an octave
    assert max(whole) - min(whole) < 1.0
    assert abs(np.mean(whole) - 10 * np.log10(1 / 9.5)) < 0.5  # nine whole octaves and a half
    assert abs(shares[-1] - (np.mean(whole) - 3.0)) < 1.0


def test_a_tone_lands_in_its_octave_and_level_does_not_matter():
    t = np.arange(44100 * 4) / 44100
    tone = np.sin(2 * np.pi * 1000 * t) + 0.01 * _pink(4, 44100)
    loud, quiet = octave_shares(tone, 44100), octave_shares(0.01 * tone, 44100)
    assert int(np.argmax(loud)) == CENTRES_HZ.index(1000) and loud[CENTRES_HZ.index(1000)] > -1.0
    assert np.allclose(loud, quiet, atol=0.01)


def test_the_stored_references_are_credited_and_their_bands_hold_them():
    data = json.loads(REFERENCES.read_text())
    assert all(t["licence"] and t["author"] and t["evidence"] and t["package"] for t in data["tracks"])
    assert all(t["seconds"] >= 60 and len(t["shares"]) == len(CENTRES_HZ) for t in data["tracks"])
    bands = reference_bands()
    for track in data["tracks"]:
        for genre in [*track["genres"], PRODUCED]:
            assert outside(track["shares"], bands[genre]) == []
    assert band_for("rock", bands)[0] == "rock" and band_for("trap", bands)[0] == PRODUCED
    assert band_for("house", bands)[0] == PRODUCED  # one recording is not a genre's band
    assert outside([0.0] * 10, bands["rock"])  # a mix all in one place is outside
