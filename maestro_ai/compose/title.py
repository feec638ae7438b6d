"""Song titles from the key phrases and the style.

>>> make_title(["rainy city lights", "velvet night"], "lofi-chill", "ambient-focus", np.random.default_rng(7))
'Velvet Night'
"""
from __future__ import annotations

import re

import numpy as np

STOP = {"a", "an", "the", "of", "in", "on", "at", "and", "or", "with", "to", "for", "by", "from", "my", "your",
        "is", "are", "be", "it", "this", "that", "some", "very", "into", "like", "feel", "feeling", "vibe", "vibes"}
MOOD_WORDS = {"ambient-focus": "Focus", "melancholic": "Blue", "euphoric": "Euphoria", "tense": "Edge",
              "dreamy": "Dreams", "romantic": "Hearts", "aggressive": "Riot", "peaceful": "Stillness",
              "uplifting": "Rise", "dark": "Shadows", "nostalgic": "Yesterday", "playful": "Games",
              "epic": "Legends", "mysterious": "Secrets", "sad": "Tears", "happy": "Sunshine",
              "chill": "Drift", "energetic": "Voltage"}
GENRE_WORDS = {"lofi-chill": "Tape", "ambient": "Horizon", "house": "Floor", "techno": "Machine", "hip-hop": "Block",
               "trap": "Smoke", "pop": "Heart", "rock": "Highway", "jazz": "Blue Note", "cinematic": "Empire",
               "folk": "River", "synthwave": "Neon", "rnb": "Velvet"}


def _content_words(phrase: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z'\-]*", phrase) if w.lower() not in STOP]


def make_title(phrases: list[str], genre: str, mood: str, rng: np.random.Generator) -> str:
    """A title from the phrases, keeping their word order: one phrase as it is, or one phrase
    ending in another's last word ('Rainy City Night'); the style's own words when there are none."""
    candidates = [words for words in (_content_words(p) for p in phrases) if words]
    if not candidates:
        return f"{GENRE_WORDS.get(genre, 'Night')} {MOOD_WORDS.get(mood, 'Song')}"
    chosen = list(candidates[int(rng.integers(len(candidates)))][:3])
    others = [words for words in candidates if words[-1].lower() not in (w.lower() for w in chosen)]
    if others and len(chosen) >= 2 and rng.random() < 0.4:
        chosen[-1] = others[int(rng.integers(len(others)))][-1]
    return " ".join(w[:1].upper() + w[1:].lower() for w in chosen)
