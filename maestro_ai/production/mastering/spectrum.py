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
        audio = np.concatenate([self._carry, block], axis=1) if self._carry.shape[1] else block
        hop = self.size * self.stride
        count = max(0, (audio.shape[1] - self.size) // hop + 1)
        if count:
            # Mid and side of the frames used only (a stride of 4 skips three quarters of the audio).
            frames = np.lib.stride_tricks.sliding_window_view(audio, self.size, axis=1)[:, :(count - 1) * hop + 1:hop]
            ms = np.zeros((2,) + frames.shape[1:], dtype=np.float32)
            if self.channels == 2:
                np.add(frames[0], frames[1], out=ms[0])
                np.subtract(frames[0], frames[1], out=ms[1])
                ms *= self._window * np.float32(0.5)
            else:
                np.multiply(frames[0], self._window, out=ms[0])
            spectra = sfft.rfft(ms, axis=2)
            power = spectra.real ** 2 + spectra.imag ** 2  # (2, count, bins)
            sounding = power[0].sum(axis=1) + power[1].sum(axis=1) > 1e-12
            self._power += power[:, sounding].sum(axis=1)
            self._frames += int(sounding.sum())
        self._carry = audio[:, count * hop:].copy()  # not a view of the caller's block

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
    by overlap-save: a block's segments of `size` points go through the FFT in one batch (short
    transforms stay in cache, and any block length works).

    >>> taps = np.zeros(9, dtype=np.float32); taps[4] = 1.0  # a pure delay of 4: identity here
    >>> x = np.arange(40, dtype=np.float32)
    >>> bool(np.allclose(FIRFilter(taps)(x), x[4:-4], atol=1e-4))
    True
    """

    SEGMENT = 16_384

    def __init__(self, taps: np.ndarray):
        self.delay = (taps.size - 1) // 2
        self.size = max(self.SEGMENT, sfft.next_fast_len(2 * (taps.size - 1), real=True))
        self.hop = self.size - (taps.size - 1)
        self._spectrum = sfft.rfft(taps, self.size).astype(np.complex64)

    def __call__(self, extended: np.ndarray) -> np.ndarray:
        frames = extended.shape[-1] - 2 * self.delay
        count = -(-frames // self.hop)
        padded = np.zeros(extended.shape[:-1] + ((count - 1) * self.hop + self.size,), dtype=np.float32)
        padded[..., :extended.shape[-1]] = extended
        segments = np.lib.stride_tricks.sliding_window_view(padded, self.size, axis=-1)[..., ::self.hop, :][..., :count, :]
        out = sfft.irfft(sfft.rfft(segments, axis=-1) * self._spectrum, self.size, axis=-1)[..., 2 * self.delay:]
        return out.reshape(extended.shape[:-1] + (-1,))[..., :frames].astype(np.float32)
