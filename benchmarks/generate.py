"""Time the pipeline: per-stage seconds and the real-time factor for 30 s, 180 s and 600 s songs.

    .venv/bin/python benchmarks/generate.py            # all three lengths
    .venv/bin/python benchmarks/generate.py 180        # just one
    .venv/bin/python benchmarks/generate.py --repeat 5 180
    .venv/bin/python benchmarks/generate.py --quality draft 180   # studio and draft by default

Every song is the README's request (lofi-chill, ambient-focus, 72 BPM, 'Cmaj7 G6', three phrases,
seed 7). The process is warmed up first (imports, model load, librosa-free), so the figures are the
cost of one more song in a running Maestro (an API server, a worker); `cold_start_seconds` is what
the first song in a fresh process pays on top. Composing alone (controls, plan, score) is timed
separately, best of five. This machine's speed wanders by a quarter from minute to minute (a
shared VM), so each length runs `--repeat` times (default 3) and the median run is printed.
"""
from __future__ import annotations

import os
import platform
import resource
import sys
import tempfile
import time

import maestro_ai
from maestro_ai.pipeline.request import validate_request
from maestro_ai.pipeline.song import compose
from maestro_ai.pipeline.stages import STAGES

REQUEST = {"melody_midi": "Cmaj7 G6", "key_phrases": ["rainy city lights", "quiet introspection", "velvet night"],
           "tempo_bpm": 72}


def _cpu_seconds() -> float:
    """CPU time of this process (all threads), which the machine's other tenants disturb less."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(lengths: list[float], repeat: int = 3, qualities: tuple[str, ...] = ("studio", "draft")) -> None:
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="maestro-bench-") as out:  # songs of 600 s take gigabytes: removed after
        _run(out, lengths, repeat, qualities)


def _run(out: str, lengths: list[float], repeat: int, qualities: tuple[str, ...]) -> None:
    gens = {q: maestro_ai.MusicGenerator("lofi-chill", "ambient-focus", seed=7, output_dir=out, force=True, quality=q)
            for q in qualities}
    start = time.perf_counter()
    gens[qualities[0]].generate_track(REQUEST, duration_seconds=5)
    print(f"cold_start_seconds (first 5 s song, imports and model load included): {time.perf_counter() - start:.2f}")
    for q in qualities[1:]:
        gens[q].generate_track(REQUEST, duration_seconds=5)
    names = [s.name for s in STAGES]
    print(f"{'quality':>7} {'length':>7} {'total':>7} {'x real time':>11} {'cpu':>7}  " + " ".join(f"{s:>8}" for s in names)
          + f" {'compose':>8}")
    for length, quality in [(length, q) for length in lengths for q in qualities]:
        gen = gens[quality]
        runs = []
        for _ in range(repeat):
            start, cpu = time.perf_counter(), _cpu_seconds()
            meta, _ = gen.generate_track(REQUEST, duration_seconds=length)
            meta["cpu_seconds"] = _cpu_seconds() - cpu
            runs.append((time.perf_counter() - start, meta))
        runs.sort(key=lambda run: run[0])
        total, meta = runs[len(runs) // 2]
        request = validate_request("lofi-chill", "ambient-focus", REQUEST, duration_seconds=length, seed=7, output_dir=out,
                                   quality=quality)
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            compose(request)
            best = min(best, time.perf_counter() - t)
        stages = meta["timings_seconds"]
        print(f"{quality:>7} {length:>6.0f}s {total:>6.2f}s {length / total:>10.1f}x {meta['cpu_seconds']:>6.2f}s  "
              + " ".join(f"{stages.get(s, 0.0):>7.2f}s" for s in names) + f" {best:>7.3f}s"
              + f"   runs: {', '.join(f'{t:.2f}s' for t, _ in runs)}")


if __name__ == "__main__":
    args = sys.argv[1:]
    repeat = 3
    if "--repeat" in args:
        i = args.index("--repeat")
        repeat = int(args[i + 1])
        del args[i:i + 2]
    qualities = ("studio", "draft")
    if "--quality" in args:
        i = args.index("--quality")
        qualities = (args[i + 1],)
        del args[i:i + 2]
    main([float(a) for a in args] or [30.0, 180.0, 600.0], repeat, qualities)
