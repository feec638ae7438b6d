from evaluation import metrics


def test_melody_statistics():
    scale = [(i * 4, p, 4) for i, p in enumerate([60, 62, 64, 65, 67, 69, 71, 72])]
    assert metrics.scale_consistency(scale) == 1.0 and metrics.pitch_range(scale) == 12
    assert metrics.intervals(scale)[:3] == [2, 2, 1] and metrics.inter_onset_intervals(scale)[:2] == [4, 4]
    assert metrics.groove_consistency([(0, 60, 4), (4, 62, 4), (16, 60, 4), (20, 62, 4)], 16) == 1.0
    assert metrics.pitch_ngrams(scale, 4)[0] == ((60, 4), (62, 4), (64, 4), (65, 4))
    a, b = metrics.histogram([1, 2, 2], [0, 1.5, 3]), metrics.histogram([1, 2, 2], [0, 1.5, 3])
    assert metrics.overlap_area(a, b) == 1.0
