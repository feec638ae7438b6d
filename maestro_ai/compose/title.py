"""Song titles from the key phrases and the style.

>>> make_title(["rainy city lights", "velvet night"], "lofi-chill", "ambient-focus", np.random.default_rng(7))
'Velvet Night'
"""
from __future__ import annotations

import re

import numpy as np

STOP = {"a", "an", "the", "of", "in", "on", "at", "and", "or", "with", "to", "for", "by", "from", "my", "your",
        "is", "are", "be", "it", "this", "that", "some", "very", "into", "like", "feel", "feeling", "vibe", "vibes"}
# Words a title can take from the mood and the genre when the request has no phrases of its own.
MOOD_WORDS = {"ambient-focus": ("Focus", "Quiet Hours", "Clear Mind"), "melancholic": ("Blue", "Rain", "Old Letters"),
              "euphoric": ("Euphoria", "Lift", "Golden Hour"), "tense": ("Edge", "Pressure", "Wire"),
              "dreamy": ("Dreams", "Clouds", "Halflight"), "romantic": ("Hearts", "Slow Dance", "Candlelight"),
              "aggressive": ("Riot", "Teeth", "Static"), "peaceful": ("Stillness", "Morning", "Tide"),
              "uplifting": ("Rise", "Open Sky", "Lanterns"), "dark": ("Shadows", "Undertow", "Black Glass"),
              "nostalgic": ("Yesterday", "Polaroids", "Summer Tapes"), "playful": ("Games", "Paper Planes", "Bubblegum"),
              "epic": ("Legends", "Titans", "The Last March"), "mysterious": ("Secrets", "Fog", "Ciphers"),
              "sad": ("Tears", "Empty Rooms", "Grey"), "happy": ("Sunshine", "Good Days", "Lemonade"),
              "chill": ("Drift", "Easy", "Slow Motion"), "energetic": ("Voltage", "Overdrive", "Sparks")}
GENRE_WORDS = {"lofi-chill": ("Tape", "Cassette", "Window Seat"), "ambient": ("Horizon", "Glacier", "Orbit"),
               "house": ("Floor", "Warehouse", "Strobe"), "techno": ("Machine", "Concrete", "Circuit"),
               "hip-hop": ("Block", "Corner", "Crate"), "trap": ("Smoke", "Chrome", "Night Shift"),
               "pop": ("Heart", "Neon Sign", "Radio"), "rock": ("Highway", "Amplifier", "Gravel"),
               "jazz": ("Blue Note", "Late Set", "Smoke Ring"), "cinematic": ("Empire", "Citadel", "Odyssey"),
               "folk": ("River", "Porch", "Meadow"), "synthwave": ("Neon", "Outrun", "Grid"),
               "rnb": ("Velvet", "Silk", "After Hours")}


def _content_words(phrase: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z'\-]*", phrase) if w.lower() not in STOP]


def make_title(phrases: list[str], genre: str, mood: str, rng: np.random.Generator) -> str:
    """A title from the phrases, keeping their word order: one phrase as it is, or one phrase
    ending in another's last word ('Rainy City Night'); words of the style's own, chosen by the
    seed, when there are none.

    >>> len({make_title([], "pop", "happy", np.random.default_rng(seed)) for seed in range(8)}) > 3
    True
    """
    candidates = [words for words in (_content_words(p) for p in phrases) if words]
    if not candidates:
        place = GENRE_WORDS.get(genre, ("Night",))
        feeling = MOOD_WORDS.get(mood, ("Song",))
        return f"{place[int(rng.integers(len(place)))]} {feeling[int(rng.integers(len(feeling)))]}"
    chosen = list(candidates[int(rng.integers(len(candidates)))][:3])
    others = [words for words in candidates if words[-1].lower() not in (w.lower() for w in chosen)]
    if others and len(chosen) >= 2 and rng.random() < 0.4:
        chosen[-1] = others[int(rng.integers(len(others)))][-1]
    return " ".join(w[:1].upper() + w[1:].lower() for w in chosen)
