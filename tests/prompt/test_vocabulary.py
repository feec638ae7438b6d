import numpy as np

from maestro_ai.prompt.embed import SentenceEncoder
from maestro_ai.prompt.presets import read_data
from maestro_ai.prompt.vocabulary import Vocabulary, build_cache


def test_cached_descriptor_vectors_match_a_fresh_computation():
    vocab = Vocabulary.load()
    assert vocab.texts == tuple(read_data("descriptors.toml"))
    fresh = SentenceEncoder.shared().encode(list(vocab.texts[:10]))
    assert np.allclose(fresh, vocab.vectors[:10], atol=1e-5)


def test_the_cache_can_be_rebuilt_elsewhere(tmp_path):
    path = build_cache(tmp_path / "vectors.npz")
    with np.load(path) as data:
        assert tuple(data["texts"]) == Vocabulary.load().texts and data["vectors"].shape[1] == 384
