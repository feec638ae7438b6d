"""Drums: genre grooves from data/grooves.toml, shaped by each section's drum mode and energy,
with fills, crashes and snare-roll builds.

Notes are on the General MIDI drum map (channel 10). Timing stays on the grid here; swing and
humanization happen in the performance.

>>> from maestro_ai.core.score import Section
>>> notes = compose_drums("four-on-the-floor", [Section("verse", 0, 2, 0.6)], 4.0, np.random.default_rng(0))
>>> sorted({n.start for n in notes if n.pitch == KIT["kick"]})
[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
"""
from __future__ import annotations

from functools import cache

import numpy as np

from maestro_ai.compose.form import TRADE_BARS
from maestro_ai.core.score import Note, Section
from maestro_ai.prompt.presets import read_data

KIT = {"kick": 36, "snare": 38, "clap": 39, "rim": 37, "hat": 42, "hat_pedal": 44, "open_hat": 46,
       "ride": 51, "crash": 49, "shaker": 70, "tom_low": 45, "tom_mid": 47, "tom_high": 50}
LEVEL = {"X": 118, "x": 96, "o": 58}
STEP = 0.25  # a 16th note, in beats


@cache
def groove(name: str) -> dict:
    """A groove table (patterns of 16 steps per 4/4 bar)."""
    return read_data("grooves.toml")[name]


def _bar_pattern(name: str, bar_beats: float) -> dict[str, str]:
    """The groove's patterns fitted to the metre: 4/4 as written; other metres keep the voices,
    with kicks on each group's first step, backbeats between, and steady off-beats."""
    table = {k: v for k, v in groove(name).items() if k in KIT}
    steps = int(round(bar_beats / STEP))
    if steps == 16:
        return table
    out = {}
    beats = int(round(bar_beats))
    for voice, pattern in table.items():
        if voice in ("kick", "tom_low"):
            out[voice] = "".join("X" if i == 0 else "x" if i % 12 == 0 and beats % 3 else "." for i in range(steps))
        elif voice in ("snare", "clap", "rim", "hat_pedal", "tom_mid"):
            back = steps // 2 if steps % 12 == 0 and beats % 3 == 0 else 4
            out[voice] = "".join("X" if i == back else "." for i in range(steps))
        else:
            out[voice] = (pattern * 2)[:steps]
    return out


