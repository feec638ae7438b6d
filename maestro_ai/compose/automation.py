"""A dance producer's moves on the mixer, written into the performance: the synths' low-pass filter
closed in a breakdown and swept open through the build into the drop, and a noise riser under the
build.

The filter is MIDI's brightness controller (CC74), on every part a section's kind filters
(data/forms.toml `filter`): "closed" holds it at CLOSED_HZ, "opening" sweeps it from there to
fully open by the section's last beat, "open" leaves it. The value maps to a cutoff on a log scale
(`cutoff_hz`), so a linear sweep of the controller rises by equal musical steps; render plays it
as a moving low-pass. Risers (`riser = true`) are spans the renderer fills with rising noise.

>>> from maestro_ai.core.score import Section
>>> song = [Section("drop", 0, 8, 1.0), Section("breakdown", 8, 8, 0.3), Section("build", 16, 8, 0.6),
...         Section("drop", 24, 8, 1.0)]
>>> curve = filter_curve(song, "techno", 4.0)
>>> [(beat, value) for beat, value in curve if beat in (32.0, 80.0, 96.0)]  # closes, half open, open
[(32.0, 127), (32.0, 42), (80.0, 70), (96.0, 127)]
>>> riser_spans(song, "techno", 4.0)
[(64.0, 96.0)]
"""
from __future__ import annotations

import math

from maestro_ai.compose.form import spans_where, texture
from maestro_ai.core.performance import PPQ, Control, Performance, PlayedPart
from maestro_ai.core.score import Section

BRIGHTNESS = 74  # MIDI's sound controller 5: a synth's filter cutoff
LOWEST_HZ, HIGHEST_HZ = 80.0, 20000.0  # the cutoffs of controller values 0 and 127
CLOSED_HZ = 500.0  # a breakdown's filtered synths: the body of the riff, none of its edge
FILTERED_PARTS = ("melody", "harmony", "pad", "counter")  # the kit and the bass are never filtered
SWEEP_STEP = PPQ // 4  # an opening filter is written every sixteenth
SWEEP_CURVE = 1.6  # an opening sweep rises slowly, then faster into the drop, as it is played by hand


def cutoff_hz(value: float) -> float:
    """The cutoff of a brightness value 0-127, on a log scale.

    >>> round(cutoff_hz(0)), round(cutoff_hz(127)), round(cutoff_hz(controller_value(CLOSED_HZ)))
    (80, 20000, 497)
    """
    return LOWEST_HZ * (HIGHEST_HZ / LOWEST_HZ) ** (value / 127.0)


def controller_value(hz: float) -> int:
    """The brightness value 0-127 nearest a cutoff."""
    return int(round(127 * math.log(max(LOWEST_HZ, min(HIGHEST_HZ, hz)) / LOWEST_HZ) / math.log(HIGHEST_HZ / LOWEST_HZ)))


def filter_curve(sections: list[Section], genre: str, bar_beats: float) -> list[tuple[float, int]]:
    """Breakpoints (beat, brightness 0-127) of the song's filter, in order; empty when no section
    filters. Between breakpoints the value moves in a straight line; two at one beat are a jump."""
    modes = [texture(genre, s.name).filter for s in sections]
    if all(mode == "open" for mode in modes):
        return []
    closed = controller_value(CLOSED_HZ)
    points: list[tuple[float, int]] = []
    for section, mode in zip(sections, modes):
        start, end = section.start_bar * bar_beats, section.end_bar * bar_beats
        if mode == "opening":
            steps = max(1, int(round((end - start) * PPQ / SWEEP_STEP)))
            points += [(start + (end - start) * i / steps,
                        int(round(closed + (127 - closed) * (i / steps) ** SWEEP_CURVE))) for i in range(steps + 1)]
        else:
            value = closed if mode == "closed" else 127
            points += [(start, value), (end, value)]
    return _thinned(points)


def _thinned(points: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """The same curve without the middle of any run of three equal values."""
    kept: list[tuple[float, int]] = []
    for i, (beat, value) in enumerate(points):
        if 0 < i < len(points) - 1 and points[i - 1][1] == value == points[i + 1][1]:
            continue
        kept.append((beat, value))
    return kept


def with_filter(part: PlayedPart, curve: list[tuple[float, int]]) -> PlayedPart:
    """`part` with the filter curve written as brightness controls (only where the value changes,
    and a jump as a single control), if it is a part the filter plays on."""
    if not curve or part.name not in FILTERED_PARTS:
        return part
    controls: list[Control] = []
    for beat, value in curve:
        if controls and controls[-1].value == value:
            continue
        tick = int(round(beat * PPQ))
        if controls and controls[-1].tick == tick:
            controls[-1] = Control(tick, BRIGHTNESS, value)
        else:
            controls.append(Control(tick, BRIGHTNESS, value))
    part.controls = sorted([*part.controls, *controls], key=lambda c: (c.tick, c.number))
    return part


def riser_spans(sections: list[Section], genre: str, bar_beats: float) -> list[tuple[float, float]]:
    """(first beat, last beat) of every section whose kind has a riser."""
    return spans_where(sections, genre, bar_beats, lambda kind: kind.riser)


def automate(perf: Performance, sections: list[Section], genre: str, bar_beats: float) -> Performance:
    """`perf` with the song's filter moves on its synths and its risers' spans, in place."""
    curve = filter_curve(sections, genre, bar_beats)
    perf.parts = [with_filter(part, curve) for part in perf.parts]
    perf.risers = [(int(round(a * PPQ)), int(round(b * PPQ))) for a, b in riser_spans(sections, genre, bar_beats)]
    return perf
