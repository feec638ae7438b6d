"""Time composing alone (controls, plan with its form, and every part) for every genre.

    .venv/bin/python benchmarks/compose.py              # 180 s songs, seeds 1-3, best of 3 each
    .venv/bin/python benchmarks/compose.py 600 --seeds 1,2

The target (issue 12) is under 0.5 s for a 180 s song. Each figure is the best of `--repeat`
runs in a warm process (the learned composer loaded once), so it is the cost of composing one
more song; the slowest genre and seed is printed last.
"""
from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time

from maestro_ai.pipeline.request import validate_request
from maestro_ai.pipeline.song import compose
from maestro_ai.prompt.presets import all_genres


def best_seconds(genre: str, seed: int, seconds: float, repeat: int, folder: str) -> float:
    """The fastest of `repeat` compositions of one request."""
    request = validate_request(genre, "chill", {}, duration_seconds=seconds, seed=seed, output_dir=folder)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        compose(request)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seconds", nargs="?", type=float, default=180.0)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    seeds = [int(s) for s in args.seeds.split(",")]
    folder = tempfile.mkdtemp()
    best_seconds("pop", 1, 10.0, 1, folder)  # load the composer and the presets once
    figures = []
    for genre in all_genres():
        row = [best_seconds(genre, seed, args.seconds, args.repeat, folder) for seed in seeds]
        figures += [(t, genre, seed) for t, seed in zip(row, seeds)]
        print(f"{genre:11s} {args.seconds:g} s song: compose " + "  ".join(f"{t:.3f}" for t in row) + " s")
    slowest, genre, seed = max(figures)
    median = sorted(t for t, _, _ in figures)[len(figures) // 2]
    print(f"median {median:.3f} s, slowest {slowest:.3f} s ({genre}, seed {seed}); target < 0.5 s")


if __name__ == "__main__":
    main()
