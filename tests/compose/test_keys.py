import numpy as np

from maestro_ai.compose.keys import COMMON_TONICS, choose_mode, choose_tonic


def test_valence_picks_the_mode_from_the_genres_own():
    rng = np.random.default_rng(0)
    assert choose_mode(0.1, ("major", "minor"), rng) == "minor" and choose_mode(0.9, ("major", "dorian"), rng) == "major"
    assert choose_mode(0.9, ("dorian",), rng) == "dorian"
    tonics = [choose_tonic(np.random.default_rng(s)) for s in range(200)]
    assert tonics.count(COMMON_TONICS[0]) > tonics.count(COMMON_TONICS[-1])
