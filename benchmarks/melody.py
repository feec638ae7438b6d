"""Time the learned composer: 16 bars of melody over a chord progression, on one core.

    .venv/bin/python benchmarks/melody.py            # 20 seeds; prints the median and the spread

The process is pinned to one CPU and BLAS to one thread before numpy loads; the model is loaded
(and warmed up with one melody) before timing, as in a running Maestro. Target (issue 3): 16 bars
in under 100 ms on one core.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

from maestro_ai.models.melody_writer import write_melody  # noqa: E402
from maestro_ai.models.runtime import Composer  # noqa: E402


def main(runs: int = 20) -> None:
    model = Composer.load()
    print(f"machine: {platform.machine()}, pinned to 1 core, Python {platform.python_version()}, model {model.version}")
    write_melody(key="D minor", chords="Dm Bb F C", bars=16, seed=0, model=model)
    times, tokens = [], []
    for seed in range(runs):
        start = time.perf_counter()
        result = write_melody(key="D minor", chords="Dm Bb F C", bars=16, seed=seed, model=model)
        times.append(time.perf_counter() - start)
        tokens.append(len(result.notes))
    times.sort()
    print(f"16 bars over 'Dm Bb F C' (4/4), {runs} seeds: median {statistics.median(times) * 1000:.1f} ms, "
          f"fastest {times[0] * 1000:.1f} ms, slowest {times[-1] * 1000:.1f} ms; "
          f"{statistics.mean(tokens):.0f} notes on average")
    start = time.perf_counter()
    free = write_melody(key="D minor", bars=16, seed=1, model=model)
    print(f"16 bars with the model choosing the chords: {(time.perf_counter() - start) * 1000:.1f} ms "
          f"({' '.join(c.symbol for c in free.chords[:8])} ...)")


if __name__ == "__main__":
    main()
