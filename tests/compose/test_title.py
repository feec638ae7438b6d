import numpy as np

from maestro_ai.compose.title import GENRE_WORDS, MOOD_WORDS, make_title


def test_titles_come_from_the_phrases_or_the_style():
    title = make_title(["rainy city lights"], "lofi-chill", "ambient-focus", np.random.default_rng(0))
    assert title == "Rainy City Lights"
    title = make_title([], "house", "euphoric", np.random.default_rng(0))
    place, feeling = next((p, f) for p in GENRE_WORDS["house"] for f in MOOD_WORDS["euphoric"] if title == f"{p} {f}")
    assert (place, feeling) and title == make_title([], "house", "euphoric", np.random.default_rng(0))
    assert make_title(["the of and"], "jazz", "unknown", np.random.default_rng(0)).endswith(" Song")
    titles = {make_title([], "rock", "energetic", np.random.default_rng(seed)) for seed in range(1, 6)}
    assert len(titles) >= 3  # seeds give different titles
