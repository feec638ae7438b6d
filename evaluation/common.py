"""What the evaluation scripts share: where their reports go, rendering with FluidR3, and the
command line they all take.

>>> DOCS.name, DOCS.parent == ROOT
('docs', True)
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from maestro_ai.render.synth import fluid_soundfont

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"  # reports go here whatever the caller's directory


def render_midi(midi, rate: int) -> np.ndarray:
    """A pretty_midi.PrettyMIDI rendered by FluidSynth with FluidR3 GM, peak-normalized to 0.5."""
    soundfont = fluid_soundfont()
    if soundfont is None:
        raise RuntimeError("the evaluation renders with FluidSynth and FluidR3_GM.sf2 (make install as root)")
    audio = midi.fluidsynth(fs=rate, synthesizer=str(soundfont))
    return (audio / max(np.abs(audio).max(), 1e-9) * 0.5).astype(np.float32)


def main(description: str, count: tuple[str, int], seed: int, evaluate: Callable[[int, int], dict],
         write_docs: Callable[[dict, Path], None]) -> None:
    """`--COUNT n --seed s [--docs folder]`: evaluate, write the report, print its summary."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(f"--{count[0]}", type=int, default=count[1], dest="count")
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--docs", type=Path, default=DOCS, help="where the report goes (default: the project's docs/)")
    args = parser.parse_args()
    result = evaluate(args.count, args.seed)
    write_docs(result, args.docs)
    print(json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=2))
