"""Average spectra of mid and side, smoothed in fractions of an octave, and the linear-phase
filters that move one spectrum towards another.

>>> import numpy as np
>>> meter = SpectrumMeter(2, 44100)
>>> rng = np.random.default_rng(0)
>>> meter.add(rng.standard_normal((2, 44100)).astype(np.float32))
>>> freqs, mid = meter.freqs, meter.mid()
>>> level = to_db(smooth(freqs, mid))
>>> bool(abs(np.interp(4000, freqs, level) - np.interp(1000, freqs, level)) < 1.0)  # white noise is flat
True
"""
from __future__ import annotations

import numpy as np
import scipy.fft as sfft

EDGES_HZ = (20.0, 20000.0)  # outside this band a correction fades to nothing


def fft_size(sample_rate: int) -> int:
    """About 10.8 Hz resolution at any rate: 4,096 points at 44.1 kHz, 8,192 at 96 kHz."""
    return int(2 ** round(np.log2(4096 * sample_rate / 44100)))


class SpectrumMeter:
    """Average power spectrum of the mid (L+R)/2 and side (L-R)/2 signals of audio given in blocks
    (a mono file has only a mid). Hann frames side by side, `stride` 2 taking every other one
    (an average over minutes needs no more); digital silence is skipped."""

    def __init__(self, channels: int, sample_rate: int, stride: int = 1):
        self.size = fft_size(sample_rate)
        self.freqs = np.fft.rfftfreq(self.size, 1 / sample_rate)
        self.channels = channels
        self.stride = stride
        self._window = np.hanning(self.size).astype(np.float32)
        self._carry = np.zeros((channels, 0), dtype=np.float32)
        self._power = np.zeros((2, self.freqs.size))
        self._frames = 0

    def add(self, block: np.ndarray) -> None:
        audio = np.concatenate([self._carry, block], axis=1)
        hop = self.size * self.stride
        count = max(0, (audio.shape[1] - self.size) // hop + 1)
        if count:
            if self.channels == 2:
                ms = np.stack([(audio[0] + audio[1]) * 0.5, (audio[0] - audio[1]) * 0.5])
            else:
                ms = np.stack([audio[0], np.zeros_like(audio[0])])
            frames = np.lib.stride_tricks.sliding_window_view(ms, self.size, axis=1)[:, :(count - 1) * hop + 1:hop]
            spectra = sfft.rfft(frames * self._window, axis=2)
            power = spectra.real ** 2 + spectra.imag ** 2  # (2, count, bins)
            sounding = power[0].sum(axis=1) + power[1].sum(axis=1) > 1e-12
            self._power += power[:, sounding].sum(axis=1)
            self._frames += int(sounding.sum())
        self._carry = audio[:, count * hop:]

    def mid(self) -> np.ndarray:
        return self._power[0] / max(1, self._frames)

    def side(self) -> np.ndarray:
        return self._power[1] / max(1, self._frames)


def smooth(freqs: np.ndarray, power: np.ndarray, fraction: float = 1 / 3) -> np.ndarray:
    """Power averaged over `fraction` of an octave around each frequency."""
    csum = np.concatenate([[0.0], np.cumsum(power)])
    lo = np.searchsorted(freqs, freqs * 2 ** (-fraction / 2))
    hi = np.searchsorted(freqs, freqs * 2 ** (fraction / 2), side="right")
    hi = np.maximum(hi, lo + 1)
    return (csum[hi] - csum[lo]) / (hi - lo)


def to_db(power: np.ndarray) -> np.ndarray:
    return 10 * np.log10(np.maximum(power, 1e-20))


def _fade_outside(freqs: np.ndarray, curve_db: np.ndarray) -> np.ndarray:
    """Hold the correction inside 20 Hz-20 kHz and fade it to 0 dB an octave beyond."""
    lo, hi = EDGES_HZ
    with np.errstate(divide="ignore"):
        octaves = np.log2(np.maximum(freqs, 1e-3))
    weight = np.clip(1 - np.maximum(np.log2(lo) - octaves, octaves - np.log2(hi)), 0, 1)
    return curve_db * weight


def centred(freqs: np.ndarray, curve_db: np.ndarray, power: np.ndarray) -> np.ndarray:
    """The curve shifted so that it leaves the signal's power between 100 Hz and 8 kHz unchanged:
    a correction of shape, not level (the loudness stage sets the level)."""
    band = (freqs >= 100) & (freqs <= 8000)
    weight = power[band] / max(power[band].sum(), 1e-20)
    change = 10 * np.log10(max(float(np.sum(weight * 10 ** (curve_db[band] / 10))), 1e-20))
    return curve_db - change


def matching_curve(freqs: np.ndarray, source: np.ndarray, reference: np.ndarray, limit_db: float = 12.0) -> np.ndarray:
    """EQ (dB per bin) that gives `source` the third-octave-smoothed spectral shape of `reference`."""
    curve = to_db(smooth(freqs, reference)) - to_db(smooth(freqs, source))
    return _fade_outside(freqs, np.clip(curve, -limit_db, limit_db))


def tone_curve(freqs: np.ndarray, source: np.ndarray, bands_hz: list[float], levels_db: list[float],
               strength: float = 0.5, limit_db: float = 3.0) -> np.ndarray:
    """A gentle EQ (dB per bin) moving the source's octave-band balance part way to a target, given
    as octave-band energies relative to the 1 kHz band."""
    octave_energy = smooth(freqs, source, 1.0) * np.maximum(freqs, 1.0)  # density x bandwidth
    target = np.interp(np.log2(np.maximum(freqs, 1.0)), np.log2(bands_hz), levels_db)
    curve = centred(freqs, target - to_db(octave_energy), source) * strength
    return _fade_outside(freqs, np.clip(curve, -limit_db, limit_db))


def design_fir(curve_db: np.ndarray, size: int) -> np.ndarray:
    """A linear-phase FIR of size+1 taps (delay size/2) whose response follows `curve_db`, given on
    the rfft grid of `size` points."""
    zero_phase = np.fft.irfft(10 ** (curve_db / 20), n=size)
    half = size // 2
    taps = np.concatenate([zero_phase[-half:], zero_phase[:half + 1]])
    return (taps * np.hanning(size + 3)[1:-1]).astype(np.float32)


class FIRFilter:
    """Filters blocks given with `delay` frames of context on each side (see stream.with_context),
    one FFT per block and channel."""

    def __init__(self, taps: np.ndarray, block: int):
        self.delay = (taps.size - 1) // 2
        self.n = sfft.next_fast_len(block + taps.size - 1, real=True)
        self._spectrum = sfft.rfft(taps, self.n).astype(np.complex64)

    def __call__(self, extended: np.ndarray) -> np.ndarray:
        if extended.shape[-1] > self.n:  # a longer block would wrap around the FFT and lose frames
            raise ValueError(f"block of {extended.shape[-1]} frames is longer than this filter's {self.n}")
        frames = extended.shape[-1] - 2 * self.delay
        out = sfft.irfft(sfft.rfft(extended, self.n, axis=-1) * self._spectrum, self.n, axis=-1)
        return out[..., 2 * self.delay:2 * self.delay + frames].astype(np.float32)
