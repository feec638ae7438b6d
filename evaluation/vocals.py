"""How well words sit on Maestro's toplines (the vocal issue's "words fit" targets).

    python -m evaluation.vocals [--seconds 120] [--seeds 1,2,3] [--genres pop,rnb,...]
    # writes docs/vocals-evaluation.md (+ .json)

Every song of a vocal genre is generated through the public API (`maestro_ai.MusicGenerator`,
draft quality: the words do not depend on the instruments; guide lyrics, as a user who gives no
words gets) and read back only with independent tools: mido for song.mid's lyric events and the
melody's note-ons, plain json for track.json, and CMUdict (the `pronouncing` package) for where
each word's stress falls, so the judge does not share espeak-ng's syllables with the composer.

1. placed: the share of lyric events that sit on a note-on of their track (same tick): the
   voice's tracks (vocals, rap), or the melody's in a song without a voice.
2. spelled: the share of track.json's sung lines whose letters the lyric events, joined in order
   (a trailing "-" joins a syllable to the next), spell out.
3. stress on the beat: of the words of two or more syllables that CMUdict knows and that were sung
   as that many lyric events, the share whose primary-stressed syllable starts within
   BEAT_TOLERANCE ticks of a beat (a humanized note still counts).
4. notes per syllable (melisma): the melody's notes in sung lines over the lyric events there.
5. compose seconds (plan + compose, with the words set) from track.json's timings.

The voice itself is judged on the stems the song wrote (soundfile), against song.mid's notes:

6. pitch: librosa's pYIN on stems/vocals.wav (22.05 kHz, 1024-sample window, 256 hop); of the
   frames pYIN finds voiced while a written note of the vocals track sounds, the share within 50
   cents of that note. "in notes" counts only frames whose window lies inside one note (at least
   PITCH_EDGE_S from either end): a window over two notes cannot be given to either, and the
   glide between them is meant. "all" counts every voiced frame in a note. Rap is spoken (its
   pitch is speech's, by design) and is not judged for pitch.
7. timing: librosa's onset detector on the vocal stems (sung and rapped) low-passed at
   ONSET_BAND_HZ, where a syllable's vowel starts (singers sing consonants ahead of the beat, and a
   detector on the full band fires on an "s" or "h" there); for each lyric event, the nearest
   detected onset; the share within 30 ms. "full band" is the same on the unfiltered stem.
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

import librosa
import mido
import numpy as np
import pronouncing
import soundfile
from scipy.signal import butter, sosfiltfilt

from evaluation import voice_proxy
from evaluation.common import DOCS
from evaluation.sound import MOODS

VOCAL_GENRES = ("pop", "rnb", "hip-hop", "trap", "rock", "folk")
BEAT_TOLERANCE = 40  # ticks (of 480 a beat): the humanized timing of a note on the beat
FIGURE_SONG = ("pop", 1)  # whose vocal stem is drawn beside the real singer
FIGURE = DOCS / "figures" / "vocals-spectrogram.png"
EXCERPTS: dict = {}  # the figure song's loudest 6 s of vocals, kept while its folder is removed
TARGETS = {"placed": 1.0, "stress_on_beat": 0.8, "pitch": 0.95, "timing": 0.9}
PITCH_RATE, PITCH_WINDOW, PITCH_HOP = 22050, 1024, 256
PITCH_EDGE_S = PITCH_WINDOW / PITCH_RATE / 2
ONSET_BAND_HZ = 1500.0
ONSET_TOLERANCE_S = 0.03


def sung_tracks(midi: mido.MidiFile) -> list[mido.MidiTrack]:
    """The tracks that carry the words: the voice's ("vocals", and "rap" where verses are rapped),
    or the lead's in a song without a voice."""
    named = {m.name: t for t in midi.tracks for m in t if m.type == "track_name"}
    voiced = [named[name] for name in ("vocals", "rap") if name in named]
    return voiced or [named["melody"]]


def melody_events(path: Path) -> tuple[int, list[int], list[tuple[int, str]]]:
    """(ticks per beat, the sung line's note-on ticks, its lyric events (tick, text)), the voice's
    tracks merged."""
    midi = mido.MidiFile(path)
    onsets, lyrics = [], []
    for track in sung_tracks(midi):
        now = 0
        for m in track:
            now += m.time
            if m.type == "note_on" and m.velocity:
                onsets.append(now)
            elif m.type == "lyrics":
                lyrics.append((now, m.text))
    return midi.ticks_per_beat, sorted(onsets), sorted(lyrics, key=lambda event: event[0])


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


