"""Real recordings to hold Maestro's mixes against: their octave-band spectra, measured once.

    python -m evaluation.references [--cache DIR]   # writes evaluation/data/reference_spectra.json

The recordings are human-made, produced and mixed music that Debian packages under free licences
(game soundtracks and guitar-game songs): `apt-get download` fetches each package into the cache
folder (no root needed) and `dpkg-deb -x` unpacks it; nothing is installed. A recording joins a
genre only where its own tags, title or its composer's notes say so (the `evidence` below); the
'weak' ones rest on a title alone. Debian holds no example of lofi-chill, techno, hip-hop, trap,
pop, synthwave or rnb: those genres are held against every reference at once ('produced').
Frets on Fire songs ship as a backing track and a guitar track, summed here into the full mix.
"""
from __future__ import annotations

import argparse
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from evaluation.spectra import REFERENCES, octave_shares

MIN_SECONDS = 60.0


@dataclass(frozen=True)
class Reference:
    """Recordings of one package: the genres they stand for, files (globs) inside the package,
    the licence and author of the music, and why they count as that genre."""

    genres: tuple[str, ...]
    package: str
    files: tuple[str, ...]
    licence: str
    author: str
    evidence: str


FOF = "usr/share/games/fretsonfire/data/songs"
WESNOTH = "usr/share/games/wesnoth/1.16/data/core/music"
CLONK = "usr/share/games/openclonk/Music.ocg"
FOLK_TUNES = ("traveling_minstrels.ogg", "elvish-theme.ogg", "silvan_sanctuary.ogg")
REFERENCE_SET = (
    Reference(("rock",), "openclonk-data", (f"{CLONK}/Motorway.ogg", f"{CLONK}/TheSkylands.ogg"),
              "CC-BY-3.0", "K-Pone", "tagged Rock"),
    Reference(("rock",), "fretsonfire-songs-muldjord", (f"{FOF}/muldjord/*/",), "CC-BY-SA-3.0",
              "El Senator (Muldjord)", "tagged Death Metal; the composer plays in a metal band"),
    Reference(("rock",), "fretsonfire-songs-sectoid", (f"{FOF}/sectoid/*/",), "MIT-style",
              "Carlos Viola Iborra (Sectoid)", "guitar-game rock songs ('Metal madness')"),
    Reference(("rock",), "marsshooter-data", ("usr/share/games/marsshooter/audio/music/0[167]_-_*.ogg",
                                              "usr/share/games/marsshooter/audio/music/12_-_*.ogg"),
              "CC-BY-SA-3.0", "Obsidian Shell", "tagged Female Fronted Metal"),
    Reference(("cinematic",), "wesnoth-1.16-music", (f"{WESNOTH}/*.ogg",), "GPL-2+",
              "The Battle for Wesnoth composers", "tagged Romantic Classical, album The Battle for Wesnoth OST"),
    Reference(("cinematic",), "openclonk-data", (f"{CLONK}/UrbanBolero.ogg",), "CC-BY-3.0", "K-Pone",
              "tagged Orchestral"),
    Reference(("cinematic",), "supertux-data", ("usr/share/games/supertux2/music/antarctic/airship_remix.ogg",),
              "GPL-2+", "SuperTux composers", "title 'Airship Song (Orchestral Mix)'"),
    Reference(("ambient",), "freedroidrpg-data", ("usr/share/freedroidrpg/data/sound/music/TheBeginning.ogg",),
              "GPL-2+", "4T Thieves (kahvi.org)", "tagged ambient"),
    Reference(("ambient",), "openclonk-data", (f"{CLONK}/LucidDream.ogg",), "CC-BY-3.0", "K-Pone", "tagged Ambient"),
    Reference(("ambient",), "warmux-data", ("usr/share/games/warmux/music/ingame/construction.ogg",), "GPL-2+",
              "Warmux composers", "tagged Ambiance"),
    Reference(("house",), "openclonk-data", (f"{CLONK}/@CrushedIceCocktail.ogg",), "CC-BY-3.0", "K-Pone",
              "tagged House"),
    Reference(("jazz",), "colobot-common-sounds", ("usr/share/games/colobot/music/music013.ogg",), "GPL-3+",
              "Colobot composers", "weak: title 'Jazz Buzzing'"),
    Reference(("jazz",), "lincity-ng-data", ("usr/share/games/lincity-ng/music/default/02 - *City Blues.ogg",),
              "GPL-2+", "Robert van Herk", "weak: blues, by its title"),
    Reference(("jazz",), "starfighter-data", ("usr/share/starfighter/music/frozen_jam.ogg",), "GPL-2+",
              "Starfighter composers", "weak: tagged Blues"),
)


def unpacked(package: str, cache: Path) -> Path:
    """The package's files, downloaded and unpacked into the cache once."""
    folder = cache / "extracted" / package
    if not folder.is_dir():
        debs = cache / "debs"
        debs.mkdir(parents=True, exist_ok=True)
        if not list(debs.glob(f"{package}_*.deb")):
            subprocess.run(["apt-get", "download", package], cwd=debs, check=True, capture_output=True)
        deb = sorted(debs.glob(f"{package}_*.deb"))[-1]
        subprocess.run(["dpkg-deb", "-x", str(deb), str(folder)], check=True)
    return folder


def mono_of(paths: list[Path]) -> tuple[np.ndarray, int]:
    """The mono sum of one or more files played together (a song's backing and guitar tracks)."""
    mono, rate = None, 0
    for path in paths:
        audio, rate = soundfile.read(path, dtype="float32", always_2d=True)
        track = audio.mean(axis=1)
        if mono is None:
            mono = track
        else:
            n = min(len(mono), len(track))
            mono = mono[:n] + track[:n]
    return mono, rate


def recordings(ref: Reference, root: Path) -> list[tuple[str, list[Path]]]:
    """(name, files) of each recording a reference names; a folder glob is one song of stems."""
    found = []
    for pattern in ref.files:
        for match in sorted(root.glob(pattern)):
            if match.is_dir():
                found.append((str(match.relative_to(root)), sorted(match.glob("*.ogg"))))
            else:
                found.append((str(match.relative_to(root)), [match]))
    return found


def measure(cache: Path) -> dict:
    tracks = []
    for ref in REFERENCE_SET:
        root = unpacked(ref.package, cache)
        for name, files in recordings(ref, root):
            genres = ref.genres
            if ref.package == "wesnoth-1.16-music" and Path(name).name in FOLK_TUNES:
                genres = ("folk",)  # weak: the tunes' titles and comments
            mono, rate = mono_of(files)
            if len(mono) < MIN_SECONDS * rate:
                continue
            tracks.append({"package": ref.package, "file": name, "genres": list(genres), "licence": ref.licence,
                           "author": ref.author, "evidence": ref.evidence if genres == ref.genres
                           else "weak: a folk tune by its title and comment", "seconds": round(len(mono) / rate, 1),
                           "shares": octave_shares(mono, rate)})
            print(f"{ref.package}: {name} ({', '.join(genres)})", flush=True)
    return {"method": "evaluation.spectra.octave_shares on the mono sum", "tracks": tracks}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "maestro-references")
    args = parser.parse_args()
    result = measure(args.cache)
    REFERENCES.parent.mkdir(parents=True, exist_ok=True)
    REFERENCES.write_text(json.dumps(result, indent=1) + "\n")
    print(f"{len(result['tracks'])} recordings -> {REFERENCES}")


if __name__ == "__main__":
    main()
