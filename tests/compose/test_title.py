import numpy as np

from maestro_ai.compose.title import make_title


def test_titles_come_from_the_phrases_or_the_style():
    title = make_title(["rainy city lights"], "lofi-chill", "ambient-focus", np.random.default_rng(0))
    assert title == "Rainy City Lights"
    assert make_title([], "house", "euphoric", np.random.default_rng(0)) == "Floor Euphoria"
    assert make_title(["the of and"], "jazz", "unknown", np.random.default_rng(0)) == "Blue Note Song"
