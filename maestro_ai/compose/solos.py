"""Solo choruses passed round the band: the horn takes the first, then the piano, then the bass, as
a jazz combo's set goes (data/forms.toml `soloists`).

The melody engine writes every solo chorus as a line; a chorus another player takes is moved
from the lead to that player, into its register. The pianist solos with the right hand while the
left hand keeps comping (the comp's voices below middle C stay); under a bass solo the walking
line gives way to the solo, and the band keeps time around it.

>>> from maestro_ai.core.score import Note, Section
>>> form = [Section("head", 0, 8, .6), Section("solo", 8, 8, .8), Section("solo", 16, 8, .8),
...         Section("head", 24, 8, .6)]
>>> soloists(form, "jazz")
{1: 'melody', 2: 'harmony'}
>>> band = {"melody": [Note(70, 32.0, 1.0), Note(72, 64.0, 1.0)], "harmony": [Note(50, 64.0, 2.0), Note(64, 64.0, 2.0)],
...         "bass": [Note(40, 64.0, 1.0)]}
>>> out = pass_solos(band, form, "jazz", 4.0)
>>> [n.pitch for n in out["melody"]], sorted(n.pitch for n in out["harmony"])
([70], [50, 72])
"""
from __future__ import annotations

from maestro_ai.compose.form import genre_forms, texture
from maestro_ai.compose.ranges import octave_shift
from maestro_ai.core.score import Note, Section

# Where each player's solo line sits (the octave that keeps most of it inside): a piano's right
# hand above middle C, a bass solo in the instrument's upper middle, where it sings and still
# sounds like a bass.
SOLO_REGISTER = {"harmony": (60, 88), "bass": (40, 60), "counter": (60, 84)}
LEFT_HAND_TOP = 60  # the comp's voices below this keep playing under a piano solo


def soloists(sections: list[Section], genre: str) -> dict[int, str]:
    """Which part takes each solo section (by index in `sections`): the genre's soloists in turn."""
    order = genre_forms(genre).soloists
    taken: dict[int, str] = {}
    for i, section in enumerate(sections):
        if texture(genre, section.name).melody == "solo":
            taken[i] = order[len(taken) % len(order)]
    return taken


def _handed_over(parts: dict[str, list[Note]], sections: list[Section], genre: str,
                 bar_beats: float) -> list[tuple[str, float, float]]:
    """(player, first beat, end beat) of every solo chorus a part other than the lead takes."""
    return [(player, sections[i].start_bar * bar_beats, sections[i].end_bar * bar_beats)
            for i, player in soloists(sections, genre).items() if player != "melody" and player in parts]


def pass_solos(parts: dict[str, list[Note]], sections: list[Section], genre: str,
               bar_beats: float) -> dict[str, list[Note]]:
    """`parts` with each solo chorus moved from the lead to the player whose turn it is."""
    for player, start, end in _handed_over(parts, sections, genre, bar_beats):
        line = [n for n in parts["melody"] if start <= n.start < end]
        if not line:
            continue
        parts["melody"] = [n for n in parts["melody"] if not start <= n.start < end]
        shift = octave_shift([n.pitch for n in line], *SOLO_REGISTER[player])
        moved = [n.moved(shift) for n in line]
        if player == "harmony":  # the right hand stays above the left: `solo_lines` tells them apart
            moved = [n.moved(12 * -(-(LEFT_HAND_TOP - n.pitch) // 12)) if n.pitch < LEFT_HAND_TOP else n for n in moved]
        parts[player] = [n for n in parts[player] if not _is_solo(n, player, start, end)] + moved
    return parts


def _is_solo(note: Note, player: str, start: float, end: float) -> bool:
    """Whether a note of `player` inside a chorus it solos in belongs to the solo (a pianist's left
    hand does not)."""
    return start <= note.start < end and (player != "harmony" or note.pitch >= LEFT_HAND_TOP)


def solo_lines(parts: dict[str, list[Note]], sections: list[Section], genre: str,
               bar_beats: float) -> tuple[dict[str, list[Note]], list[Note]]:
    """(the parts without the solo choruses other players took, the notes of those choruses):
    what `pass_solos` did, undone, so that an edit can rewrite the lead or the chords under it and
    pass the solos round again."""
    parts, taken = dict(parts), []
    for player, start, end in _handed_over(parts, sections, genre, bar_beats):
        taken += [n for n in parts[player] if _is_solo(n, player, start, end)]
        parts[player] = [n for n in parts[player] if not _is_solo(n, player, start, end)]
    return parts, sorted(taken, key=lambda n: (n.start, n.pitch))
