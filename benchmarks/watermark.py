"""What the watermark costs: embedding and detecting it in 3 minutes of stereo music.

    .venv/bin/python benchmarks/watermark.py [--repeat 3] [--file song.wav]

The targets (issue 14): embed under 0.5 s and detect under 1.5 s for 3 minutes of stereo audio
at 44.1 kHz. Without --file the music is a 180 s song Maestro generates first (draft quality, not
timed). The median of the repeats is printed, with the mark's signal-to-noise ratio.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import numpy as np

import maestro_ai
from maestro_ai.io.audio import read_audio
from maestro_ai.provenance.watermark import detect, embed, mark_snr_db

PAYLOAD = 0x5EED_0000_0000_0001


def music(path: str | None) -> tuple[np.ndarray, int]:
    if path:
        return read_audio(path)
    with tempfile.TemporaryDirectory() as tmp:
        gen = maestro_ai.MusicGenerator("pop", "happy", seed=3, output_dir=tmp, formats=("wav",), quality="draft",
                                        seal=False)  # unmarked music: a sealed song carries its own id
        _, mix = gen.generate_track({"vocals": False}, duration_seconds=180)
        return read_audio(mix)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--file", default=None)
    args = parser.parse_args()
    audio, rate = music(args.file)
    embeds, detects = [], []
    for _ in range(args.repeat):
        began = time.perf_counter()
        marked = embed(audio, rate, PAYLOAD)
        embeds.append(time.perf_counter() - began)
        began = time.perf_counter()
        found = detect(marked, rate)
        detects.append(time.perf_counter() - began)
        assert found.payload == PAYLOAD, found
    snr = mark_snr_db(audio, marked)
    print(f"{audio.shape[1] / rate:.0f} s of {audio.shape[0]}-channel audio at {rate} Hz, {args.repeat} repeats")
    print(f"embed  median {statistics.median(embeds):.3f} s (target < 0.5 s)")
    print(f"detect median {statistics.median(detects):.3f} s (target < 1.5 s); found in "
          f"{found.windows[0]} of {found.windows[1]} windows, sync z {found.z} over {found.threshold}")
    print(f"mark {snr:.1f} dB under the music")


if __name__ == "__main__":
    main()
