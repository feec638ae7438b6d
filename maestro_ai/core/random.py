"""Independent random streams per stage, all derived from the request's seed.

A stream is named by its stage ("melody", "drums", ...) and a variant number: changing the
variant re-rolls that stage only. The whole seed counts: seeds that differ above 32 bits give
different streams.

>>> a = stream(7, "melody"); b = stream(7, "melody")
>>> int(a.integers(1000)) == int(b.integers(1000))
True
>>> int(stream(2**32, "melody").integers(10**9)) == int(stream(0, "melody").integers(10**9))
False
"""
from __future__ import annotations

import zlib

import numpy as np

LOW_BITS = 0xFFFFFFFF


def stream(seed: int, name: str, variant: int = 0) -> np.random.Generator:
    """A generator for one stage; changing `variant` re-rolls only that stage."""
    # Seeds below 2**32 keep the entropy they always had (their songs must not change); the
    # higher bits of a larger seed are appended, so they can no longer collide with a small one.
    entropy = [seed & LOW_BITS, zlib.crc32(name.encode()), variant]
    if seed > LOW_BITS:
        entropy.append(seed >> 32)
    return np.random.default_rng(np.random.SeedSequence(entropy))
