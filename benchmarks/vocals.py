"""What the voice costs: 180 s songs of the vocal genres (studio quality, wav and mp3 as the README's
request writes) with their voice and with `vocals: False`, in the same run.

    .venv/bin/python benchmarks/vocals.py [--repeat 3] [--seconds 180] [--genres pop,hip-hop,rnb] [--no-seal]

The target (issue 13): vocals add at most 50 % to a 180 s song's generation time. Without a
voice the song is the same request, its lead played by its instrument. Interleaved runs (with,
without, with, ...) so a machine that slows down hurts both; the median of each and the ratio
are printed, and the seconds the voice's parts took to render (track.json's render timing does
not split them: they are timed here with `render.singer.sing_part` wrapped). Songs are sealed
as by default (every stem, the voice's included, marked and signed); `--no-seal` times them
without the seal, as before it existed.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import maestro_ai
from maestro_ai.render import mix

MOODS = {"pop": "happy", "hip-hop": "dark", "rnb": "romantic", "trap": "dark", "rock": "energetic", "folk": "nostalgic"}
SINGING: list[float] = []


def _timed_singing(real):
    def sing_part(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            SINGING.append(time.perf_counter() - started)
    return sing_part


def _time(genre: str, seconds: float, vocals: bool, seal: bool = True) -> tuple[float, float]:
    SINGING.clear()
    with tempfile.TemporaryDirectory() as folder:
        gen = maestro_ai.MusicGenerator(genre, MOODS.get(genre, "happy"), seed=1, output_dir=folder,
                                        formats=("wav", "mp3"), seal=seal)
        started = time.perf_counter()
        gen.generate({"key_phrases": ["rainy city lights"], "vocals": vocals}, duration_seconds=seconds)
        return time.perf_counter() - started, sum(SINGING)


def main(repeat: int, seconds: float, genres: list[str], seal: bool = True) -> None:
    mix.sing_part = _timed_singing(mix.sing_part)
    _time("pop", 10.0, True)  # warm up: imports, the composer, the SoundFonts, espeak-ng
    for genre in genres:
        runs: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        for _ in range(repeat):
            for vocals in (True, False):
                runs[vocals].append(_time(genre, seconds, vocals, seal))
        sung = statistics.median(t for t, _ in runs[True])
        plain = statistics.median(t for t, _ in runs[False])
        singing = statistics.median(s for _, s in runs[True])
        label = f"{genre}, {seconds:g} s" + ("" if seal else ", unsealed")
        print(f"{label}: with the voice {sung:.2f} s, without {plain:.2f} s, ratio {sung / plain:.2f} "
              f"(+{100 * (sung / plain - 1):.0f} %); singing itself {singing:.2f} s (sing_part, summed over the voice's parts) "
              f"(runs with: {', '.join(f'{t:.2f}' for t, _ in runs[True])}; without: "
              f"{', '.join(f'{t:.2f}' for t, _ in runs[False])})", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--genres", default="pop,hip-hop,rnb")
    parser.add_argument("--no-seal", dest="seal", action="store_false", help="time the songs unsealed")
    args = parser.parse_args()
    main(args.repeat, args.seconds, args.genres.split(","), args.seal)
