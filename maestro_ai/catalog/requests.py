"""What a listener asks the DJ for, typed or spoken ("something calmer", "more like this",
"some jazz"), read through the same MiniLM embeddings the playlists use.

A request is matched against the example phrases of each DIRECTIONS entry (its nearest phrase
counts). Near enough (MATCH cosine, and MARGIN clear of the next direction), it is that
direction:

- a **move** of the set's (valence, energy) point: calmer, more energy, happier, darker;
- **like this** / **something different**: toward or away from the content vector of the track
  playing when it was asked.

A request near none of them is a **phrase**: it joins the context, so its meaning pulls the
next tracks as the context's does ("some jazz please").

>>> read_request("something calmer").direction, read_request("something calmer").move
('calmer', (0.0, -0.25))
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from maestro_ai.catalog.features import embed_texts
from maestro_ai.core.errors import InvalidRequest

STEP = 0.25  # how far a move shifts valence or energy (each 0-1)
MATCH = 0.5  # the cosine a request needs to an example phrase to be read as its direction
MARGIN = 0.04  # ... and by how much it must beat the next direction's nearest phrase
LONGEST = 200  # characters a request may have

# direction: ((valence, energy) move, likeness: +1 toward the track playing, -1 away), example phrases
DIRECTIONS: dict[str, tuple[tuple[float, float], int, tuple[str, ...]]] = {
    "calmer": ((0.0, -STEP), 0, ("something calmer", "calm it down", "slower please", "quieter", "softer", "chill it out",
                                 "less energy", "more relaxing", "bring it down", "turn it down")),
    "more energy": ((0.0, STEP), 0, ("more energy", "faster", "louder", "something upbeat", "pump it up", "more energetic",
                                     "crank it up", "let's dance", "heavier")),
    "happier": ((STEP, 0.0), 0, ("something happier", "brighter", "more uplifting", "more cheerful")),
    "darker": ((-STEP, 0.0), 0, ("something darker", "sadder", "something sad", "moodier", "more melancholy")),
    "like this": ((0.0, 0.0), 1, ("more like this", "similar to this", "keep this going", "another one like that", "more of that")),
    "different": ((0.0, 0.0), -1, ("something different", "less like this", "change it up", "switch it up", "not this")),
}


@dataclass(frozen=True)
class DjRequest:
    """A request as the DJ reads it: its text, the direction it was read as (None: a phrase that
    joins the context), the (valence, energy) move, likeness to the track playing (+1, -1, 0), and
    the cosine it matched with."""

    text: str
    direction: str | None
    move: tuple[float, float]
    likeness: int
    match: float

    def to_dict(self) -> dict:
        return {"text": self.text, "read_as": self.direction or "a phrase for the context", "match": round(self.match, 3)}


def _example_vectors(encoder=None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The directions' names, every example phrase's embedding (`embed_texts` keeps them, once a
    process) and the index of its direction."""
    names = list(DIRECTIONS)
    phrases = [(n, p) for n in names for p in DIRECTIONS[n][2]]
    return names, embed_texts([p for _, p in phrases], encoder), np.array([names.index(n) for n, _ in phrases])


def read_request(text: str, encoder=None) -> DjRequest:
    """`text` as the DJ reads it (see the module's note)."""
    if not isinstance(text, str) or not text.strip() or len(text) > LONGEST:
        raise InvalidRequest(f'a DJ request is a short phrase (1-{LONGEST} characters), like "something calmer" or "more like this"')
    text = " ".join(text.split())
    names, vectors, direction_of = _example_vectors(encoder)
    similarity = vectors @ embed_texts([text.lower()], encoder)[0]
    nearest = np.array([similarity[direction_of == d].max() for d in range(len(names))])
    order = np.argsort(-nearest)
    best, second = float(nearest[order[0]]), float(nearest[order[1]])
    if best < MATCH or best - second < MARGIN:
        return DjRequest(text, None, (0.0, 0.0), 0, best)
    name = names[int(order[0])]
    move, likeness, _ = DIRECTIONS[name]
    return DjRequest(text, name, move, likeness, best)
