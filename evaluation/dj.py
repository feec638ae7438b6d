"""The AI DJ (maestro_ai.catalog.dj) judged on a long set: ten Maestro tracks of 100 s (house,
techno and synthwave, 114-132 BPM, ten keys) made in a fresh MAESTRO_HOME, ordered by the real
playlist planner (catalog.recommend.playlist on the instance's catalogue), mixed by `dj_mix` with
its spoken intros and seal into one set of about a quarter of an hour, and every transition judged
by tools the DJ does not use to decide. Writes docs/dj-evaluation.md.

    PYTHONPATH=. .venv/bin/python -m evaluation.dj [--tracks 10 --seconds 100 --keep folder]

- beats (librosa's beat tracker over the whole set, hop 128, tightness 400, as tests/catalog/
  test_dj.py): the beats of the track playing alone in the 10 s before a transition give a grid
  (their circular mean phase in the set's beat period); the beats of the next track alone in the
  8 s after its fade-in are measured against it: the offset of their mean phase and the median
  per-beat offset, in ms. Bound: both within 20 ms.
- loudness (libebur128 through pyebur128): short-term loudness (3 s window) every 0.5 s; the
  largest step between neighbouring readings from 1 s before a transition to 3 s after its fade.
  Bound: under 1 LU. Also the level of each track alone before and after, the integrated loudness
  and loudness range of the set.
- peaks: sample peak (bound: at most -1 dBFS, as the test) and true peak (libebur128's 4x
  oversampled meter; the DJ's docstring promises a true-peak-safe ceiling, reported beside it).
- tempo: the beat tracker's tempo over the whole set, and the median interval between its beats,
  against the set's tempo; each track's stretch factor and the Camelot steps of each transition.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# (genre, tempo asked, key asked, seed): dance genres in 4/4 whose tempo ranges reach 114-132 BPM
# (synthwave 80-118, house 118-128, techno 124-140), keys in two neighbourhoods of the Camelot wheel
TRACKS = (
    ("synthwave", 114, "D minor", 1),
    ("house", 120, "C major", 2),
    ("techno", 128, "D major", 3),
    ("house", 118, "A minor", 4),
    ("techno", 132, "G minor", 5),
    ("house", 126, "G major", 6),
    ("synthwave", 116, "F major", 7),
    ("techno", 124, "B minor", 8),
    ("house", 122, "E minor", 9),
    ("techno", 130, "F# minor", 10),
)
MOOD = "energetic"
CONTEXT = "club night"
SECONDS = 100.0
PHASE_MS = 20.0  # the beat bound
STEP_LU = 1.0  # the loudness bound
CEILING_DBFS = -1.0  # the peak bound
BEFORE_S, AFTER_S = 10.0, 8.0  # the windows the beats are read in, as the test
HOP_S = 0.5  # short-term loudness readings


def make_tracks(specs, seconds: float, folder: Path) -> list[dict]:
    """Each spec made by the generator (draft quality, WAV only) into `folder`; the ledger of the
    MAESTRO_HOME in force records them."""
    import maestro_ai

    made = []
    for genre, tempo, key, seed in specs:
        started = time.perf_counter()
        track = maestro_ai.MusicGenerator(genre, MOOD, seed=seed, output_dir=folder, formats=("wav",),
                                          quality="draft").generate({"tempo_bpm": tempo, "key": key}, duration_seconds=seconds)
        made.append({"genre": genre, "seed": seed, "tempo_asked": tempo, "key_asked": key, "folder": str(Path(track.folder).resolve()),
                     "title": track.title, "tempo": track.tempo, "key": str(track.key), "bars": track.bars,
                     "seconds": round(time.perf_counter() - started, 1)})
        print(f"made {genre} {tempo} {key}: {track.title!r} in {made[-1]['seconds']} s", file=sys.stderr, flush=True)
    return made


def planned(minutes: float) -> tuple[list, dict]:
    """The playlist planner's order of the instance's catalogue for CONTEXT, as loaded Tracks."""
    from maestro_ai.catalog.recommend import playlist
    from maestro_ai.catalog.tracks import catalogue
    from maestro_ai.core.track import Track

    tracks = catalogue()
    plan = playlist(CONTEXT, minutes=minutes, tracks=tracks)
    folders = dict(zip(tracks["id"], tracks["folder"]))
    return [Track.load(folders[t["id"]]) for t in plan["tracks"]], plan


def greedy_camelot(keys: list[str]) -> list[int]:
    """Camelot steps of a greedy walk on the wheel from the first key (the nearest unused key next):
    what a key-only order would give, beside the planner's."""
    from maestro_ai.catalog.playlist import camelot_distance

    left, order = list(range(1, len(keys))), [0]
    while left:
        nxt = min(left, key=lambda i: camelot_distance(keys[order[-1]], keys[i]))
        left.remove(nxt)
        order.append(nxt)
    return [camelot_distance(keys[a], keys[b]) for a, b in zip(order, order[1:])]


