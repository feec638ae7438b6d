"""What a track is like, as a vector the taste model can learn from without a single play: its
genre, its mood (valence and energy), its tempo and mode, and what its title and description say
(all-MiniLM-L6-v2 sentence embeddings, each distinct text embedded once, reduced to its main
TEXT_DIMENSIONS directions over the catalogue). Rows are unit length.

>>> items = {"genre": ["house", "house", "folk"], "valence": [0.8, 0.8, 0.3], "energy": [0.9, 0.9, 0.2],
...          "tempo": [124, 126, 96], "minor": [False, False, True],
...          "text": ["club night", "warehouse party", "campfire song"]}
>>> v = content_vectors(items)
>>> v.shape[0], bool(v[0] @ v[1] > v[0] @ v[2])
(3, True)
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from maestro_ai.prompt.embed import SentenceEncoder

TEXT_DIMENSIONS = 24
BATCH = 256  # texts embedded at once (bounds the attention's memory)
WEIGHTS = {"genre": 1.0, "mood": 1.2, "tempo": 0.8, "mode": 0.3, "text": 1.0}  # each block's share of a track's vector


def content_vectors(items: Mapping[str, Sequence], encoder=None) -> np.ndarray:
    """The content vector of each track (float32 rows of unit length) from its columns: genre,
    valence, energy (0-1), tempo (BPM), minor (bool) and text (title and description)."""
    genre = np.asarray(items["genre"], dtype=object)
    names, genre_row = np.unique(genre, return_inverse=True)
    blocks = [np.eye(len(names), dtype=np.float32)[genre_row] * WEIGHTS["genre"]]
    mood = np.stack([np.asarray(items["valence"], np.float32) - 0.5, np.asarray(items["energy"], np.float32) - 0.5], axis=1)
    blocks.append(mood * 2 * WEIGHTS["mood"])
    tempo = np.log2(np.asarray(items["tempo"], np.float32) / 110.0)[:, None]
    blocks.append(np.clip(tempo, -1, 1) * 2 * WEIGHTS["tempo"])
    blocks.append((np.asarray(items["minor"], np.float32)[:, None] - 0.5) * 2 * WEIGHTS["mode"])
    blocks.append(text_vectors(items["text"], encoder) * WEIGHTS["text"])
    vectors = np.concatenate(blocks, axis=1).astype(np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6)
    return vectors


_EMBEDDED: dict[str, np.ndarray] = {}  # text -> its embedding, for this process (the shared encoder's only)
EMBEDDED_KEPT = 200_000


def embed_texts(texts: list[str], encoder=None) -> np.ndarray:
    """The sentence embeddings of `texts` (unit rows of 384), BATCH at a time; with the shared
    encoder, each text is embedded once a process (a catalogue's descriptions, asked for again by
    every playlist)."""
    if encoder is not None:
        return np.concatenate([np.asarray(encoder.encode(texts[i:i + BATCH]), dtype=np.float32)
                               for i in range(0, len(texts), BATCH)] or [np.zeros((0, 384), np.float32)])
    missing = list(dict.fromkeys(t for t in texts if t not in _EMBEDDED))
    if missing:
        if len(_EMBEDDED) + len(missing) > EMBEDDED_KEPT:
            _EMBEDDED.clear()
        found = embed_texts(missing, SentenceEncoder.shared())
        _EMBEDDED.update(zip(missing, found))
    return np.stack([_EMBEDDED[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def text_vectors(texts: Sequence[str], encoder=None) -> np.ndarray:
    """Each text's sentence embedding, projected on the catalogue's TEXT_DIMENSIONS main
    directions (unit rows); every distinct text is embedded once."""
    distinct, row = np.unique(np.asarray(texts, dtype=object).astype(str), return_inverse=True)
    embedded = embed_texts(list(distinct), encoder)
    centred = embedded - embedded.mean(axis=0)
    if len(distinct) > 1:
        _, _, directions = np.linalg.svd(centred, full_matrices=False)
        reduced = centred @ directions[:TEXT_DIMENSIONS].T
    else:
        reduced = np.zeros((1, 1), np.float32)
    reduced /= np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-6)
    return reduced[row].astype(np.float32)
