"""Song titles from the key phrases and the style.

>>> make_title(["rainy city lights", "velvet night"], "lofi-chill", "ambient-focus", np.random.default_rng(7))
'Velvet Lights Night'
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


def make_title(phrases: list[str], genre: str, mood: str, rng: np.random.Generator) -> str:
    """Two or three salient words from the phrases, or the style's own words when there are none."""
    words = []
    for phrase in phrases:
        for w in re.findall(r"[A-Za-z][A-Za-z'\-]*", phrase):
            if w.lower() not in STOP and w.lower() not in (x.lower() for x in words):
                words.append(w)
    if not words:
        return f"{GENRE_WORDS.get(genre, 'Night')} {MOOD_WORDS.get(mood, 'Song')}"
    if len(words) <= 2:
        chosen = words
    elif phrases and len(phrases[0].split()) in (2, 3) and rng.random() < 0.35:
        chosen = [w for w in re.findall(r"[A-Za-z][A-Za-z'\-]*", phrases[0]) if w.lower() not in STOP]
    else:
        first = words[int(rng.integers(len(words)))]
        rest = [w for w in words if w != first]
        count = 2 if rng.random() < 0.5 else min(2, len(rest))
        picks = sorted(rng.choice(len(rest), size=count, replace=False))
        chosen = [first] + [rest[i] for i in picks]
    return " ".join(w[:1].upper() + w[1:].lower() for w in chosen)
