import numpy as np
import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.prompt.controls import derive_controls
from maestro_ai.prompt.embed import SentenceEncoder
from maestro_ai.prompt.presets import all_genres, all_moods, load_genre, load_mood, read_data
from maestro_ai.prompt.vocabulary import Vocabulary

REQUIRED_GENRES = ["lofi-chill", "ambient", "house", "techno", "hip-hop", "trap", "pop", "rock", "jazz",
                   "cinematic", "folk", "synthwave", "rnb"]
REQUIRED_MOODS = ["ambient-focus", "melancholic", "euphoric", "tense", "dreamy", "romantic", "aggressive", "peaceful"]


def test_all_required_genres_and_moods_exist():
    assert set(REQUIRED_GENRES) <= set(all_genres())
    assert set(REQUIRED_MOODS) <= set(all_moods())
    assert load_genre("orchestral").name == "cinematic" and load_genre("r&b").name == "rnb"


def test_genres_differ_in_tempo_groove_harmony_and_instruments():
    genres = all_genres().values()
    assert len({g.tempo_range for g in genres}) >= 10
    assert len({g.groove for g in genres}) >= 10
    assert {g.extension for g in genres} == {0, 1, 2}
    assert len({g.instruments["melody"][0] for g in genres}) >= 8
    assert load_genre("trap").half_time and load_genre("jazz").swing > 0.5 and load_genre("house").swing < 0.2


def test_unknown_names_suggest_the_closest():
    with pytest.raises(InvalidRequest, match="did you mean 'lofi-chill'"):
        load_genre("lofi")
    with pytest.raises(InvalidRequest, match="did you mean 'euphoric'"):
        load_mood("euphoria")


def test_embeddings_are_unit_vectors_that_capture_meaning():
    enc = SentenceEncoder.shared()
    v = enc.encode(["a rainy night in the city", "rain falling on dark streets", "a sunny day at the beach"])
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1


def test_batching_does_not_change_an_embedding():
    enc = SentenceEncoder.shared()
    alone = enc.encode(["velvet night"])[0]
    batched = enc.encode(["velvet night", "a much longer phrase about thunderstorms over the sea"])[0]
    assert np.allclose(alone, batched, atol=1e-5)


def test_cached_descriptor_vectors_match_a_fresh_computation():
    vocab = Vocabulary.load()
    assert vocab.texts == tuple(read_data("descriptors.toml"))
    fresh = SentenceEncoder.shared().encode(list(vocab.texts[:10]))
    assert np.allclose(fresh, vocab.vectors[:10], atol=1e-5)


def test_phrases_steer_the_controls_by_meaning():
    calm = derive_controls("pop", "chill", ["falling asleep to soft rain"])
    wild = derive_controls("pop", "chill", ["a furious battle in a thunderstorm"])
    assert wild.energy > calm.energy + 0.1
    happy = derive_controls("pop", "chill", ["sunshine and joy at a summer party"])
    sad = derive_controls("pop", "chill", ["tears at a funeral"])
    assert happy.valence > sad.valence + 0.2
    assert calm.drivers and calm.drivers[0]["descriptors"]


def test_unknown_words_still_work():
    c = derive_controls("lofi-chill", "ambient-focus", ["zorblax quimbletude"])
    assert all(0.0 <= getattr(c, k) <= 1.0 for k in ("valence", "energy", "brightness", "space", "density"))


def test_any_point_of_the_mood_space_is_a_mood():
    tense = derive_controls("cinematic", "0.2,0.9", [])
    calm = derive_controls("cinematic", "0.8,0.1", [])
    assert (tense.valence, tense.energy) == (0.2, 0.9) and calm.energy < tense.energy
    with pytest.raises(InvalidRequest, match="0-1"):
        load_mood("1.5,0.2")
