"""The filter a producer rides and the riser under a build: a part's brightness controller (CC74)
played as a moving low-pass, and noise that rises into the drop.

The low-pass is a resonant biquad whose cutoff is set every BLOCK frames and carries its state
from block to block; a jump of the controller glides over GLIDE_BLOCKS blocks, as a real filter
knob does, so it never clicks. Stretches left open are not touched at all.

>>> import numpy as np
>>> rate = 44100
>>> tone = np.sin(2 * np.pi * 5000 * np.arange(rate) / rate).astype(np.float32)[None].repeat(2, 0)
>>> cutoffs = np.full(blocks_of(rate), 20000.0); cutoffs[len(cutoffs) // 2:] = 500.0
>>> out = moving_lowpass(tone.copy(), cutoffs, rate)
>>> [round(float(np.abs(out[0, a:a + 4410]).max()), 2) for a in (4410, 39690)]  # open; closed: 40 dB down
[1.0, 0.01]
"""
from __future__ import annotations

import numpy as np
from pedalboard import HighpassFilter
from scipy.signal import lfilter

from maestro_ai.compose.automation import BRIGHTNESS, cutoff_hz
from maestro_ai.core.performance import Performance, PlayedPart

BLOCK = 256  # frames per filter setting (5.8 ms)
GLIDE_BLOCKS = 5  # a controller jump glides over 29 ms
OPEN_HZ = 16000.0  # at or above this the filter is left out: nothing audible is cut
RESONANCE = 1.1  # Q: a little peak at the cutoff, the 'wow' of a swept synth filter
EDGE_BLOCKS = 8  # the filter runs this long before and after a filtered stretch, crossfaded in and out
RISER_LOW_HZ, RISER_HIGH_HZ = 250.0, 12000.0
RISER_RISE_DB = 30.0  # from this far under its peak at the start to its peak at the drop
RISER_SHAPE = 2.0  # the sweep and the swell rise slowly, then faster into the drop


def blocks_of(frames: int) -> int:
    return -(-frames // BLOCK)


def brightness_cutoffs(part: PlayedPart, perf: Performance, frames: int, sample_rate: int) -> np.ndarray | None:
    """The low-pass cutoff (Hz) of every BLOCK of the part's frames from its brightness controls
    (each holds until the next, as MIDI controllers do), or None when it has none."""
    events = part.controls_of(BRIGHTNESS)
    if not events:
        return None
    at = np.array([perf.seconds(c.tick) * sample_rate / BLOCK for c in events])
    held = np.searchsorted(at, np.arange(blocks_of(frames)) + 0.5, side="right") - 1
    hz = np.array([cutoff_hz(c.value) for c in events])[np.clip(held, 0, None)]
    hz[held < 0] = cutoff_hz(127)  # open until the first control
    return _glided(hz)


def _glided(hz: np.ndarray) -> np.ndarray:
    """Cutoffs with each jump spread over GLIDE_BLOCKS (a moving mean of the log cutoff)."""
    if hz.size < GLIDE_BLOCKS:
        return hz
    padded = np.pad(np.log(hz), GLIDE_BLOCKS // 2, mode="edge")
    return np.exp(np.convolve(padded, np.ones(GLIDE_BLOCKS) / GLIDE_BLOCKS, mode="valid"))[: hz.size]


def _lowpass(hz: float, sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """A resonant two-pole low-pass (the audio EQ cookbook's) at `hz`."""
    w0 = 2 * np.pi * min(hz, 0.45 * sample_rate) / sample_rate
    cos, alpha = np.cos(w0), np.sin(w0) / (2 * RESONANCE)
    b = np.array([(1 - cos) / 2, 1 - cos, (1 - cos) / 2]) / (1 + alpha)
    a = np.array([1.0, -2 * cos / (1 + alpha), (1 - alpha) / (1 + alpha)])
    return b, a


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, end) of every run of True in `mask`."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def moving_lowpass(audio: np.ndarray, cutoffs: np.ndarray, sample_rate: int) -> np.ndarray:
    """Low-pass `audio` (channels, frames) in place, block by block at `cutoffs` (Hz per BLOCK);
    blocks at OPEN_HZ or above stay as they are, a stretch's edges crossfaded against a click."""
    frames = audio.shape[1]
    for first, end in _runs(cutoffs < OPEN_HZ):
        lead, tail = min(first, EDGE_BLOCKS), min(len(cutoffs) - end, EDGE_BLOCKS)
        lo, hi = (first - lead) * BLOCK, min(frames, (end + tail) * BLOCK)
        if lo >= hi:
            continue
        dry = audio[:, lo:hi].astype(np.float64)
        wet = np.empty_like(dry)
        state = np.zeros((audio.shape[0], 2))
        settings = np.minimum(cutoffs[first - lead:end + tail], OPEN_HZ)
        i = 0
        while i < settings.size:  # blocks of one setting are filtered in one call
            j = i + 1
            while j < settings.size and settings[j] == settings[i]:
                j += 1
            b, a = _lowpass(float(settings[i]), sample_rate)
            span = slice(i * BLOCK, min(j * BLOCK, hi - lo))
            wet[:, span], state = lfilter(b, a, dry[:, span], axis=1, zi=state)
            i = j
        weight = np.ones(hi - lo)
        weight[: lead * BLOCK] = np.linspace(0.0, 1.0, lead * BLOCK)
        out_at = (end - first + lead) * BLOCK
        if out_at < hi - lo:
            weight[out_at:] = np.linspace(1.0, 0.0, hi - lo - out_at)
        audio[:, lo:hi] = (dry + (wet - dry) * weight).astype(audio.dtype)
    return audio


def filtered(audio: np.ndarray, part: PlayedPart, perf: Performance, sample_rate: int) -> np.ndarray:
    """A part's stem through the filter its brightness controls ride (unchanged without them)."""
    cutoffs = brightness_cutoffs(part, perf, audio.shape[1], sample_rate)
    return audio if cutoffs is None else moving_lowpass(audio, cutoffs, sample_rate)


def riser(perf: Performance, frames: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Noise swept up from RISER_LOW_HZ to RISER_HIGH_HZ and swelling by RISER_RISE_DB across
    each of the performance's riser spans, cut at the downbeat it rises into (stereo float32)."""
    out = np.zeros((2, frames), dtype=np.float32)
    cut = HighpassFilter(cutoff_frequency_hz=RISER_LOW_HZ)  # no low end: the kick and bass keep it
    for start, end in perf.risers:
        lo, hi = int(perf.seconds(start) * sample_rate), min(frames, int(perf.seconds(end) * sample_rate))
        if hi - lo < BLOCK:
            continue
        rise = np.linspace(0.0, 1.0, blocks_of(hi - lo)) ** RISER_SHAPE
        noise = rng.standard_normal((2, hi - lo)).astype(np.float32)
        moving_lowpass(noise, RISER_LOW_HZ * (RISER_HIGH_HZ / RISER_LOW_HZ) ** rise, sample_rate)
        swell = np.repeat(10 ** (RISER_RISE_DB * (rise - 1) / 20), BLOCK)[: hi - lo].astype(np.float32)
        swell[-int(0.01 * sample_rate):] *= np.linspace(1, 0, int(0.01 * sample_rate), dtype=np.float32)
        out[:, lo:hi] = np.asarray(cut(noise * swell, sample_rate, reset=True), dtype=np.float32)
    return out