def _phase(beats: np.ndarray, period: float) -> float:
    """Where beats fall within the beat period (their circular mean), in seconds."""
    return float(np.angle(np.exp(2j * np.pi * (beats % period) / period).mean()) * period / (2 * np.pi))


def _apart(a, b, period: float):
    return np.abs((np.asarray(a) - b + period / 2) % period - period / 2)


def beats_of(path: Path, tempo: float) -> tuple[np.ndarray, float, float]:
    """librosa's beats over the whole set (as the test tracks them), its tempo there, and its
    tempo with its default prior (120 BPM), told nothing of the set."""
    import librosa

    y, rate = librosa.load(path, sr=22050, mono=True)
    found, frames = librosa.beat.beat_track(y=y, sr=rate, hop_length=128, start_bpm=tempo, tightness=400)
    free = librosa.feature.tempo(y=y, sr=rate, hop_length=128)
    return librosa.frames_to_time(frames, sr=rate, hop_length=128), float(np.atleast_1d(found)[0]), float(free[0])


def loudness_of(path: Path) -> dict:
    """Short-term loudness every HOP_S, integrated loudness, loudness range, sample and true peaks."""
    import pyebur128
    import soundfile

    audio, rate = soundfile.read(path, dtype="float32", always_2d=True)
    mode = pyebur128.MeasurementMode
    meter = pyebur128.R128State(audio.shape[1], rate, mode.MODE_S | mode.MODE_I | mode.MODE_LRA | mode.MODE_TRUE_PEAK)
    short, hop = [], int(rate * HOP_S)
    for start in range(0, len(audio) - hop, hop):
        meter.add_frames(np.ascontiguousarray(audio[start:start + hop]).ravel(), hop)
        short.append(pyebur128.get_loudness_shortterm(meter))
    true_peak = max(pyebur128.get_true_peak(meter, c) for c in range(audio.shape[1]))
    at_ceiling = np.abs(audio).max(axis=1) >= 10 ** (CEILING_DBFS / 20) - 1e-5  # 24-bit steps are 1.2e-7
    edges = np.flatnonzero(np.diff(np.concatenate([[0], at_ceiling.astype(np.int8), [0]])))
    runs = edges[1::2] - edges[::2]
    return {"short": np.array(short), "integrated": float(pyebur128.get_loudness_global(meter)),
            "range": float(pyebur128.get_loudness_range(meter)),
            "sample_peak_dbfs": float(20 * np.log10(np.abs(audio).max())), "true_peak_dbtp": float(20 * np.log10(true_peak)),
            "seconds": len(audio) / rate, "frames": len(audio), "at_ceiling": int(at_ceiling.sum()), "ceiling_runs": int(len(runs)),
            "ceiling_runs_of_3": int(np.sum(runs >= 3)), "longest_run": int(runs.max()) if len(runs) else 0}


def events_of(made: dict, tracks: list) -> list[tuple[float, str]]:
    """(set time, what) for every section of every track as placed in the set (its bar times
    stretched by the track's factor), and every spoken intro."""
    found = [(v["at"], "voice") for v in made["voice"]] if isinstance(made["voice"], list) else []
    for n, (placed, track) in enumerate(zip(made["tracks"], tracks)):
        bar = track.bar_seconds / placed["stretch"]
        previous = None
        for section in track.sections:
            at = placed["starts_at"] + section.get("start_bar", 0) * bar
            change = f" {section['energy'] - previous:+.2f}" if previous is not None and "energy" in section else ""
            found.append((at, f"#{n + 1} {section.get('name', '?')}{change}"))
            previous = section.get("energy")
    return sorted(found)


