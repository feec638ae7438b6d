"""Master the same 3-minute pair with Maestro and with Matchering; print time and memory ratios.

    .venv/bin/pip install matchering==2.0.6     # the peer (pip install '.[bench]')
    .venv/bin/python benchmarks/master.py [--repeat 3] [--minutes 3]

The pair is made by Maestro itself the first time (cached in ~/.cache/maestro/bench-master): the
target is the un-mastered sum of a generated lo-fi song's stems, the reference a mastered
generated house song. Both tools match the target to the reference and write a 24-bit WAV.
Each run is a fresh Python process, timed around the mastering call alone (imports excluded,
for both), with its peak memory: the process's own peak resident set plus the largest helper
process's (Maestro meters and encodes in forked helpers; their memory is counted in full, though
much of it is pages shared with the parent, so Maestro's figure is an upper bound). This machine's
speed wanders from minute to minute, so the tools alternate and the median of `--repeat` runs
of each is printed, with the ratios of the medians.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CACHE = Path.home() / ".cache" / "maestro" / "bench-master"

CHILD = r"""
import json, resource, sys, time
tool, target, reference, out = sys.argv[1:5]
if tool == "maestro":
    from maestro_ai.production.mastering.file import master_file
    from maestro_ai.production.mastering.settings import MasterSettings
    start = time.perf_counter()
    master_file(target, out, MasterSettings(reference=reference), force=True)
else:
    import matchering as mg
    mg.log(lambda *a: None)
    start = time.perf_counter()
    mg.process(target=target, reference=reference, results=[mg.pcm24(out)])
seconds = time.perf_counter() - start
# VmHWM starts afresh at exec (ru_maxrss would keep the launching process's size).
own = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": (own + helpers) / 1024}))
"""


def make_pair(minutes: float) -> tuple[Path, Path]:
    """The un-mastered target and the mastered reference, generated once and cached."""
    import numpy as np

    import maestro_ai
    from maestro_ai.io.audio import read_audio, write_audio

    CACHE.mkdir(parents=True, exist_ok=True)
    target, reference = CACHE / f"target-{minutes:g}min.wav", CACHE / f"reference-{minutes:g}min.wav"
    if not target.exists():
        with tempfile.TemporaryDirectory() as folder:
            gen = maestro_ai.MusicGenerator("lofi-chill", "ambient-focus", seed=7, output_dir=folder, formats=("wav",))
            meta, _ = gen.generate_track({"melody_midi": "Cmaj7 G6", "key_phrases": ["rainy city lights"], "tempo_bpm": 72},
                                         duration_seconds=minutes * 60)
            stems = [read_audio(Path(meta["path"]) / "stems" / f"{name}.wav")[0] for name in meta["stems"]]
            write_audio(target, np.sum(stems, axis=0), 44100)
    if not reference.exists():
        with tempfile.TemporaryDirectory() as folder:
            gen = maestro_ai.MusicGenerator("house", "euphoric", seed=3, output_dir=folder, formats=("wav",))
            _, mix = gen.generate_track({"tempo_bpm": 124}, duration_seconds=minutes * 60)
            write_audio(reference, read_audio(mix)[0], 44100)
    return target, reference


def run(tool: str, target: Path, reference: Path) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run([sys.executable, "-c", CHILD, tool, str(target), str(reference), f"{folder}/out.wav"],
                              capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--make-pair", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    if args.make_pair:
        make_pair(args.minutes)
        return
    # Generating the pair takes a few GB; a separate process keeps this one small for the runs.
    subprocess.run([sys.executable, __file__, "--make-pair", "--minutes", str(args.minutes)], check=True)
    target, reference = CACHE / f"target-{args.minutes:g}min.wav", CACHE / f"reference-{args.minutes:g}min.wav"
    runs: dict[str, list[dict]] = {"maestro": [], "matchering": []}
    for _ in range(args.repeat):
        for tool in runs:
            runs[tool].append(run(tool, target, reference))
    median = {tool: {key: statistics.median(r[key] for r in rs) for key in ("seconds", "peak_mb")} for tool, rs in runs.items()}
    for tool, rs in runs.items():
        print(f"{tool:>10}: {median[tool]['seconds']:6.2f} s  peak {median[tool]['peak_mb']:7.1f} MB   "
              f"(runs: {', '.join(format(r['seconds'], '.2f') for r in rs)} s)")
    m, p = median["maestro"], median["matchering"]
    print(f"{args.minutes:g}-minute pair: Maestro is {p['seconds'] / m['seconds']:.2f}x faster and uses "
          f"{m['peak_mb'] / p['peak_mb']:.2f} of Matchering's memory")


if __name__ == "__main__":
    main()
