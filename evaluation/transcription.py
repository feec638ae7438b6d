"""Evaluate `maestro transcribe` (basic-pitch's ONNX model) with mir_eval on rendered monophonic
melodies whose notes are known.

    .venv/bin/python -m evaluation.transcription [--melodies 24]

The melodies are written by Maestro's learned composer (8 bars, keys and modes drawn with a fixed
seed, 4/4), rendered by FluidSynth with FluidR3 at a tempo drawn from 80-140 BPM, on four
instruments in turn: flute, acoustic piano, violin and a sung 'ooh' (voice), each note sounding for
85% of its written length (detached, as players and singers articulate; a legato synth would slur
repeated notes into one). Score:
mir_eval.transcription.precision_recall_f1_overlap with 50 ms onset tolerance, pitch within
50 cents, offsets ignored (note F1). Writes docs/transcription-evaluation.md and .json.
"""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pretty_midi

from evaluation import common
from maestro_ai.io.audio import write_audio
from maestro_ai.models.melody_writer import write_melody
from maestro_ai.production.transcription.basic_pitch import transcribe

INSTRUMENTS = {"flute": 73, "piano": 0, "violin": 40, "voice": 53}
KEYS = ("C", "D", "Eb", "E", "F", "G", "A", "Bb")
SEED = 2026
ARTICULATION = 0.85


def cases(count: int, seed: int = SEED) -> list[dict]:
    """`count` melodies by the learned composer with a key, tempo and instrument each, their notes in seconds."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        key = f"{KEYS[rng.integers(len(KEYS))]} {'major' if rng.random() < 0.6 else 'minor'}"
        tempo = round(float(rng.uniform(80, 140)), 1)
        melody = write_melody(key=key, bars=8, seed=int(rng.integers(1 << 30)), low="C4", high="C6")
        beat = 60.0 / tempo
        # Played or sung, each note is articulated: it sounds for ARTICULATION of its written length.
        notes = [(n.start * beat + 0.5, (n.start + ARTICULATION * n.duration) * beat + 0.5, n.pitch) for n in melody.notes]
        out.append({"key": key, "tempo": tempo, "instrument": list(INSTRUMENTS)[i % len(INSTRUMENTS)], "notes": notes})
    return out


def render(case: dict) -> np.ndarray:
    """The melody played on its instrument, mono at 44.1 kHz."""
    midi = pretty_midi.PrettyMIDI(initial_tempo=case["tempo"])
    instrument = pretty_midi.Instrument(program=INSTRUMENTS[case["instrument"]])
    for start, end, pitch in case["notes"]:
        instrument.notes.append(pretty_midi.Note(velocity=90, pitch=pitch, start=start, end=end))
    midi.instruments.append(instrument)
    return common.render_midi(midi, 44100)


def evaluate(count: int, seed: int = SEED) -> dict:
    import mir_eval

    rows = []
    for case in cases(count, seed):
        with tempfile.TemporaryDirectory() as folder:
            path = write_audio(Path(folder) / "melody.wav", render(case)[None], 44100)
            clock = time.perf_counter()
            _, notes = transcribe(path, case["tempo"], monophonic=True)
            seconds = time.perf_counter() - clock
        ref = np.array([[s, e] for s, e, _ in case["notes"]])
        ref_hz = pretty_midi.note_number_to_hz(np.array([p for _, _, p in case["notes"]]))
        est = np.array([[s, e] for s, e, _, _ in notes]).reshape(-1, 2)
        est_hz = pretty_midi.note_number_to_hz(np.array([p for _, _, p, _ in notes])) if notes else np.zeros(0)
        precision, recall, f1, _ = mir_eval.transcription.precision_recall_f1_overlap(
            ref, ref_hz, est, est_hz, onset_tolerance=0.05, offset_ratio=None)
        rows.append({"instrument": case["instrument"], "key": case["key"], "tempo": case["tempo"], "notes": len(ref),
                     "found": len(notes), "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
                     "seconds": round(seconds, 2)})
    per_instrument = {name: round(float(np.mean([r["f1"] for r in rows if r["instrument"] == name])), 3)
                      for name in INSTRUMENTS if any(r["instrument"] == name for r in rows)}
    return {"melodies": len(rows), "seed": seed, "note_f1": round(float(np.mean([r["f1"] for r in rows])), 3),
            "precision": round(float(np.mean([r["precision"] for r in rows])), 3),
            "recall": round(float(np.mean([r["recall"] for r in rows])), 3), "f1_by_instrument": per_instrument, "rows": rows}


def write_docs(result: dict, folder: Path = common.DOCS) -> None:
    (folder / "transcription-evaluation.json").write_text(json.dumps(result, indent=2))
    lines = ["# Transcription evaluation: note F1 on rendered monophonic melodies", "",
             "Made by `python -m evaluation.transcription` (its docstring says how).", "",
             f"- melodies: {result['melodies']} (seed {result['seed']})",
             f"- note F1 (50 ms onsets, 50 cents, offsets ignored): **{result['note_f1']}** "
             f"(precision {result['precision']}, recall {result['recall']})",
             "- by instrument: " + ", ".join(f"{k} {v}" for k, v in result["f1_by_instrument"].items()), "",
             "| instrument | key | tempo | notes | found | precision | recall | F1 |", "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['instrument']} | {r['key']} | {r['tempo']} | {r['notes']} | {r['found']} | {r['precision']} | "
              f"{r['recall']} | {r['f1']} |" for r in result["rows"]]
    (folder / "transcription-evaluation.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    common.main("Evaluate transcription on rendered melodies", ("melodies", 24), SEED, evaluate, write_docs)
