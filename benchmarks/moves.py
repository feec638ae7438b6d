"""What a dance song's production moves cost: the same 180 s house and techno songs (studio quality)
with their filter sweeps and risers, and with them switched off, in the same run.

    .venv/bin/python benchmarks/moves.py [--repeat 3] [--seconds 180]

Switching off replaces the perform stage's `automate` with one that leaves the performance as it
is (no CC74, no riser stem); everything else is the same request. The median of `--repeat` runs of
each is printed, with the ratio.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import maestro_ai
from maestro_ai.pipeline import stages

SONGS = (("house", "euphoric", 1), ("techno", "dark", 1))


def _time(genre: str, mood: str, seed: int, seconds: float) -> float:
    with tempfile.TemporaryDirectory() as folder:
        gen = maestro_ai.MusicGenerator(genre, mood, seed=seed, output_dir=folder, formats=("wav",))
        started = time.perf_counter()
        gen.generate({}, duration_seconds=seconds)
        return time.perf_counter() - started


def main(repeat: int, seconds: float) -> None:
    with_moves = stages.automate
    _time("house", "euphoric", 1, 10.0)  # warm up: imports, the composer, the SoundFont
    for genre, mood, seed in SONGS:
        timings = {}
        for label, automate in (("with moves", with_moves), ("without", lambda perf, *_: perf)):
            stages.automate = automate
            timings[label] = statistics.median(_time(genre, mood, seed, seconds) for _ in range(repeat))
        stages.automate = with_moves
        a, b = timings["with moves"], timings["without"]
        print(f"{genre} seed {seed}, {seconds:g} s: with moves {a:.2f} s ({seconds / a:.1f}x real time), "
              f"without {b:.2f} s ({seconds / b:.1f}x), ratio {a / b:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=180.0)
    args = parser.parse_args()
    main(args.repeat, args.seconds)