def judge(made: dict, path: Path, tracks: list | None = None) -> dict:
    """Every transition of the set `made` (dj_mix's answer) at `path`, by the beat tracker and the
    meter; `tracks` (the Tracks mixed, in order) name the sections and intros that fall where
    the loudness steps."""
    tempo = made["tempo"]
    period = 60.0 / tempo
    beats, tracked, free = beats_of(path, tempo)
    level = loudness_of(path)
    short = level["short"]
    voiced = [v["at"] for v in made["voice"]] if isinstance(made["voice"], list) else []
    events = events_of(made, tracks) if tracks is not None else [(v, "voice") for v in voiced]
    solo = []  # each track while it plays alone: its beats against the set's grid (k x period), its loudness steps
    for n, placed in enumerate(made["tracks"]):
        lo = placed["starts_at"] + (made["transitions"][n - 1]["fade_seconds"] if n else 0.0)
        hi = made["transitions"][n]["at"] if n < len(made["transitions"]) else level["seconds"]
        first, last = beats[(beats >= lo) & (beats < lo + AFTER_S)], beats[(beats >= hi - AFTER_S) & (beats < hi)]
        readings = short[int(lo / HOP_S) + 6:int(hi / HOP_S)]
        solo.append({"phase_first_ms": 1000 * _phase(first, period) if len(first) > 3 else None,
                     "phase_last_ms": 1000 * _phase(last, period) if len(last) > 3 else None,
                     "step_lu": float(np.abs(np.diff(readings)).max()) if len(readings) > 1 else None})
    rows = []
    for n, t in enumerate(made["transitions"]):
        at, fade = t["at"], t["fade_seconds"]
        before = beats[(beats > at - BEFORE_S) & (beats < at)]
        after = beats[(beats > at + fade) & (beats < at + fade + AFTER_S)]
        during = beats[(beats >= at) & (beats <= at + fade)]
        row = {"n": n + 1, "at": at, "fade": fade, "from": t["from"], "to": t["to"], "camelot": t["camelot_steps"],
               "keys": (made["tracks"][n]["key"], made["tracks"][n + 1]["key"]),
               "stretch": (made["tracks"][n]["stretch"], made["tracks"][n + 1]["stretch"]),
               "beats": (len(before), len(after)), "voice": any(at <= v <= at + fade + 3 for v in voiced)}
        if len(before) >= 4 and len(after) >= 4:
            grid = _phase(before, period)
            off = _apart(after, grid, period)
            row |= {"phase_ms": 1000 * float(_apart(_phase(after, period), grid, period)),
                    "median_ms": 1000 * float(np.median(off)), "max_ms": 1000 * float(off.max()),
                    "during_ms": 1000 * float(np.median(_apart(during, grid, period))) if len(during) else None,
                    "ibi_before": 60 / float(np.median(np.diff(before))), "ibi_after": 60 / float(np.median(np.diff(after)))}
        a, b = int((at - 1) / HOP_S), int((at + fade + 3) / HOP_S)
        window = short[a:b + 1]
        steps = np.abs(np.diff(window))
        worst = int(np.argmax(steps))
        alone_before = short[int((at - BEFORE_S) / HOP_S) + 6:int(at / HOP_S)]  # 3 s in: the window holds the track alone
        alone_after = short[int((at + fade) / HOP_S) + 6:int((at + fade + AFTER_S) / HOP_S)]
        step_at = (a + worst + 2) * HOP_S  # the later of the two readings: it holds the 3 s before it
        row |= {"step_lu": float(steps.max()), "step_at": round(step_at, 1),
                "level_before": float(np.median(alone_before)), "level_after": float(np.median(alone_after)),
                "events": [(round(e, 1), what) for e, what in events if (a + 1) * HOP_S - 3 <= e <= (b + 1) * HOP_S],
                "near_step": [what for e, what in events if step_at - 3.5 <= e <= step_at]}
        rows.append(row)
    steps_all = np.abs(np.diff(short[6:]))  # the first 3 s fill the window
    where = int(np.argmax(steps_all))
    return {"rows": rows, "solo": solo, "tracked_bpm": tracked, "free_bpm": free,
            "ibi_bpm": 60 / float(np.median(np.diff(beats))), "beats": len(beats),
            "integrated": level["integrated"], "range": level["range"], "sample_peak_dbfs": level["sample_peak_dbfs"],
            "true_peak_dbtp": level["true_peak_dbtp"], "seconds": level["seconds"],
            **{k: level[k] for k in ("frames", "at_ceiling", "ceiling_runs", "ceiling_runs_of_3", "longest_run")},
            "largest_step_anywhere": (float(steps_all[where]), round((where + 8) * HOP_S, 1))}


