import numpy as np

from maestro_ai.prompt.embed import SentenceEncoder, model_version


def test_embeddings_are_unit_vectors_that_capture_meaning():
    enc = SentenceEncoder.shared()
    v = enc.encode(["a rainy night in the city", "rain falling on dark streets", "a sunny day at the beach"])
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1
    assert enc.encode([]).shape == (0, 384) and model_version().startswith("sentence-transformers/all-MiniLM-L6-v2")


def test_batching_does_not_change_an_embedding():
    enc = SentenceEncoder.shared()
    alone = enc.encode(["velvet night"])[0]
    batched = enc.encode(["velvet night", "a much longer phrase about thunderstorms over the sea"])[0]
    assert np.allclose(alone, batched, atol=1e-5)
