"""Key and chords from chroma: key profiles correlated with the piece's average chroma, and
triad templates matched beat by beat with a smoothing Viterbi pass.

>>> import numpy as np
>>> chroma = np.zeros((12, 8)); chroma[[0, 4, 7], :] = 1.0  # C, E, G throughout
>>> estimate_key(chroma)[0]
'C major'
>>> [c["chord"] for c in chords_from_chroma(chroma, np.arange(9.0))]
['C']
"""
from __future__ import annotations

import numpy as np

NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
# Key profiles (major, minor), tonic first, as published (the same numbers music21 carries).
PROFILES = {
    "krumhansl-kessler": ([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
                          [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]),
    "temperley-kostka-payne": ([0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057, 0.400],
                               [0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133, 0.330]),
    "bellman-budge": ([16.80, 0.86, 12.95, 1.41, 13.49, 11.93, 1.25, 20.28, 1.80, 8.04, 0.62, 10.57],
                      [18.16, 0.69, 12.99, 13.34, 1.07, 11.15, 1.38, 21.07, 7.49, 1.53, 0.92, 10.21]),
}
PROFILE = "krumhansl-kessler"
STAY = 0.85  # Viterbi: probability that the chord does not change from one beat to the next


def _profiles(which: str = PROFILE) -> tuple[list[str], np.ndarray]:
    names, rows = [], []
    major, minor = PROFILES[which]
    for mode, profile in (("major", np.array(major)), ("minor", np.array(minor))):
        for tonic in range(12):
            names.append(f"{NAMES[tonic]} {mode}")
            rows.append(np.roll(profile, tonic))
    return names, np.array(rows)


def estimate_key(chroma: np.ndarray, profile: str = PROFILE) -> tuple[str, float, list[tuple[str, float]]]:
    """The key of (12, frames) chroma: Pearson correlation of the average chroma with 24 rotated
    profiles. Returns the key, a confidence (0-1: the winner's margin over the runner-up,
    relative to its correlation) and the three best keys with their correlations."""
    names, profiles = _profiles(profile)
    mean = chroma.mean(axis=1)
    if not np.any(mean > 0):
        return "C major", 0.0, []
    scores = np.array([np.corrcoef(mean, p)[0, 1] for p in profiles])
    order = np.argsort(scores)[::-1]
    best, second = scores[order[0]], scores[order[1]]
    confidence = float(np.clip((best - second) / max(abs(best), 1e-9) * 5, 0.0, 1.0))
    return names[order[0]], round(confidence, 3), [(names[i], round(float(scores[i]), 3)) for i in order[:3]]


def _templates() -> tuple[list[str], list[str], np.ndarray]:
    labels, symbols, rows = [], [], []
    for third, suffix, short in ((4, "maj", ""), (3, "min", "m")):
        for root in range(12):
            row = np.zeros(12)
            row[[root, (root + third) % 12, (root + 7) % 12]] = 1.0
            labels.append(f"{NAMES[root]}:{suffix}")
            symbols.append(f"{NAMES[root]}{short}")
            rows.append(row / np.linalg.norm(row))
    return labels, symbols, np.array(rows)


def chords_from_chroma(chroma: np.ndarray, beat_times: np.ndarray, silence: float = 1e-3, stay: float = STAY) -> list[dict]:
    """Chords over beats: `chroma` is (12, beats) beat-synchronous, `beat_times` its beats' edges
    (beats + 1 values, seconds). Cosine similarity with the 24 major and minor triads, 'N' where the
    chroma is near silent, smoothed by Viterbi (`stay`: the chance a chord lasts into the next
    beat; lower for notation, whose chords may change every beat); consecutive beats of one chord
    are merged.
    Each chord: start, end (seconds), label (mir_eval syntax, 'C:maj') and chord ('C', 'Am', 'N')."""
    labels, symbols, templates = _templates()
    norms = np.linalg.norm(chroma, axis=0)
    unit = chroma / np.maximum(norms, 1e-12)
    similarity = templates @ unit  # (24, beats)
    quiet = norms < silence * max(float(norms.max()), 1e-12)
    emission = np.vstack([similarity, np.where(quiet, 1.0, 0.0)[None]])  # row 24: no chord
    emission = np.log(np.maximum(np.exp(8 * emission), 1e-12))
    states = emission.shape[0]
    move = np.log((1 - stay) / (states - 1))
    score = emission[:, 0].copy()
    back = np.zeros(emission.shape, dtype=int)
    for t in range(1, emission.shape[1]):
        staying = score + np.log(stay)
        best_other = score.max() + move
        back[:, t] = np.where(staying >= best_other, np.arange(states), score.argmax())
        score = np.maximum(staying, best_other) + emission[:, t]
    path = [int(score.argmax())]
    for t in range(emission.shape[1] - 1, 0, -1):
        path.append(int(back[path[-1], t]))
    path.reverse()
    out: list[dict] = []
    for i, state in enumerate(path):
        label, symbol = (labels[state], symbols[state]) if state < 24 else ("N", "N")
        if out and out[-1]["label"] == label:
            out[-1]["end"] = round(float(beat_times[i + 1]), 3)
        else:
            out.append({"start": round(float(beat_times[i]), 3), "end": round(float(beat_times[i + 1]), 3),
                        "label": label, "chord": symbol})
    return out
