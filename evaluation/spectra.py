"""The average spectrum of a mix, as octave-band shares, and the band real recordings of a genre
span.

A mix's long-term average spectrum (Welch, 8192-point segments, on the mono sum) is summed into ten
octave bands centred 31.5 Hz to 16 kHz (edges at the centre / and x sqrt 2, kept within 20 Hz-16
kHz); each band's share is its power over the power of all ten, in dB. Shares do not depend on the
level a mix is played at, so a -14 LUFS song and a louder commercial master compare directly.

A genre's band is, for each octave, the lowest and highest share among its reference recordings
(evaluation/data/reference_spectra.json, made by `python -m evaluation.references`), widened by
MARGIN_DB on each side: a handful of recordings does not show the whole spread of a genre. A
genre with fewer than MIN_RECORDINGS reference recordings is held to the band of all of them
(PRODUCED): produced music of any kind, a looser test.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> shares = octave_shares(rng.standard_normal(44100 * 5), 44100)   # white noise: the top octave leads
>>> len(shares), bool(shares[-1] > shares[0] + 20)
(10, True)
>>> outside([-10.0] * 10, {"low": [-12.0] * 10, "high": [-8.0] * 10})
[]
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
from scipy.signal import welch

CENTRES_HZ = (31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000)
LOWEST_HZ, HIGHEST_HZ = 20.0, 16000.0
MARGIN_DB = 3.0
REFERENCES = Path(__file__).parent / "data" / "reference_spectra.json"
PRODUCED = "produced"  # the band of every reference at once, for a genre with none of its own
MIN_RECORDINGS = 3  # fewer recordings than this show one record's balance, not a genre's band


def octave_shares(mono: np.ndarray, rate: int) -> list[float]:
    """Each octave band's share of the power from 20 Hz to 16 kHz, dB, lowest band first."""
    freqs, power = welch(mono, rate, nperseg=8192)
    bands = []
    for centre in CENTRES_HZ:
        low, high = max(LOWEST_HZ, centre / np.sqrt(2)), min(HIGHEST_HZ, centre * np.sqrt(2))
        bands.append(float(power[(freqs >= low) & (freqs < high)].sum()))
    total = sum(bands)
    return [round(float(10 * np.log10(max(b, 1e-30) / total)), 2) for b in bands]


def band_of(shares: list[list[float]], margin_db: float = MARGIN_DB) -> dict[str, list[float]]:
    """The band a set of recordings spans: per octave, the lowest and highest share, widened."""
    table = np.array(shares)
    return {"low": [round(float(v) - margin_db, 2) for v in table.min(axis=0)],
            "high": [round(float(v) + margin_db, 2) for v in table.max(axis=0)]}


def outside(shares: list[float], band: dict[str, list[float]]) -> list[str]:
    """The octaves (by centre) where `shares` leave `band`, with how far: '63 Hz +1.2 dB'."""
    misses = []
    for centre, share, low, high in zip(CENTRES_HZ, shares, band["low"], band["high"]):
        if share < low:
            misses.append(f"{centre:g} Hz {share - low:+.1f} dB")
        elif share > high:
            misses.append(f"{centre:g} Hz {share - high:+.1f} dB")
    return misses


@cache  # read once per run: every song of an evaluation is held to these
def reference_bands(path: Path = REFERENCES) -> dict[str, dict]:
    """Each genre's band from the stored reference measurements (genre: {low, high, tracks})."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text())
    by_genre: dict[str, list] = {}
    for track in data["tracks"]:
        for genre in track["genres"]:
            by_genre.setdefault(genre, []).append(track)
    bands = {genre: {**band_of([t["shares"] for t in tracks]), "tracks": len(tracks)}
             for genre, tracks in by_genre.items()}
    bands[PRODUCED] = {**band_of([t["shares"] for t in data["tracks"]]), "tracks": len(data["tracks"])}
    return bands


def band_for(genre: str, bands: dict[str, dict]) -> tuple[str, dict | None]:
    """The band a genre's mix is held to: its own, or PRODUCED with too few recordings of it."""
    name = genre if bands.get(genre, {}).get("tracks", 0) >= MIN_RECORDINGS else PRODUCED
    return name, bands.get(name)
