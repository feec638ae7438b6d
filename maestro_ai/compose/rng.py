"""Independent random streams per stage, all derived from the request's seed.

>>> a = stream(7, "melody"); b = stream(7, "melody")
>>> int(a.integers(1000)) == int(b.integers(1000))
True
"""
from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str, variant: int = 0) -> np.random.Generator:
    """A generator for one stage; changing `variant` re-rolls only that stage."""
    return np.random.default_rng(np.random.SeedSequence([seed & 0xFFFFFFFF, zlib.crc32(name.encode()), variant]))