def summary(found: dict) -> dict:
    rows = found["rows"]
    judged = [r for r in rows if "phase_ms" in r]
    phase = np.array([r["phase_ms"] for r in judged])
    median = np.array([r["median_ms"] for r in judged])
    steps = np.array([r["step_lu"] for r in rows])
    beats_ok = len(judged) == len(rows) and bool(np.all(phase < PHASE_MS) and np.all(median < PHASE_MS))
    return {"transitions": len(rows), "judged_by_beats": len(judged),
            "phase_ms_worst": float(phase.max()) if judged else None, "phase_ms_median": float(np.median(phase)) if judged else None,
            "median_ms_worst": float(median.max()) if judged else None, "median_ms_median": float(np.median(median)) if judged else None,
            "beats_failing": [r["n"] for r in rows
                              if "phase_ms" not in r or r["phase_ms"] >= PHASE_MS or r["median_ms"] >= PHASE_MS],
            "step_lu_worst": float(steps.max()), "step_lu_median": float(np.median(steps)),
            "loudness_failing": [r["n"] for r in rows if r["step_lu"] >= STEP_LU],
            "camelot_mean": float(np.mean([r["camelot"] for r in rows])),
            "camelot_worst": int(max(r["camelot"] for r in rows)),
            "pass": {"beats within 20 ms": beats_ok, "no step over 1 LU": bool(steps.max() < STEP_LU),
                     "no clipping (sample peak <= -1 dBFS)": found["sample_peak_dbfs"] <= CEILING_DBFS + 1e-3}}


def _machine() -> str:
    name = platform.processor() or platform.machine()
    try:
        name = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{name}, {os.cpu_count()} cores"