def _fill(kind: str, bar_start: float, bar_beats: float, energy: float) -> list[Note]:
    if kind == "none":
        return []
    beats = 2 if energy > 0.65 else 1
    start = bar_start + bar_beats - beats
    voices = ["tom_high", "tom_mid", "tom_low"] if kind == "tom" else [kind if kind in KIT else "snare"]
    notes = []
    count = int(beats / STEP)
    for i in range(count):
        voice = voices[min(len(voices) - 1, i * len(voices) // count)]
        notes.append(Note(KIT[voice], start + i * STEP, STEP, int(70 + 45 * (i + 1) / count)))
    return notes


def vary_groove(pattern: dict[str, str], fill: str, rng: np.random.Generator) -> tuple[dict[str, str], str]:
    """A drummer's take on the same groove: kicks moved and added, hats re-subdivided, other fills.

    The backbeat (snare/clap) and the downbeat kick stay, so the song keeps its feel.
    """
    out = dict(pattern)
    steps = len(next(iter(pattern.values())))
    backbeat = {i for v in ("snare", "clap") for i, ch in enumerate(pattern.get(v, "")) if ch != "."}
    if "kick" in out:
        kick = list(out["kick"])
        movable = [i for i, ch in enumerate(kick) if ch != "." and i != 0]
        if movable and rng.random() < 0.7:
            kick[int(rng.choice(movable))] = "."
        free = [i for i in range(1, steps) if kick[i] == "." and i not in backbeat]
        for i in rng.choice(free, size=min(len(free), int(rng.integers(1, 3))), replace=False) if free else []:
            kick[int(i)] = "x"
        out["kick"] = "".join(kick)
    for voice in ("hat", "ride", "shaker"):
        if voice in out:
            if rng.random() < 0.5:  # eighths become sixteenths with ghost notes, or the reverse
                dense = sum(ch != "." for ch in out[voice]) > steps * 0.6
                out[voice] = "".join(("x" if i % 4 == 0 else "o" if i % 2 == 0 else ".") if dense else
                                     ("x" if i % 2 == 0 else "o") for i in range(steps))
            else:
                out[voice] = "".join("X" if i % 4 == 2 and ch != "." else ch for i, ch in enumerate(out[voice]))
    if "open_hat" not in out and "hat" in out and rng.random() < 0.6:
        out["open_hat"] = "".join("o" if i == steps - 2 else "." for i in range(steps))
    fills = [f for f in ("snare", "tom", "clap") if f != fill]
    return out, str(rng.choice(fills)) if fill != "none" else fill


def _build(bar_start: float, bars: int, bar_beats: float, voice: str) -> list[Note]:
    """A build: the backbeat voice in quarters, then eighths, then sixteenths in the last bar,
    getting louder; the kick keeps the pulse until the last bar, then leaves the roll alone."""
    notes = []
    for b in range(bars):
        start = bar_start + b * bar_beats
        left = bars - b
        step = 0.25 if left == 1 else 0.5 if left <= max(1, bars // 4) + 1 else 1.0
        for i in range(int(round(bar_beats / step))):
            progress = (b * bar_beats + i * step) / (bars * bar_beats)
            notes.append(Note(KIT[voice], start + i * step, step, int(np.clip(55 + 65 * progress, 20, 127))))
        if left > 1:
            notes += [Note(KIT["kick"], start + beat, STEP, 100) for beat in range(int(bar_beats))]
    return notes


SOLO_VOICES = ("snare", "snare", "tom_high", "tom_mid", "tom_low", "kick")


def _solo_bar(bar_start: float, bar_beats: float, first: bool, energy: float, rng: np.random.Generator) -> list[Note]:
    """A bar of drum solo: eighths and sixteenths around the kit, accents on the beats, a crash
    to open the four bars and the ride's beat kept underneath."""
    notes = [Note(KIT["crash"], bar_start, 1.0, 110)] if first else []
    t = 0.0
    while t < bar_beats - 1e-9:
        step = STEP if rng.random() < 0.3 + 0.4 * energy else 2 * STEP
        for i in range(2 if step == STEP else 1):
            voice = SOLO_VOICES[int(rng.integers(len(SOLO_VOICES)))]
            accent = 20 if (t + i * step) % 1 == 0 else 0
            notes.append(Note(KIT[voice], bar_start + t + i * step, step, int(np.clip(80 + accent + rng.normal(0, 6), 40, 127))))
        t += 2 * STEP
    notes += [Note(KIT["ride"], bar_start + beat, STEP, 60) for beat in range(int(bar_beats))]
    return notes


def _voices_for(mode: str, pattern: dict[str, str]) -> dict[str, str]:
    """The groove as a section's drum mode plays it (full, kick, sparse or half time)."""
    if mode == "kick":
        return {v: p for v, p in pattern.items() if v in ("kick", "hat", "open_hat", "shaker", "ride")}
    if mode == "sparse":
        return {v: p for v, p in pattern.items() if v in ("kick", "hat", "ride", "shaker", "rim")}
    if mode == "half":
        steps = len(next(iter(pattern.values())))
        out = {v: p for v, p in pattern.items() if v not in ("kick", "snare", "clap", "rim")}
        out["kick"] = "".join("X" if i == 0 or i == steps * 5 // 8 else "." for i in range(steps))
        back = "clap" if "clap" in pattern and "snare" not in pattern else "snare"
        out[back] = "".join("X" if i == steps // 2 else "." for i in range(steps))
        return out
    return pattern


def compose_drums(groove_name: str, sections: list[Section], bar_beats: float,
                  rng: np.random.Generator, variant: int = 0, modes: list[str] | None = None) -> list[Note]:
    """Drum notes for the whole form; a `variant` above 0 plays a reworked version of the groove.
    `modes` gives each section's drum mode (data/forms.toml: full, kick, sparse, half, build,
    trade, none); without it every section plays the full groove."""
    pattern = _bar_pattern(groove_name, bar_beats)
    fill_kind = groove(groove_name).get("fill", "snare")
    if variant:
        pattern, fill_kind = vary_groove(pattern, fill_kind, rng)
    roll_voice = fill_kind if fill_kind in ("snare", "clap") else "snare"
    modes = modes or ["full"] * len(sections)
    notes: list[Note] = []
    last_section = sections[-1] if sections else None
    for section, mode in zip(sections, modes):
        e = section.energy
        if mode == "none":
            continue
        if mode == "build":
            notes += _build(section.start_bar * bar_beats, section.bars, bar_beats, roll_voice)
            continue
        voices = _voices_for(mode, pattern)
        for b in range(section.bars):
            bar_start = (section.start_bar + b) * bar_beats
            if mode == "trade" and b // TRADE_BARS % 2:  # trading fours: the drummer's four bars alone
                notes += _solo_bar(bar_start, bar_beats, b % TRADE_BARS == 0, e, rng)
                continue
            fill_here = (b == section.bars - 1 and section is not last_section and section.bars >= 4
                         and mode in ("full", "half"))
            for voice, steps in voices.items():
                if (e < 0.3 or mode == "sparse") and voice not in ("hat", "ride", "shaker", "rim", "kick"):
                    continue  # quiet sections thin out to a pulse
                if (e < 0.3 or mode == "sparse") and voice == "kick" and b % 2:
                    continue
                if voice == "open_hat" and e < 0.5:
                    continue
                for i, ch in enumerate(steps):
                    if ch == ".":
                        continue
                    beat = bar_start + i * STEP
                    if fill_here and beat >= bar_start + bar_beats - (2 if e > 0.65 else 1) and voice != "kick":
                        continue
                    if ch == "o" and rng.random() < 0.25:
                        continue  # ghost notes come and go
                    vel = LEVEL[ch] * (0.75 + 0.35 * e)
                    notes.append(Note(KIT[voice], beat, STEP, int(np.clip(vel, 20, 127))))
                    if voice == "hat" and groove(groove_name).get("roll_hats") and i % 4 == 2 and rng.random() < 0.12:
                        for r in range(1, 3):  # a 32nd/48th hi-hat roll, trap style
                            notes.append(Note(KIT["hat"], beat + r * STEP / 3, STEP / 3, int(np.clip(vel * 0.8, 20, 127))))
            if b == 0 and section.start_bar > 0 and e >= 0.5 and mode in ("full", "half"):
                notes.append(Note(KIT["crash"], bar_start, 1.0, int(90 + 30 * e)))
            if fill_here:
                notes += _fill(fill_kind, bar_start, bar_beats, e)
    notes.sort(key=lambda n: (n.start, n.pitch))
    return notes


def kick_onsets(drums: list[Note]) -> list[float]:
    """Beats where the kick plays (the bass locks to these)."""
    return sorted({n.start for n in drums if n.pitch == KIT["kick"]})