def track_notes(midi: mido.MidiFile, name: str) -> tuple[list[tuple[float, float, int]], list[float]]:
    """A track's notes (start s, end s, MIDI pitch) and the seconds of its lyric events, read
    with mido (its tempo map applied)."""
    track = next((t for t in midi.tracks if any(m.type == "track_name" and m.name == name for m in t)), None)
    if track is None:
        return [], []
    tempo_map = mido.merge_tracks([midi.tracks[0], track])
    now, held, notes, words = 0.0, {}, [], []
    tempo = 500000
    for m in tempo_map:
        now += mido.tick2second(m.time, midi.ticks_per_beat, tempo)
        if m.type == "set_tempo":
            tempo = m.tempo
        elif m.type == "note_on" and m.velocity:
            held[m.note] = now
        elif m.type in ("note_on", "note_off") and m.note in held:
            notes.append((held.pop(m.note), now, m.note))
        elif m.type == "lyrics":
            words.append(now)
    return sorted(notes), words


def pitch_accuracy(audio: np.ndarray, rate: int, notes: Sequence[tuple[float, float, int]]) -> dict:
    """(pYIN) the share of voiced frames within 50 cents of the written note: in notes, and all."""
    y = librosa.resample(audio, orig_sr=rate, target_sr=PITCH_RATE)
    f0, _, _ = librosa.pyin(y, fmin=65, fmax=1100, sr=PITCH_RATE, frame_length=PITCH_WINDOW, hop_length=PITCH_HOP)
    times = librosa.times_like(f0, sr=PITCH_RATE, hop_length=PITCH_HOP)
    starts = np.array([a for a, _, _ in notes])
    inner, every = [], []
    for t, hz in zip(times, f0):
        i = int(np.searchsorted(starts, t, side="right")) - 1
        if np.isnan(hz) or i < 0 or t >= notes[i][1]:
            continue
        cents = abs(1200 * np.log2(hz / (440 * 2 ** ((notes[i][2] - 69) / 12))))
        every.append(cents)
        if notes[i][0] + PITCH_EDGE_S <= t <= notes[i][1] - PITCH_EDGE_S:
            inner.append(cents)
    share = lambda c: round(float(np.mean(np.array(c) < 50)), 4) if c else None  # noqa: E731
    return {"pitch": share(inner), "pitch_all": share(every), "pitch_frames": len(inner),
            "median_cents": round(float(np.median(inner)), 1) if inner else None}


def onset_timing(audio: np.ndarray, rate: int, syllables: Sequence[float]) -> dict:
    """The share of syllables with a detected onset within 30 ms: in the voiced band, and full band."""
    if not syllables:
        return {"timing": None, "timing_full_band": None}
    voiced = sosfiltfilt(butter(4, ONSET_BAND_HZ, fs=rate, output="sos"), audio)
    out = {}
    for name, signal in (("timing", voiced), ("timing_full_band", audio)):
        onsets = librosa.onset.onset_detect(y=np.ascontiguousarray(signal, dtype=np.float32), sr=rate, hop_length=256,
                                            units="time")
        near = [float(np.min(np.abs(onsets - s))) if len(onsets) else 1.0 for s in syllables]
        out[name] = round(float(np.mean(np.array(near) <= ONSET_TOLERANCE_S)), 4)
    return out


