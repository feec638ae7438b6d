import numpy as np

from maestro_ai.production.analysis.tonal import chords_from_chroma, estimate_key


def _chroma(pcs_per_beat):
    chroma = np.zeros((12, len(pcs_per_beat)))
    for i, pcs in enumerate(pcs_per_beat):
        chroma[list(pcs), i] = 1.0
    return chroma


def test_key_of_a_progression_with_runners_up():
    chroma = _chroma([(9, 0, 4), (2, 5, 9), (4, 8, 11), (9, 0, 4)] * 4)  # Am Dm E Am
    key, confidence, candidates = estimate_key(chroma)
    assert key == "A minor" and 0 <= confidence <= 1 and candidates[0][0] == "A minor" and len(candidates) == 3


def test_chords_per_beat_are_merged_and_silence_is_no_chord():
    chroma = _chroma([(0, 4, 7)] * 4 + [(7, 11, 2)] * 4 + [()] * 4)
    chords = chords_from_chroma(chroma, np.arange(13.0))
    assert [c["chord"] for c in chords] == ["C", "G", "N"] and chords[1]["start"] == 4.0 and chords[1]["label"] == "G:maj"
