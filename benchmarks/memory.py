"""Peak memory of a song, by stage: the README's request at a length (default 1,200 s, the longest
a song may be), in a fresh process.

    .venv/bin/python benchmarks/memory.py            # 1200 s
    .venv/bin/python benchmarks/memory.py 180 600    # other lengths

Each length runs in a process of its own; a thread reads the resident set every 10 ms and keeps
the largest value seen in each stage; the process's high-water mark (VmHWM) is the figure to quote.
"""
from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, sys, tempfile, threading, time
import maestro_ai
current, peaks = ["imports"], {}
def status_mb(field):
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(field + ":")) / 1024
def sample():
    while True:
        peaks[current[0]] = max(peaks.get(current[0], 0.0), status_mb("VmRSS"))
        time.sleep(0.01)
threading.Thread(target=sample, daemon=True).start()
gen = maestro_ai.MusicGenerator("lofi-chill", "ambient-focus", seed=7, output_dir=tempfile.mkdtemp())
started = time.perf_counter()
gen.generate_track({"melody_midi": "Cmaj7 G6", "key_phrases": ["rainy city lights"], "tempo_bpm": 72},
                   duration_seconds=float(sys.argv[1]), progress=lambda stage: current.__setitem__(0, stage))
seconds = time.perf_counter() - started
time.sleep(0.05)
print(json.dumps({"seconds": seconds, "peak_mb": status_mb("VmHWM"), "stages_mb": peaks}))
"""


def main(lengths: list[float]) -> None:
    for length in lengths:
        done = subprocess.run([sys.executable, "-c", CHILD, str(length)], capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        stages = ", ".join(f"{k} {v:.0f}" for k, v in r["stages_mb"].items() if k not in ("imports", "done"))
        print(f"{length:>6.0f} s song: peak {r['peak_mb']:.0f} MB in {r['seconds']:.1f} s  (by stage, MB: {stages})")


if __name__ == "__main__":
    main([float(a) for a in sys.argv[1:]] or [1200.0])
