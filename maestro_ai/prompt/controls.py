"""Controls: the style values that drive composition, derived from genre, mood and key phrases.

Each key phrase is embedded and compared with the descriptor vocabulary; the closest descriptors
pull the mood's values toward theirs, weighted by similarity. Unknown words still land somewhere
sensible because the comparison is by meaning, not by spelling.

>>> c = derive_controls(load_genre("lofi-chill"), load_mood("ambient-focus"), ["rainy city lights"])
>>> 0.0 <= c.energy <= 1.0, c.drivers[0]["phrase"]
(True, 'rainy city lights')
"""
from __future__ import annotations

import numpy as np

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.style import CONTROL_NAMES, Controls, Genre, Mood
from maestro_ai.prompt.embed import SentenceEncoder
from maestro_ai.prompt.presets import load_genre, load_mood
from maestro_ai.prompt.vocabulary import Vocabulary

TOP_K = 3
MIN_SIMILARITY = 0.25
PHRASE_WEIGHT = 0.6  # how far phrases may pull the mood's values, at similarity 1


def _base_values(genre: Genre, mood: Mood) -> np.ndarray:
    base = {"valence": mood.valence, "energy": mood.energy, "brightness": 0.5, "space": 0.5,
            "density": genre.melody_density, "complexity": genre.extension / 2 * 0.6 + 0.2}
    base.update(mood.nudges)
    return np.array([base[c] for c in CONTROL_NAMES], dtype=np.float64)


def derive_controls(genre: Genre | str, mood: Mood | str, phrases: list[str]) -> Controls:
    """Blend the mood preset with what the key phrases mean."""
    genre, mood = load_genre(genre), load_mood(mood)
    if not isinstance(phrases, (list, tuple)) or not all(isinstance(p, str) for p in phrases):
        raise InvalidRequest("key_phrases must be a list of strings, like ['rainy city lights']")
    phrases = [p.strip() for p in phrases if p.strip()]
    values = _base_values(genre, mood)
    drivers: list[dict] = []
    if phrases:
        vocab = Vocabulary.load()
        sims = SentenceEncoder.shared().encode(phrases) @ vocab.vectors.T
        pull_sum = np.zeros(len(CONTROL_NAMES))
        weight_sum = np.zeros(len(CONTROL_NAMES))
        for phrase, row in zip(phrases, sims):
            best = [i for i in np.argsort(-row)[:TOP_K] if row[i] >= MIN_SIMILARITY]
            drivers.append({"phrase": phrase, "descriptors": [
                {"text": vocab.texts[i], "similarity": round(float(row[i]), 3)} for i in best]})
            for i in best:
                known = ~np.isnan(vocab.values[i])
                w = float(row[i]) ** 2
                pull_sum[known] += w * vocab.values[i][known]
                weight_sum[known] += w
        has = weight_sum > 0
        strength = np.clip(weight_sum / (weight_sum + 0.5), 0, 1) * PHRASE_WEIGHT
        target = np.where(has, pull_sum / np.maximum(weight_sum, 1e-9), values)
        values = values + strength * (target - values)
    values = np.clip(values, 0.0, 1.0)
    return Controls(genre, mood, *[float(v) for v in values], drivers=drivers)
