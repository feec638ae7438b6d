"""Song form scaled to the duration: intro, verses, choruses, bridge, outro, with an energy curve.

>>> [(s.name, s.bars) for s in plan_form(54, energy=0.3)]
[('intro', 4), ('verse', 8), ('chorus', 8), ('verse', 8), ('chorus', 8), ('bridge', 8), ('chorus', 6), ('outro', 4)]
"""
from __future__ import annotations

from maestro_ai.core.score import Section

BASE_ENERGY = {"intro": 0.35, "verse": 0.55, "chorus": 0.85, "bridge": 0.65, "breakdown": 0.4, "outro": 0.3}
FIRST_CYCLE = ["verse", "chorus", "verse", "chorus", "bridge", "chorus"]
LATER_CYCLE = ["verse", "chorus", "breakdown", "chorus"]


def section_energy(name: str, overall: float, repeat: int = 0) -> float:
    """Energy 0-1 of a section: its role in the form, scaled by the song's energy."""
    value = BASE_ENERGY[name] * (0.6 + 0.8 * overall) + 0.04 * repeat * (name == "chorus")
    return round(min(1.0, max(0.05, value)), 3)


def plan_form(total_bars: int, energy: float, phrase_bars: int = 8) -> list[Section]:
    """Split `total_bars` into sections; every section but the last body one is `phrase_bars` long."""
    if total_bars < 8:
        return [Section("verse", 0, max(1, total_bars), section_energy("verse", energy))]
    edge = 2 if total_bars < 24 else 4
    body = total_bars - 2 * edge
    names_lengths: list[tuple[str, int]] = [("intro", edge)]
    cycle, index = FIRST_CYCLE, 0
    while body > 0:
        if index == len(cycle):
            cycle, index = LATER_CYCLE, 0
        length = phrase_bars if body - phrase_bars >= 4 or body == phrase_bars else body
        if length < 4 and len(names_lengths) > 1:  # too short to stand alone: lengthen the previous one
            name, prev = names_lengths[-1]
            names_lengths[-1] = (name, prev + length)
        else:
            names_lengths.append((cycle[index], length))
        body -= length
        index += 1
    names_lengths.append(("outro", edge))
    sections, start, seen = [], 0, {}
    for name, bars in names_lengths:
        seen[name] = seen.get(name, -1) + 1
        sections.append(Section(name, start, bars, section_energy(name, energy, seen[name])))
        start += bars
    return sections
