"""The descriptor vocabulary: texts with the control values they imply, and their embeddings.

Embeddings of the descriptor texts are cached in data/descriptor_vectors.npz (made by running this
module); if the cache does not match the TOML, they are computed afresh.

>>> vocab = Vocabulary.load()
>>> "rain" in vocab.texts
True
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from maestro_ai.core.style import CONTROL_NAMES
from maestro_ai.prompt.embed import SentenceEncoder
from maestro_ai.prompt.presets import read_data

log = logging.getLogger(__name__)
CACHE_NAME = "descriptor_vectors.npz"


@dataclass(frozen=True)
class Vocabulary:
    """Descriptor texts, their control values (NaN where a descriptor does not pull) and vectors."""

    texts: tuple[str, ...]
    values: np.ndarray  # (n, len(CONTROL_NAMES))
    vectors: np.ndarray  # (n, 384), unit rows

    @classmethod
    @cache
    def load(cls) -> Vocabulary:
        table = read_data("descriptors.toml")
        texts = tuple(table)
        values = np.array([[float(table[t].get(c, np.nan)) for c in CONTROL_NAMES] for t in texts])
        return cls(texts, values, _vectors(texts))


def _vectors(texts: tuple[str, ...]) -> np.ndarray:
    try:
        data = resources.files("maestro_ai.data").joinpath(CACHE_NAME).read_bytes()
        cached = np.load(io.BytesIO(data))
        if tuple(cached["texts"]) == texts:
            return cached["vectors"]
        log.warning("descriptor vectors are stale; computing them (run python -m %s to refresh)", __name__)
    except FileNotFoundError:
        log.warning("descriptor vectors missing; computing them")
    return SentenceEncoder.shared().encode(list(texts))


def build_cache(path: Path | None = None) -> Path:
    """Embed every descriptor and write the cache file beside the TOML."""
    texts = tuple(read_data("descriptors.toml"))
    target = path or Path(str(resources.files("maestro_ai.data").joinpath(CACHE_NAME)))
    np.savez_compressed(target, texts=np.array(texts), vectors=SentenceEncoder.shared().encode(list(texts)))
    return target


if __name__ == "__main__":
    print(build_cache())