def voice_facts(folder: Path) -> dict:
    """The stems' pitch and timing against song.mid (the sung part for pitch; sung and rapped
    for timing), and the backing stem's level."""
    midi = mido.MidiFile(folder / "song.mid")
    facts: dict = {"pitch": None, "pitch_all": None, "pitch_frames": 0, "median_cents": None}
    onsets_ok, judged = {"timing": 0.0, "timing_full_band": 0.0}, 0
    for name in ("vocals", "rap"):
        stem = folder / "stems" / f"{name}.wav"
        if not stem.exists():
            continue
        audio, rate = soundfile.read(stem)
        mono = audio.mean(axis=1)
        notes, words = track_notes(midi, name)
        if name == "vocals":
            facts.update(pitch_accuracy(mono, rate, notes))
        timing = onset_timing(mono, rate, words)
        for key in onsets_ok:
            onsets_ok[key] += (timing[key] or 0.0) * len(words)
        judged += len(words)
    facts.update({k: round(v / judged, 4) if judged else None for k, v in onsets_ok.items()})
    facts["syllables_timed"] = judged
    return facts


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
    facts = {**song_facts(track.folder), **voice_facts(track.folder),
             "voice": track.credits.get("voice", {}).get("voice_type"), "parts": sorted(track.stems)}
    if (genre, seed) == FIGURE_SONG and "vocals" in track.stems:
        audio, rate = soundfile.read(track.folder / "stems" / "vocals.wav")
        EXCERPTS["ours"] = (voice_proxy.loudest_window(audio.mean(axis=1), rate), rate, facts["voice"])
    shutil.rmtree(track.folder)
    print(f"{genre} seed {seed}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return facts


def proxy_section() -> list[str]:
    """The listening-by-proxy comparison (evaluation.voice_proxy), and the figure it draws."""
    reference = voice_proxy.reference_audio()
    if "ours" not in EXCERPTS or reference is None:
        return ["## Listening by proxy", "", "Not measured in this run: it needs the pop seed-1 song and the real singer "
                f"({voice_proxy.REFERENCE}, `apt-get install csoundqt-examples`).", ""]
    ours, rate, voice = EXCERPTS["ours"]
    label = f"Maestro: pop seed 1, stems/vocals.wav ({voice}), its loudest 6 s"
    try:
        voice_proxy.figure(ours, rate, *reference, FIGURE, label)
        drawn = [f"![our vocal stem above, a real singer below](figures/{FIGURE.name})", ""]
    except ImportError:
        drawn = ["(The figure needs matplotlib: pip install -e '.[evaluate]'.)", ""]
    a, b = voice_proxy.voice_traits(ours, rate), voice_proxy.voice_traits(*reference)
    rows = [("vibrato rate, Hz (held notes)", "vibrato_hz"), ("vibrato extent, cents (half the swing)", "vibrato_cents"),
            ("held notes measured", "held_notes"), ("voiced share of the sounding frames", "voiced_share"),
            ("spectral centroid, Hz (voiced frames)", "centroid_hz"), ("energy above 5 kHz", "air_share")]
    return ["## Listening by proxy", "",
            "Our vocal stem beside a real singer (a female voice, csoundqt-examples' `AndItsAll.wav`), measured the",
            "same way (`evaluation/voice_proxy.py`):", "", *drawn,
            "| trait | Maestro (pop seed 1) | real singer |", "|---|---|---|",
            *[f"| {name} | {a[key]} | {b[key]} |" for name, key in rows], ""]


def report(rows: Sequence[dict], seconds: float, seeds: Sequence[int], genres: Sequence[str]) -> str:
    command = (f"python -m evaluation.vocals --seconds {seconds:g} --seeds {','.join(map(str, seeds))} "
               f"--genres {','.join(genres)}")
    placed = [r["placed"] for r in rows if r["placed"] is not None]
    stress = [r["stress_on_beat"] for r in rows if r["stress_on_beat"] is not None]
    pitch = [r["pitch"] for r in rows if r.get("pitch") is not None]
    pitch_all = [r["pitch_all"] for r in rows if r.get("pitch_all") is not None]
    timing = [r["timing"] for r in rows if r.get("timing") is not None]
    full_band = [r["timing_full_band"] for r in rows if r.get("timing_full_band") is not None]
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
             f"| pitch: voiced frames within 50 cents of the note >= 95 % (each song, frames inside one note) | "
             f"{len(pitch)} | min {min(pitch):.3f}, median {statistics.median(pitch):.3f} | "
             f"{'PASS' if pitch and min(pitch) >= TARGETS['pitch'] else 'FAIL'} |",
             f"| (the same over every voiced frame in a note, glides between notes included) | {len(pitch_all)} | "
             f"min {min(pitch_all):.3f}, median {statistics.median(pitch_all):.3f} | - |",
             f"| timing: syllable onsets within 30 ms of their notes (voiced band; >= 90 % each song) | {len(timing)} | "
             f"min {min(timing):.3f}, median {statistics.median(timing):.3f} | "
             f"{'PASS' if timing and min(timing) >= TARGETS['timing'] else 'FAIL'} |",
             f"| (the same on the full band, where a consonant sung ahead of the beat counts) | {len(full_band)} | "
             f"min {min(full_band):.3f}, median {statistics.median(full_band):.3f} | - |",
             "", "## Songs", "",
             "| genre | seed | voice | guide | lines | syllables | placed | lines spelled | stress on beat (words) "
             "| notes per syllable | pitch in notes (all) | median cents | timing (full band) | plan+compose s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['genre']} | {r['seed']} | {r.get('voice')} | {r['guide']} | {r['lines']} | {r['syllables']} | {r['placed']} "
              f"| {r['spelled']} | {r['stress_on_beat']} ({r['stress_judged']}) | {r['notes_per_syllable']} "
              f"| {r.get('pitch')} ({r.get('pitch_all')}) | {r.get('median_cents')} | {r.get('timing')} "
              f"({r.get('timing_full_band')}) | {r['compose_s']} |" for r in rows]
    lines += ["", *proxy_section()]
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
