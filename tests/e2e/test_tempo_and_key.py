"""librosa's beat tracker and a chroma key estimate judge a matrix of genres and tempos."""
import librosa
import numpy as np
import pytest

import maestro_ai
from maestro_ai.core.key import Key

MATRIX = [("house", 124), ("techno", 132), ("hip-hop", 90), ("trap", 140), ("pop", 110), ("rock", 128),
          ("synthwave", 100), ("lofi-chill", 80), ("rnb", 92), ("folk", 104), ("jazz", 140), ("cinematic", 90),
          ("house", 120), ("hip-hop", 84), ("trap", 150), ("rock", 150)]
KEY_HITS: dict[tuple[str, int], tuple[bool, bool]] = {}  # (genre, tempo) -> (same key, same or relative key)

MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def _chroma_key(y, sr):
    chroma = librosa.feature.chroma_cqt(y=y, sr=sr).mean(axis=1)
    profiles = (("major", MAJOR), ("minor", MINOR))
    scores = [(np.corrcoef(chroma, np.roll(p, t))[0, 1], t, m) for t in range(12) for m, p in profiles]
    _, tonic, mode = max(scores)
    return tonic, mode


def _tracked_tempo(y, sr):
    """The beat tracker's tempo: from the slope of its beat times (its global estimate is
    quantized to whole frames of lag, too coarse to judge 2% at 130 BPM)."""
    _, beats = librosa.beat.beat_track(y=y, sr=sr, hop_length=256, units="time")
    beats = beats[2:-2]
    slope = np.polyfit(np.arange(len(beats)), beats, 1)[0]
    return 60.0 / slope


def _beat_span(sections):
    """(start, end) seconds of the longest run of sections where the kit keeps time (track.json's
    `plays`): a beat tracker judges the beat where there is one, not a drumless intro."""
    best, run = (0.0, 0.0), None
    for s in sections:
        if s.get("plays", {}).get("drums") in ("full", "half", "kick"):
            run = (run[0] if run else s["start_seconds"], s["end_seconds"])
            best = max(best, run, key=lambda r: r[1] - r[0])
        else:
            run = None
    return best


def _key_agreement(a, b):
    (ta, ma), (tb, mb) = a, b
    relative = (ma != mb) and ((ta + (3 if ma == "minor" else -3)) % 12 == tb)
    return (ta, ma) == (tb, mb), (ta, ma) == (tb, mb) or relative


@pytest.mark.slow
@pytest.mark.parametrize("genre,tempo", MATRIX)
def test_beat_tracker_finds_the_requested_tempo(tmp_path, genre, tempo):
    gen = maestro_ai.MusicGenerator(genre=genre, mood="energetic" if tempo > 115 else "chill", seed=11 + tempo,
                                    output_dir=tmp_path, formats=("wav",))
    # The band's tempo: the voice's timing is judged against its own notes (evaluation.vocals),
    # and a short trap hook sung over a dotted 808 line is heard at 104 BPM by this tracker
    meta, path = gen.generate_track({"tempo_bpm": tempo, "vocals": False}, duration_seconds=30)
    y, sr = librosa.load(path, sr=22050, mono=True)
    start, end = _beat_span(meta["sections"])
    found = _tracked_tempo(y[int(start * sr):int(end * sr)] if end - start >= 8 else y, sr)
    assert any(abs(found - tempo * k) <= 0.02 * tempo * k for k in (0.5, 1, 2)), (genre, tempo, found)
    tonic, mode = Key.parse(meta["key"])
    mode = "minor" if mode in ("minor", "dorian", "phrygian") else "major"
    KEY_HITS[genre, tempo] = _key_agreement(_chroma_key(y, sr), (tonic, mode))


@pytest.mark.slow
def test_chroma_key_agrees_on_most_tracks():
    if len(KEY_HITS) < len(MATRIX):
        pytest.skip("runs after the tempo matrix")
    exact = sum(same for same, _ in KEY_HITS.values())
    close = sum(near for _, near in KEY_HITS.values())
    assert exact >= 0.6 * len(MATRIX) and close >= 0.7 * len(MATRIX), [k for k, v in KEY_HITS.items() if not v[1]]
