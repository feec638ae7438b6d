"""How well words sit on Maestro's toplines (the vocal issue's "words fit" targets).

    python -m evaluation.vocals [--seconds 120] [--seeds 1,2,3] [--genres pop,rnb,...]
    # writes docs/vocals-evaluation.md (+ .json)

Every song of a vocal genre is generated through the public API (`maestro_ai.MusicGenerator`,
draft quality: the words do not depend on the instruments; guide lyrics, as a user who gives no
words gets) and read back only with independent tools: mido for song.mid's lyric events and the
melody's note-ons, plain json for track.json, and CMUdict (the `pronouncing` package) for where
each word's stress falls, so the judge does not share espeak-ng's syllables with the composer.

1. placed: the share of lyric events that sit on a note-on of the melody track (same tick).
2. spelled: the share of track.json's sung lines whose letters the lyric events, joined in order
   (a trailing "-" joins a syllable to the next), spell out.
3. stress on the beat: of the words of two or more syllables that CMUdict knows and that were sung
   as that many lyric events, the share whose primary-stressed syllable starts within
   BEAT_TOLERANCE ticks of a beat (a humanized note still counts).
4. notes per syllable (melisma): the melody's notes in sung lines over the lyric events there.
5. compose seconds (plan + compose, with the words set) from track.json's timings.

No vocal stem exists yet, so the issue's pitch and timing targets are not measured here.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import mido
import pronouncing

from evaluation.common import DOCS
from evaluation.sound import MOODS

VOCAL_GENRES = ("pop", "rnb", "hip-hop", "trap", "rock", "folk")
BEAT_TOLERANCE = 40  # ticks (of 480 a beat): the humanized timing of a note on the beat
TARGETS = {"placed": 1.0, "stress_on_beat": 0.8}


def melody_events(path: Path) -> tuple[int, list[int], list[tuple[int, str]]]:
    """(ticks per beat, the melody's note-on ticks, its lyric events (tick, text))."""
    midi = mido.MidiFile(path)
    track = next(t for t in midi.tracks if any(m.type == "track_name" and m.name == "melody" for m in t))
    now, onsets, lyrics = 0, [], []
    for m in track:
        now += m.time
        if m.type == "note_on" and m.velocity:
            onsets.append(now)
        elif m.type == "lyrics":
            lyrics.append((now, m.text))
    return midi.ticks_per_beat, onsets, lyrics


def sung_words(lyrics: Sequence[tuple[int, str]]) -> list[tuple[str, list[int]]]:
    """The lyric events joined into words: (word, the tick of each of its syllables).

    >>> sung_words([(0, "to-"), (240, "night"), (480, "we")])
    [('tonight', [0, 240]), ('we', [480])]
    """
    words, text, ticks = [], "", []
    for tick, syllable in lyrics:
        text += syllable.rstrip("-")
        ticks.append(tick)
        if not syllable.endswith("-"):
            words.append((text.lower(), ticks))
            text, ticks = "", []
    if text:
        words.append((text.lower(), ticks))
    return words


def stress_on_beat(words: Sequence[tuple[str, list[int]]], ppq: int, tolerance: int = BEAT_TOLERANCE) -> tuple[int, int]:
    """(words whose CMUdict stress starts on a beat, words judged).

    >>> stress_on_beat([("tonight", [240, 480]), ("city", [960, 1200]), ("we", [0])], 480)
    (2, 2)
    """
    on = judged = 0
    for word, ticks in words:
        phones = pronouncing.phones_for_word(word)
        if len(ticks) < 2 or not phones or pronouncing.syllable_count(phones[0]) != len(ticks):
            continue
        stresses = pronouncing.stresses(phones[0])
        if "1" not in stresses:
            continue
        tick = ticks[stresses.index("1")]
        judged += 1
        on += min(tick % ppq, ppq - tick % ppq) <= tolerance
    return on, judged


def letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


def song_facts(folder: Path) -> dict:
    meta = json.loads((folder / "track.json").read_text())
    ppq, onsets, lyrics = melody_events(folder / "song.mid")
    on_notes = set(onsets)
    joined = letters("".join(t.rstrip("-") for _, t in lyrics))
    lines = meta["lyrics"].get("lines", [])
    cursor, spelled = 0, 0
    for line in lines:  # each line's letters found in order in the joined events
        want = letters(line["text"])
        found = joined.find(want, cursor)
        if found >= 0:
            spelled += 1
            cursor = found + len(want)
    on, judged = stress_on_beat(sung_words(lyrics), ppq)
    num, den = (int(x) for x in meta["time_signature"].split("/"))
    seconds_per_tick = meta["bar_seconds"] / (ppq * num * 4 / den)
    in_lines = [t for t in onsets if any(line["start_seconds"] - 1e-3 <= t * seconds_per_tick <= line["end_seconds"]
                                         for line in lines)]
    timings = meta.get("timings_seconds", {})
    return {"genre": meta["genre"], "seed": meta["seed"], "guide": meta["lyrics"].get("guide"),
            "lines": len(lines), "syllables": len(lyrics),
            "placed": round(sum(t in on_notes for t, _ in lyrics) / len(lyrics), 4) if lyrics else None,
            "spelled": round(spelled / len(lines), 4) if lines else None,
            "stress_on_beat": round(on / judged, 4) if judged else None, "stress_judged": judged,
            "notes_per_syllable": round(len(in_lines) / len(lyrics), 3) if lyrics else None,
            "compose_s": round(timings.get("plan", 0.0) + timings.get("compose", 0.0), 4)}


def generate(genre: str, seed: int, seconds: float, folder: Path) -> dict:
    import maestro_ai

    started = time.perf_counter()
    gen = maestro_ai.MusicGenerator(genre=genre, mood=MOODS.get(genre, "happy"), seed=seed, output_dir=folder,
                                    formats=("wav",), quality="draft")
    track = gen.generate({}, duration_seconds=seconds)
    facts = song_facts(track.folder)
    shutil.rmtree(track.folder)
    print(f"{genre} seed {seed}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return facts


def report(rows: Sequence[dict], seconds: float, seeds: Sequence[int], genres: Sequence[str]) -> str:
    command = (f"python -m evaluation.vocals --seconds {seconds:g} --seeds {','.join(map(str, seeds))} "
               f"--genres {','.join(genres)}")
    placed = [r["placed"] for r in rows if r["placed"] is not None]
    stress = [r["stress_on_beat"] for r in rows if r["stress_on_beat"] is not None]
    lines = ["# Vocals evaluation", "",
             f"Songs of the vocal genres, seeds {','.join(map(str, seeds))}, {seconds:g} s, with guide lyrics, through the",
             "public API; judged by mido (song.mid), json (track.json) and CMUdict (`pronouncing`), never by the",
             "composer's own syllables. The docstring of `evaluation/vocals.py` defines every figure. Regenerate with",
             "", f"    {command}", "", "## Targets", "",
             "| target | songs | measured | pass |", "|---|---|---|---|",
             f"| every lyric syllable on a melody note (100 %) | {len(placed)} | min {min(placed):.3f} | "
             f"{'PASS' if placed and min(placed) >= TARGETS['placed'] else 'FAIL'} |",
             f"| stressed syllables on the beat >= 80 % (each song) | {len(stress)} | min {min(stress):.3f}, median "
             f"{statistics.median(stress):.3f} | {'PASS' if stress and min(stress) >= TARGETS['stress_on_beat'] else 'FAIL'} |",
             "| pitch within 50 cents, syllable onsets within 30 ms (the vocal stem) | - | not measured: no vocal stem yet | - |",
             "", "## Songs", "",
             "| genre | seed | guide | lines | syllables | placed | lines spelled | stress on beat (words) | notes per syllable "
             "| plan+compose s |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['genre']} | {r['seed']} | {r['guide']} | {r['lines']} | {r['syllables']} | {r['placed']} | {r['spelled']} "
              f"| {r['stress_on_beat']} ({r['stress_judged']}) | {r['notes_per_syllable']} | {r['compose_s']} |" for r in rows]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--genres", default=",".join(VOCAL_GENRES))
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    genres = args.genres.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        rows = [generate(g, s, args.seconds, Path(tmp)) for g in genres for s in seeds]
    (DOCS / "vocals-evaluation.json").write_text(json.dumps(rows, indent=1) + "\n")
    text = report(rows, args.seconds, seeds, genres)
    (DOCS / "vocals-evaluation.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
