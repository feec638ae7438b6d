from evaluation.ngram import KneserNey


def test_kneser_ney_is_a_distribution_that_learns():
    model = KneserNey(order=3, vocab_size=6)
    model.fit([[1, 2, 3, 4] * 20])
    assert abs(sum(model.prob((1, 2), w) for w in range(6)) - 1) < 1e-9
    assert model.prob((1, 2), 3) > 0.8 and model.bits([[1, 2, 3, 4] * 5], skip=2) < 1.0
