"""Evaluate `maestro analyze`'s key and tempo with mir_eval on audio rendered from music21's Bach
chorales, whose key and tempo are known.

    .venv/bin/pip install -e '.[test]'       # mir_eval
    .venv/bin/python -m evaluation.analysis [--pieces 60]

Ground truth. Key: the chorale's key signature, major or minor as its final bass note is the
major or the minor tonic (chorales ending elsewhere, e.g. Phrygian ones, are left out); no
key-finding algorithm is involved. Tempo: each chorale is rendered at a tempo drawn uniformly from
70-140 quarter notes per minute (seeded), the quarter note being the beat; music21 writes the MIDI
(fermatas do not stretch time), FluidSynth renders it with FluidR3's acoustic grand piano.
Scores: mir_eval.key.weighted_score (1 same key, 0.5 fifth, 0.3 relative, 0.2 parallel) and
mir_eval.tempo.detection with a 4% tolerance and all weight on the quarter-note tempo (a half or
double tempo counts as wrong). Writes docs/analysis-evaluation.md and .json.
"""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pretty_midi

from evaluation import common
from maestro_ai.production.analysis.analyze import RATE, tempo_and_key
from training.corpus import collection_files

TEMPO_RANGE = (70.0, 140.0)
SEED = 2026


def chorale_cases(pieces: int, seed: int = SEED) -> list[dict]:
    """`pieces` chorales with a clear key, each with a tempo; reproducible for a seed."""
    from music21 import converter
    from music21 import key as m21key

    rng = np.random.default_rng(seed)
    files = list(collection_files("bach"))
    rng.shuffle(files)
    cases = []
    for path in files:
        if len(cases) == pieces:
            break
        score = converter.parse(str(path))
        signatures = list(score.recurse().getElementsByClass(m21key.KeySignature))
        bass = list(score.parts[-1].flatten().notes) if score.parts else []
        if not signatures or not bass:
            continue
        final = bass[-1].pitches[0].pitchClass
        major, minor = signatures[0].asKey("major"), signatures[0].asKey("minor")
        mode = "major" if final == major.tonic.pitchClass else "minor" if final == minor.tonic.pitchClass else None
        if mode is None:
            continue
        tonic = (major if mode == "major" else minor).tonic.name.replace("-", "b")
        cases.append({"file": path.name, "path": str(path), "key": f"{tonic} {mode}",
                      "tempo": round(float(rng.uniform(*TEMPO_RANGE)), 2)})
    return cases


def render(case: dict) -> np.ndarray:
    """The chorale as mono audio at RATE, at the case's tempo, on FluidR3's piano."""
    from music21 import converter

    with tempfile.TemporaryDirectory() as folder:
        midi_path = Path(folder) / "piece.mid"
        converter.parse(case["path"]).write("midi", fp=str(midi_path))
        midi = pretty_midi.PrettyMIDI(str(midi_path))
    written = midi.get_tempo_changes()[1][0]
    end = midi.get_end_time()
    midi.adjust_times([0.0, end], [0.0, end * written / case["tempo"]])
    for instrument in midi.instruments:
        instrument.program, instrument.is_drum = 0, False
    return common.render_midi(midi, RATE)


def evaluate(pieces: int, seed: int = SEED) -> dict:
    import mir_eval

    rows = []
    for case in chorale_cases(pieces, seed):
        clock = time.perf_counter()
        rhythm, _, (key, confidence, _) = tempo_and_key(render(case))
        tempo_score = mir_eval.tempo.detection(np.array([case["tempo"], 2 * case["tempo"]]), 1.0,
                                               np.array([rhythm.tempo, rhythm.tempo]), tol=0.04)[0]
        rows.append({**{k: case[k] for k in ("file", "key", "tempo")}, "estimated_key": key,
                     "key_confidence": confidence, "key_score": mir_eval.key.weighted_score(case["key"], key),
                     "estimated_tempo": round(rhythm.tempo, 2), "tempo_correct": bool(tempo_score == 1.0),
                     "tempo_ratio": round(rhythm.tempo / case["tempo"], 3), "seconds": round(time.perf_counter() - clock, 2)})
    return {"pieces": len(rows), "seed": seed, "key_weighted_score": round(float(np.mean([r["key_score"] for r in rows])), 3),
            "key_exact": round(float(np.mean([r["key_score"] == 1.0 for r in rows])), 3),
            "tempo_within_4_percent": round(float(np.mean([r["tempo_correct"] for r in rows])), 3),
            "tempo_half_or_double": round(float(np.mean([abs(r["tempo_ratio"] - 2) < 0.08 or abs(r["tempo_ratio"] - 0.5) < 0.02
                                                          for r in rows])), 3),
            "rows": rows}


def write_docs(result: dict, folder: Path = common.DOCS) -> None:
    (folder / "analysis-evaluation.json").write_text(json.dumps(result, indent=2))
    lines = ["# Analysis evaluation: key and tempo on rendered Bach chorales", "",
             "Made by `python -m evaluation.analysis` (see its docstring for the ground truth).", "",
             f"- pieces: {result['pieces']} (seed {result['seed']})",
             f"- key, mir_eval weighted score: **{result['key_weighted_score']}** (exact key on {result['key_exact']:.0%})",
             f"- tempo within 4% (mir_eval.tempo.detection, quarter-note tempo only): **{result['tempo_within_4_percent']:.0%}**"
             f" (half or double tempo on {result['tempo_half_or_double']:.0%})", "",
             "| chorale | key | estimated | score | tempo | estimated |", "|---|---|---|---|---|---|"]
    lines += [f"| {r['file']} | {r['key']} | {r['estimated_key']} | {r['key_score']} | {r['tempo']} | {r['estimated_tempo']} |"
              for r in result["rows"]]
    (folder / "analysis-evaluation.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    common.main("Evaluate key and tempo estimation on rendered chorales", ("pieces", 60), SEED, evaluate, write_docs)