def report(r: dict, command: str) -> str:
    s, f, m = r["summary"], r["found"], r["made"]
    ok = lambda b: "pass" if b else "**FAIL**"  # noqa: E731
    lines = ["# AI DJ evaluation: a long set", "",
             f"Made by `{command}` on {_machine()} (Python {platform.python_version()}); "
             f"{r['wall']['total']:.0f} s in all: making the tracks {r['wall']['make']:.0f} s, planning "
             f"{r['wall']['plan']:.1f} s, mixing {r['wall']['mix']:.0f} s, judging {r['wall']['judge']:.0f} s.", "",
             f"{len(m['tracks'])} tracks of {r['seconds']:g} s made by `MusicGenerator(genre, \"{MOOD}\", seed, quality=\"draft\")` "
             f"in a fresh MAESTRO_HOME, ordered by the playlist planner (`catalog.recommend.playlist(\"{CONTEXT}\")` on the "
             "instance's catalogue), mixed by `catalog.dj.dj_mix(..., speak=True, seal=True)`: "
             f"a set of {m['seconds'] / 60:.1f} min at {m['tempo']:g} BPM. See `evaluation/dj.py` for every measure.", "",
             "## Result", "",
             "| bound | worst | median | verdict |", "|---|---|---|---|",
             f"| beats after a transition on the grid before it: mean phase within {PHASE_MS:g} ms | "
             f"{s['phase_ms_worst']:.1f} ms | {s['phase_ms_median']:.1f} ms | {ok(s['pass']['beats within 20 ms'])} |",
             f"| ... and median per-beat offset within {PHASE_MS:g} ms | {s['median_ms_worst']:.1f} ms | "
             f"{s['median_ms_median']:.1f} ms | |",
             f"| short-term loudness step at a transition under {STEP_LU:g} LU | {s['step_lu_worst']:.2f} LU | "
             f"{s['step_lu_median']:.2f} LU | {ok(s['pass']['no step over 1 LU'])} |",
             f"| sample peak at most {CEILING_DBFS:g} dBFS | {f['sample_peak_dbfs']:.2f} dBFS | | "
             f"{ok(s['pass']['no clipping (sample peak <= -1 dBFS)'])} |", "",
             f"- Transitions failing the beat bound: {s['beats_failing'] or 'none'}; "
             f"the loudness bound: {s['loudness_failing'] or 'none'}.",
             f"- At the ceiling ({CEILING_DBFS:g} dBFS, either channel): {f['at_ceiling']:,} sample frames of "
             f"{f['frames']:,}, in {f['ceiling_runs']:,} runs, {f['ceiling_runs_of_3']:,} of them 3 frames or "
             f"longer (the longest {f['longest_run']}): a flat top that long is a hard clip at the ceiling, not a peak that "
             "happens to reach it.",
             f"- True peak {f['true_peak_dbtp']:.2f} dBTP (libebur128, 4x oversampled); integrated loudness {f['integrated']:.2f} LUFS "
             f"(the DJ aims every track at -14), loudness range {f['range']:.1f} LU.",
             f"- Largest short-term step anywhere in the set (after its first 3 s): {f['largest_step_anywhere'][0]:.2f} LU at "
             f"{f['largest_step_anywhere'][1]:g} s (the set lasts {f['seconds']:.1f} s).",
             f"- Tempo: the set plays at {m['tempo']:g} BPM; librosa's beat tracker (prior at the set's tempo) says "
             f"{f['tracked_bpm']:.1f} BPM over the whole set, the median interval between its {f['beats']} beats "
             f"{f['ibi_bpm']:.2f} BPM, and its tempo estimate with its default prior {f['free_bpm']:.1f} BPM.",
             f"- Keys: {s['camelot_mean']:.2f} Camelot steps per transition on average, at most {s['camelot_worst']} "
             f"(a greedy walk on the wheel over the same keys: {r['greedy_mean']:.2f} on average, at most {r['greedy_worst']}).", "",
             "## The tracks, in the order played", "",
             "Beat phase: librosa's beats of the track while it plays alone, against the set's grid (multiples of "
             "60/tempo from the set's start), over its first and its last 8 s alone; their difference is how far the "
             "track's beats moved while it played. Largest step: the largest short-term loudness step while it plays "
             "alone (its own sections).", "",
             "| # | title | genre | seed | tempo | key | Camelot | bars | stretch | gain dB | starts at s | "
             "beat phase first / last 8 s alone, ms | largest step alone LU |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    from maestro_ai.catalog.playlist import camelot

    by_folder = {t["folder"]: t for t in r["tracks"]}
    fmt = lambda v, spec: "-" if v is None else format(v, spec)  # noqa: E731
    for n, (t, alone) in enumerate(zip(m["tracks"], f["solo"])):
        spec = by_folder.get(r["order"][n], {})
        lines.append(f"| {n + 1} | {t['title']} | {spec.get('genre', '?')} | {spec.get('seed', '?')} | {t['tempo']:g} | {t['key']} | "
                     f"{camelot(t['key'])} | {t['bars']} | {t['stretch']:.4f} | {t['gain_db']:+.2f} | {t['starts_at']:.1f} | "
                     f"{fmt(alone['phase_first_ms'], '+.0f')} / {fmt(alone['phase_last_ms'], '+.0f')} | {fmt(alone['step_lu'], '.2f')} |")
    lines += ["", "## Every transition", "",
              "Beat columns: offset of the mean phase of the next track's beats (alone, 8 s after its fade-in) from the grid "
              "of the previous track's (alone, 10 s before the transition), the median and largest per-beat offset, and the "
              "median offset of the beats inside the fade; beats counted before/after. Loudness: the largest short-term "
              "step from 1 s before to 3 s after the fade (and the time of the later reading), the level of each track "
              "alone, and what begins in the 3 s that reading covers: a section of track #n (with its change of the "
              "arrangement's energy, 0-1) or a spoken intro.", "",
              "| # | at s | fade s | keys | Camelot | stretch | beats | phase ms | median ms | max ms | in fade ms | "
              "largest step LU (at s) | level before / after LUFS | begins before the step |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for x in f["rows"]:
        beat = (f"{x['phase_ms']:.1f} | {x['median_ms']:.1f} | {x['max_ms']:.1f} | "
                f"{fmt(x['during_ms'], '.1f')}" if "phase_ms" in x else "- | - | - | -")
        lines.append(f"| {x['n']} | {x['at']:.1f} | {x['fade']:.2f} | {x['keys'][0]} → {x['keys'][1]} | {x['camelot']} | "
                     f"{x['stretch'][0]:.3f} → {x['stretch'][1]:.3f} | {x['beats'][0]}/{x['beats'][1]} | {beat} | "
                     f"{x['step_lu']:.2f} ({x['step_at']:g}) | {x['level_before']:.1f} / {x['level_after']:.1f} | "
                     f"{', '.join(x['near_step']) or '-'} |")
    failing = [x for x in f["rows"] if x["n"] in s["beats_failing"] or x["n"] in s["loudness_failing"]]
    if failing:
        lines += ["", "## Where the failures sit", ""]
    for x in failing:
        out, into = f["solo"][x["n"] - 1], f["solo"][x["n"]]
        said = []
        if x["n"] in s["beats_failing"] and out["phase_first_ms"] is not None and out["phase_last_ms"] is not None:
            said.append(f"beats {x.get('phase_ms', float('nan')):.1f} ms off: the outgoing track's beats sat at "
                        f"{out['phase_first_ms']:+.0f} ms on the set's grid when it began playing alone and at "
                        f"{out['phase_last_ms']:+.0f} ms when the next came in; the incoming track's sat at "
                        f"{fmt(into['phase_first_ms'], '+.0f')} ms once alone")
        if x["n"] in s["loudness_failing"]:
            begins = ", ".join(x["near_step"]) or "nothing listed"
            said.append(f"a {x['step_lu']:.2f} LU step at {x['step_at']:g} s, where begins: {begins}")
        lines.append(f"- Transition {x['n']} ({x['at']:.1f} s): " + "; ".join(said) + ".")
    lines += ["", "## The tracks as made", "",
              "| genre | seed | tempo asked | key asked | title | tempo | key | bars | seconds to make |",
              "|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {t['genre']} | {t['seed']} | {t['tempo_asked']} | {t['key_asked']} | {t['title']} | {t['tempo']:g} | {t['key']} | "
              f"{t['bars']} | {t['seconds']:.0f} |" for t in r["tracks"]]
    lines += ["", f"Spoken intros: {json.dumps(m['voice']) if isinstance(m['voice'], list) else m['voice']}.", ""]
    return "\n".join(lines)


def evaluate(count: int, seconds: float, keep: Path | None = None) -> dict:
    wall = {}
    before = os.environ.get("MAESTRO_HOME")
    with tempfile.TemporaryDirectory(prefix="maestro-dj-") as tmp:
        os.environ["MAESTRO_HOME"] = str(Path(tmp) / "home")
        try:
            from maestro_ai.catalog.dj import dj_mix

            started = time.perf_counter()
            tracks = make_tracks(TRACKS[:count], seconds, Path(tmp) / "songs")
            wall["make"] = time.perf_counter() - started
            mark = time.perf_counter()
            order, plan = planned(len(tracks) * seconds / 60)
            if len(order) < 2:
                raise SystemExit(f"the planner chose {len(order)} track(s): nothing to mix")
            wall["plan"] = time.perf_counter() - mark
            mark = time.perf_counter()
            path = Path(tmp) / "set.wav"
            made = dj_mix(order, path, title=f"Maestro DJ: {CONTEXT}", speak=True, seal=True)
            wall["mix"] = time.perf_counter() - mark
            print(f"mixed {made['seconds']} s at {made['tempo']} BPM", file=sys.stderr, flush=True)
            mark = time.perf_counter()
            found = judge(made, path, order)
            wall["judge"] = time.perf_counter() - mark
            wall["total"] = time.perf_counter() - started
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, keep / "set.wav")
                (keep / "made.json").write_text(json.dumps(made, indent=1), encoding="utf-8")
        finally:
            if before is None:
                os.environ.pop("MAESTRO_HOME", None)
            else:
                os.environ["MAESTRO_HOME"] = before
    keys = [str(t.key) for t in order]
    greedy = greedy_camelot(keys)
    result = {"seconds": seconds, "tracks": tracks, "made": made, "found": found, "wall": wall,
              "order": [str(Path(t.folder).resolve()) for t in order],
              "planned": [t["title"] for t in plan["tracks"]], "greedy_mean": float(np.mean(greedy)), "greedy_worst": max(greedy)}
    result["summary"] = summary(found)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=len(TRACKS), help=f"how many of the {len(TRACKS)} tracks (at least 2)")
    parser.add_argument("--seconds", type=float, default=SECONDS, help="each track's length")
    parser.add_argument("--out", default="docs/dj-evaluation.md")
    parser.add_argument("--keep", type=Path, default=None, help="a folder to keep the set (set.wav) and dj_mix's answer in")
    args = parser.parse_args()
    if not 2 <= args.tracks <= len(TRACKS):
        parser.error(f"--tracks is 2-{len(TRACKS)}")
    found = evaluate(args.tracks, args.seconds, args.keep)
    command = "PYTHONPATH=. .venv/bin/python -m evaluation.dj" + (
        "" if (args.tracks, args.seconds) == (len(TRACKS), SECONDS) else f" --tracks {args.tracks} --seconds {args.seconds:g}")
    text = report(found, command)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    print(json.dumps(found["summary"], indent=1))


if __name__ == "__main__":
    main()
