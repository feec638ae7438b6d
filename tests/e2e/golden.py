"""Golden digests: the SHA-256 of song.mid, mix.wav and every stem for a fixed set of requests.

They were recorded before the package was restructured (issue 10) and prove that a change meant
to leave the music alone did: the same requests must give identical files (audio files by their
decoded samples: a sealed mix's Content Credentials differ on every signing). Regenerate them
only on purpose, after a change that is meant to alter the music, and say so in the commit:

    .venv/bin/python tests/e2e/golden.py --write     # records this machine's digests in tests/e2e/golden_digests.json
    .venv/bin/python tests/e2e/golden.py             # prints what differs, writes nothing

Digests are kept per machine: per synthesizer and SoundFont, and per the widest vector
instructions numpy dispatches to (`cpu_level`). numpy's sums and means take a different order of
additions with AVX-512 than with AVX2, so a stem's gain, and with it its samples, can differ in
the last bit from one CPU to another. A machine with no digests of its own skips the test.

The requests use only the public API (`MusicGenerator.generate_track` and `generate_variation`),
at draft quality: the General MIDI path as it was before studio quality (issue 11) was added beside it.
"""
from __future__ import annotations

import json
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2]))
from tests.e2e.digests import content_digest  # noqa: E402

DIGESTS = Path(__file__).with_name("golden_digests.json")
SECONDS = 30.0

# Three genres x two seeds, a melody seed, and a chain of edits (each edit builds on the last).
SONGS = [
    {"name": f"{genre}-seed{seed}", "genre": genre, "mood": mood, "seed": seed,
     "input": {"key_phrases": phrases}}
    for genre, mood, phrases in (("lofi-chill", "ambient-focus", ["rainy city lights"]),
                                 ("house", "euphoric", ["sunrise on the dance floor"]),
                                 ("jazz", "romantic", ["smoky late night club"]))
    for seed in (1, 2)
] + [
    {"name": "melody-seed", "genre": "folk", "mood": "nostalgic", "seed": 5,
     "input": {"melody_midi": "E4 G4:0.5 A4:0.5 B4 D5 B4:2 A4 G4:0.5 E4:0.5 D4:2", "tempo_bpm": 96,
               "key_phrases": ["old river road"]}},
]
CHAIN = {"name": "chain", "genre": "pop", "mood": "happy", "seed": 11,
         "input": {"key_phrases": ["summer road trip"], "tempo_bpm": 110},
         "edits": [("reharmonize", {}), ("key", {"key": "D major"}), ("new-melody", {}), ("tempo", {"tempo_bpm": 100}),
                   ("new-drums", {}), ("extend", {"duration_seconds": 40.0})]}


def cpu_level() -> str:
    """The x86-64 level numpy's kernels run at here (x86-64-v4: AVX-512), or the architecture."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
    except ImportError:  # another numpy layout: the architecture alone
        features = {}
    for level in ("X86_V4", "X86_V3", "X86_V2"):
        if features.get(level):
            return f"x86-64-v{level[-1]}"
    return platform.machine()


def folder_digests(folder: Path, meta: dict) -> dict[str, str]:
    """song.mid, mix.wav and each stem of a track folder, by their paths inside it (audio by its samples)."""
    files = ["song.mid", "mix.wav", *sorted(meta["stems"].values())]
    return {name: content_digest(folder / name) for name in files}


def compute() -> dict:
    """Generate every golden request into a temporary folder; their digests and the synthesizer."""
    import maestro_ai

    result: dict = {"songs": {}, "cpu": cpu_level()}
    with tempfile.TemporaryDirectory() as tmp:
        for song in [*SONGS, CHAIN]:
            gen = maestro_ai.MusicGenerator(genre=song["genre"], mood=song["mood"], seed=song["seed"],
                                            output_dir=Path(tmp) / song["name"], formats=("wav",),
                                            quality="draft")
            meta, path = gen.generate_track(song["input"], duration_seconds=SECONDS)
            result["songs"][song["name"]] = folder_digests(path.parent, meta)
            result["synth"] = {k: meta["models"][k] for k in ("synth", "soundfont", "soundfont_sha256")}
            for step, (kind, options) in enumerate(song.get("edits", []), 1):
                meta, path = gen.generate_variation(meta, kind, **options)
                result["songs"][f"{song['name']}-{step}-{kind}"] = folder_digests(path.parent, meta)
    return result


def recorded_for(recorded: dict, actual: dict) -> dict | None:
    """The digests recorded on a machine like the one `actual` was computed on, if any."""
    return next((m for m in recorded["machines"] if m["synth"] == actual["synth"] and m["cpu"] == actual["cpu"]), None)


def differences(expected: dict, actual: dict) -> list[str]:
    """Every file whose digest differs, as 'song: file'."""
    out = []
    for song, files in expected["songs"].items():
        got = actual["songs"].get(song, {})
        out += [f"{song}: {name}" for name, digest in files.items() if got.get(name) != digest]
        out += [f"{song}: {name} (new file)" for name in got if name not in files]
    return out


if __name__ == "__main__":
    actual = compute()
    recorded = json.loads(DIGESTS.read_text())
    if "--write" in sys.argv:
        recorded["machines"] = [m for m in recorded["machines"] if m is not recorded_for(recorded, actual)] + [actual]
        DIGESTS.write_text(json.dumps(recorded, indent=1) + "\n")
        print(f"wrote {DIGESTS} ({sum(len(f) for f in actual['songs'].values())} digests for {actual['cpu']})")
    elif (expected := recorded_for(recorded, actual)) is None:
        print(f"no digests recorded for {actual['cpu']} with {actual['synth']}")
    else:
        print("\n".join(differences(expected, actual)) or "all digests match")
