"""A vocal chain as a mix engineer sets one up: the lead de-essed, compressed and lifted where
words are understood (about 3 kHz), the synthetic voice's buzz above that (4.3 kHz, brighter
than a real singer's: docs/vocals-evaluation.md) taken down, with delay throws on the ends of its phrases; the backing
vocals thinned, darkened and widened with a chorus so they sit behind the lead.

>>> [type(fx).__name__ for fx in vocal_board("vocals")]
['HighpassFilter', 'Compressor', 'PeakFilter', 'PeakFilter', 'PeakFilter']
>>> [type(fx).__name__ for fx in vocal_board("backing")]
['HighpassFilter', 'LowpassFilter', 'Chorus']
"""
from __future__ import annotations

import functools

import numpy as np
from pedalboard import Chorus, Compressor, HighpassFilter, LowpassFilter, PeakFilter, Pedalboard
from scipy.signal import butter, sosfilt, sosfiltfilt

SIBILANCE_HZ = (4500.0, 10000.0)
SIBILANCE_LIMIT_DB = -10.0  # the sibilant band may come this close to the whole voice's level
MAX_CUT_DB = 10.0
ENVELOPE_S = 0.005
LEAD_COMPRESSION = (-20.0, 3.5)
THROW_DB = -11.0  # the delay throw's level under the voice
THROW_FEEDBACK = 0.35
THROW_BEATS = 0.75  # a dotted eighth
THROW_FLOOR_DB = -50.0  # the echoes stop this far under the first


def vocal_board(part: str, compress: tuple[float, float] | None = None) -> Pedalboard:
    """The inserts of the backing vocals ("backing") or a lead voice ("vocals", "rap"); `compress`
    (threshold dB, ratio) is the genre's for the lead (mixes.toml), else LEAD_COMPRESSION."""
    threshold, ratio = compress or LEAD_COMPRESSION
    if part == "backing":
        return Pedalboard([HighpassFilter(cutoff_frequency_hz=160.0), LowpassFilter(cutoff_frequency_hz=8000.0),
                           Chorus(rate_hz=0.6, depth=0.2, centre_delay_ms=9.0, feedback=0.0, mix=0.5)])
    return Pedalboard([HighpassFilter(cutoff_frequency_hz=90.0),
                       Compressor(threshold_db=threshold, ratio=ratio, attack_ms=5.0, release_ms=80.0),
                       PeakFilter(cutoff_frequency_hz=280.0, gain_db=-2.0, q=0.8),  # less box
                       PeakFilter(cutoff_frequency_hz=2800.0, gain_db=2.5, q=0.9),  # words come forward
                       PeakFilter(cutoff_frequency_hz=4300.0, gain_db=-4.0, q=1.0)])  # espeak-ng's buzz band


def de_essed(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """The voice with its "s" and "t" sounds held down where the sibilant band comes within
    SIBILANCE_LIMIT_DB of the whole voice: that band alone is turned down (zero-phase, so taking it
    out leaves the rest as it was).

    >>> rate = 22050
    >>> t = np.arange(rate) / rate
    >>> voice = np.stack([np.sin(2 * np.pi * 220 * t)] * 2).astype(np.float32)
    >>> voice[:, rate // 2:] += np.random.default_rng(0).standard_normal(rate // 2).astype(np.float32)
    >>> out = de_essed(voice, rate)
    >>> bool(np.allclose(out[:, :rate // 4], voice[:, :rate // 4], atol=1e-3))  # a clean tone is left alone
    True
    >>> bool(out[0, -5000:].std() < voice[0, -5000:].std())  # a hiss is held down
    True
    """
    band_filter, smooth = _de_esser_filters(sample_rate)
    mono = audio.mean(axis=0, dtype=np.float64)
    band = sosfiltfilt(band_filter, mono)
    level = 10 * np.log10(sosfilt(smooth, band ** 2) + 1e-12) - 10 * np.log10(sosfilt(smooth, mono ** 2) + 1e-12)
    cut_db = np.clip(level - SIBILANCE_LIMIT_DB, 0, MAX_CUT_DB)
    taken = band * (1 - 10 ** (-cut_db / 20))
    return (audio - taken.astype(np.float32)[None, :]).astype(np.float32)


@functools.cache
def _de_esser_filters(sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """The sibilant band's filter and the level detector's smoothing filter."""
    high = min(SIBILANCE_HZ[1], sample_rate / 2 * 0.95)
    return (butter(2, [SIBILANCE_HZ[0], high], btype="bandpass", fs=sample_rate, output="sos"),
            butter(1, 1 / (2 * np.pi * ENVELOPE_S), fs=sample_rate, output="sos"))


def thrown(audio: np.ndarray, tails: list[tuple[float, float]], beat_seconds: float, sample_rate: int) -> np.ndarray:
    """The voice (in place) with a dotted-eighth echo of each phrase's last syllable (`tails`, in
    seconds), repeating THROW_FEEDBACK softer each time until it is THROW_FLOOR_DB down: the delay
    throw that fills the gap after a line. Each tail is sent with 5 ms fades, so no echo clicks.

    >>> rate = 8000
    >>> voice = np.zeros((2, rate), dtype=np.float32); voice[:, 100:400] = 0.5
    >>> out = thrown(voice.copy(), [(0.0, 0.05)], 0.25, rate)
    >>> float(np.abs(out[:, 1600:2000]).max()) > 0.05, bool(np.array_equal(out[:, :400], voice[:, :400]))
    (True, True)
    """
    step = int(round(THROW_BEATS * beat_seconds * sample_rate))
    edge = max(1, int(0.005 * sample_rate))
    repeats = int(np.ceil(THROW_FLOOR_DB / (20 * np.log10(THROW_FEEDBACK)))) if THROW_FEEDBACK > 0 else 1
    for start, end in tails:
        a, b = int(start * sample_rate), min(audio.shape[1], int(end * sample_rate))
        if b - a <= 2 * edge:
            continue
        sent = audio[:, a:b].copy()
        ramp = np.linspace(0, 1, edge, dtype=np.float32)
        sent[:, :edge] *= ramp
        sent[:, -edge:] *= ramp[::-1]
        gain = 10 ** (THROW_DB / 20)
        for k in range(1, repeats + 1):
            at = a + k * step
            if at >= audio.shape[1]:
                break
            stop = min(audio.shape[1], at + sent.shape[1])
            audio[:, at:stop] += sent[:, :stop - at] * np.float32(gain * THROW_FEEDBACK ** (k - 1))
    return audio
