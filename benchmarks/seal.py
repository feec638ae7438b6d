"""What sealing adds to the README song: the same 180 s request made sealed (watermark in the
mix and every stem, Content Credentials on mix.wav, mix.mp3 and every stem) and with
`seal=False`, alternately, in the same run.

    .venv/bin/python benchmarks/seal.py [--repeat 3]

The target (issue 14): sealing adds at most 1 s to the 180 s README song. Prints each run's wall
time and CPU time and the Seal and Write stages' times, then the medians and their difference. The signing
identity is made first, untimed (a user's first song makes it once).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import maestro_ai
from maestro_ai.provenance.seal import signing_identity

README = {"melody_midi": "Cmaj7 G6", "key_phrases": ["rainy city lights"], "tempo_bpm": 72}


def once(seal: bool) -> tuple[float, float, dict]:
    """Wall and CPU seconds (all threads) of one song, and its stage timings."""
    with tempfile.TemporaryDirectory() as tmp:
        gen = maestro_ai.MusicGenerator(genre="lofi-chill", mood="ambient-focus", seed=1, output_dir=tmp, seal=seal)
        began, cpu = time.perf_counter(), time.process_time()
        meta, _ = gen.generate_track(README, duration_seconds=180)
        return time.perf_counter() - began, time.process_time() - cpu, meta["timings_seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    signing_identity()
    once(False)  # warm up: models loaded, SoundFont hashed
    walls: dict[bool, list[float]] = {True: [], False: []}
    cpus: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.repeat):
        for seal in (False, True):
            wall, cpu, timings = once(seal)
            walls[seal].append(wall)
            cpus[seal].append(cpu)
            print(f"{'sealed  ' if seal else 'unsealed'} {wall:5.2f} s ({cpu:5.2f} CPU s)  seal stage {timings['seal']:.2f} s  "
                  f"write stage {timings['write']:.2f} s", flush=True)
    sealed, plain = statistics.median(walls[True]), statistics.median(walls[False])
    print(f"median: sealed {sealed:.2f} s, unsealed {plain:.2f} s: sealing adds {sealed - plain:.2f} s (target <= 1 s); "
          f"CPU {statistics.median(cpus[True]):.2f} s against {statistics.median(cpus[False]):.2f} s")


if __name__ == "__main__":
    main()
