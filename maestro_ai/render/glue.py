"""Bus glue: one compressor listening to a group of stems (the drum bus, the music bus) and turning
them all down together, as a bus compressor across a console's group does.

The compressor's gain is computed from the bus's sum and applied to each stem of the bus, which is
the same as compressing the sum (a gain distributes over a sum) and keeps the stems adding up to
the mix. The threshold is relative to the bus's own average level, so the data says how hard a
genre glues, whatever the gain staging before it.

>>> import numpy as np
>>> sr = 8000
>>> loud_then_quiet = np.concatenate([np.full(sr, 0.5), np.full(sr, 0.05)]).astype(np.float32)
>>> env = glue_envelope(loud_then_quiet, sr, Glue(("drums",), threshold_db=-3.0, ratio=4.0))
>>> bool(env[sr // 2] < 0.8), bool(env[-1] > 0.999)  # the loud half is turned down, the quiet one not
(True, True)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BLOCK = 128  # samples per level reading (2.9 ms at 44.1 kHz): finer than any attack the data sets


@dataclass(frozen=True)
class Glue:
    """A bus: the parts it groups and its compressor (threshold in dB relative to the bus's average
    level over the blocks that sound, ratio, attack and release in ms)."""

    parts: tuple[str, ...]
    threshold_db: float = 0.0
    ratio: float = 2.0
    attack_ms: float = 10.0
    release_ms: float = 150.0


def block_levels_db(mono: np.ndarray) -> np.ndarray:
    """RMS level in dBFS of every BLOCK samples of `mono` (the last block padded with silence)."""
    blocks = -(-mono.shape[0] // BLOCK)
    padded = np.zeros(blocks * BLOCK, dtype=np.float32)
    padded[:mono.shape[0]] = mono
    power = np.einsum("nb,nb->n", padded.reshape(blocks, BLOCK), padded.reshape(blocks, BLOCK),
                      dtype=np.float64) / BLOCK
    return 10 * np.log10(np.maximum(power, 1e-12))


def gain_reduction_db(levels_db: np.ndarray, sample_rate: int, glue: Glue) -> np.ndarray:
    """The compressor's gain reduction (dB, >= 0) at every block: the level over the threshold
    times (1 - 1/ratio), reached with the attack time and let go with the release time."""
    sounding = levels_db[levels_db > levels_db.max() - 40]
    threshold = 10 * np.log10(np.mean(10 ** (sounding / 10))) + glue.threshold_db if sounding.size else 0.0
    target = np.maximum(levels_db - threshold, 0.0) * (1.0 - 1.0 / glue.ratio)
    block_s = BLOCK / sample_rate
    attack = float(np.exp(-block_s / (glue.attack_ms / 1000)))
    release = float(np.exp(-block_s / (glue.release_ms / 1000)))
    reduction = np.empty_like(target)
    state = 0.0
    for i, wanted in enumerate(target.tolist()):  # a ballistics filter: each block follows the last
        coeff = attack if wanted > state else release
        state = coeff * state + (1.0 - coeff) * wanted
        reduction[i] = state
    return reduction


def glue_envelope(mono: np.ndarray, sample_rate: int, glue: Glue) -> np.ndarray:
    """The gain (float32, one per sample) the bus compressor gives a bus whose mono sum is `mono`."""
    reduction = gain_reduction_db(block_levels_db(mono), sample_rate, glue)
    # The gain at each block's start, drawn linearly to the next block's (float32 in (blocks, BLOCK)
    # rows: a tenth of the time np.interp takes over a whole song).
    gains = (10 ** (-reduction / 20)).astype(np.float32)
    following = np.append(gains[1:], gains[-1])
    ramp = np.arange(BLOCK, dtype=np.float32) / np.float32(BLOCK)
    curve = gains[:, None] + (following - gains)[:, None] * ramp[None, :]
    return curve.reshape(-1)[: mono.shape[0]]
