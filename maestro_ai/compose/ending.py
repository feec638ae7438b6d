"""How a song ends: its last chord struck and left to ring, a short button, or a fade.

The groove never just stops: in the last bar every part leaves its pattern, the band plays the
last chord together on the downbeat (the drummer a kick and a crash) and holds it ("ring"), cuts
it short ("button"), or, after an outro that has grown quieter bar by bar, holds it softly ("fade").

>>> from maestro_ai.core.score import Chord, Note
>>> parts = {"harmony": [Note(60, 0.0, 4.0), Note(64, 4.5, 1.0)], "bass": [Note(36, 4.0, 1.0)],
...          "drums": [Note(42, 4.0 + i / 2, 0.25) for i in range(8)]}
>>> out = end_song(parts, Chord("C", 0, (0, 4, 7), 4.0, 4.0), [], 4.0, "ring")
>>> sorted({n.pitch for n in out["drums"]}), [n.start for n in out["bass"]]
([36, 49], [4.0])
"""
from __future__ import annotations

from maestro_ai.compose import bass
from maestro_ai.core.score import Chord, Note, Section
from maestro_ai.theory.voicing import voice_chord

CRASH, KICK = 49, 36
FADE_TO = 0.45  # the velocity a fading outro reaches, as a share of where it began
REGISTERS = {"bass": (bass.LOW, bass.HIGH), "harmony": (52, 76), "pad": (60, 84), "counter": (67, 88)}


def _cut(notes: list[Note], at: float) -> list[Note]:
    """Notes before beat `at`, shortened to end there."""
    return [n if n.end <= at else Note(n.pitch, n.start, at - n.start, n.velocity) for n in notes if n.start < at]


def _faded(notes: list[Note], section: Section, bar_beats: float) -> list[Note]:
    """Velocities falling across the section to FADE_TO of their level."""
    lo, hi = section.start_bar * bar_beats, section.end_bar * bar_beats
    out = []
    for n in notes:
        if lo <= n.start < hi:
            scale = 1.0 - (1.0 - FADE_TO) * (n.start - lo) / (hi - lo)
            n = Note(n.pitch, n.start, n.duration, max(1, int(n.velocity * scale)))
        out.append(n)
    return out


def end_song(parts: dict[str, list[Note]], final: Chord, sections: list[Section], bar_beats: float,
             style: str, keep: tuple[str, ...] = ()) -> dict[str, list[Note]]:
    """The parts with the last bar (from `final.start`, the last chord) played as `style` ends;
    the parts named in `keep` stay as they are (a melody a reharmonization must not touch)."""
    at = final.start
    length = 0.5 if style == "button" else final.duration
    out: dict[str, list[Note]] = {}
    for name, notes in parts.items():
        if name in keep:
            out[name] = notes
            continue
        if style == "fade" and sections:
            notes = _faded(notes, sections[-1], bar_beats)
        level = max((n.velocity for n in notes if n.start >= at - bar_beats), default=80)
        kept = _cut(notes, at)
        if name == "drums":
            if style != "fade":
                kept += [Note(KICK, at, 0.5, min(127, level)), Note(CRASH, at, length, min(127, level))]
        elif name == "melody":
            last = max(kept, key=lambda n: n.start, default=None)
            if last is not None and last.end >= at - bar_beats / 2:  # the lead was singing: it lands on the root
                pitch = min((p for p in range(last.pitch - 6, last.pitch + 7) if p % 12 == final.root),
                            key=lambda p: abs(p - last.pitch))
                kept.append(Note(pitch, at, length, level))
        elif name in REGISTERS and any(n.start >= at - 2 * bar_beats for n in notes):
            low, high = REGISTERS[name]
            pcs = [final.bass_pc] if name == "bass" else list(final.pitch_classes)[:4]
            kept += [Note(p, at, length, level) for p in voice_chord(tuple(pcs), None, low, high)]
        out[name] = kept
    return out
