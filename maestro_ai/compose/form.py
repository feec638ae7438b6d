"""Song forms as the genre's songs have them (data/forms.toml), fitted to the song's length.

A genre lists a few forms; the seed picks one. A form is a list of section kinds with lengths in
bars; fitting it to a song repeats its middle block when the song is long, drops its optional
sections when it is short, then moves section lengths in steps of four bars until they fill the
song exactly. Each kind says who plays in it (`Texture`): a breakdown has no drums and no bass, a
build rolls a snare into the drop, an intro leaves the melody out.

>>> forms = genre_forms("house")
>>> [(s.name, s.bars) for s in fit_form(forms.forms[0], 64, energy=0.6)]
[('intro', 8), ('build', 8), ('drop', 12), ('breakdown', 8), ('build', 8), ('drop', 12), ('outro', 8)]
>>> texture("house", "breakdown").drums, texture("house", "breakdown").bass
('none', 'off')
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from functools import cache

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.score import Section
from maestro_ai.prompt.presets import read_data

MELODY_MODES = ("on", "off", "solo")
PART_MODES = ("on", "held", "off")
BASS_MODES = (*PART_MODES, "pedal")  # pedal: the key's tonic held under changing chords
HARMONY_MODES = (*PART_MODES, "ostinato")  # ostinato: driving eighths through each chord (strings in a film)
DRUM_MODES = ("full", "kick", "sparse", "half", "build", "trade", "none")
TRADE_BARS = 4  # trading fours: the lead and the band, then the drummer alone
SWITCHES = ("on", "off")
SOLOISTS = ("melody", "harmony", "bass", "counter")  # the parts that can take a solo chorus
FILTER_MODES = ("open", "closed", "opening")  # the synths' low-pass (compose.automation)
ENDINGS = ("ring", "button", "fade")
CHORD_ROLES = ("verse", "chorus", "bridge", "aaba")
FLAGS = ("", "?", "*")  # "?" dropped first when short, "*" repeated as a block when long
LONGEST = 16  # a section grows to at most this many bars; longer songs repeat the block
EDGES = ("intro", "outro", "groove", "interlude", "riff")  # shrink these first
# A generic form for a genre that forms.toml does not know (a preset a user added).
DEFAULT_FORM = ("intro:4", "verse:8*", "chorus:8*", "bridge:8?", "chorus:8", "outro:4")


@dataclass(frozen=True)
class Texture:
    """Who plays in a kind of section, and how (see the header of data/forms.toml)."""

    kind: str
    energy: float
    melody: str = "on"
    harmony: str = "on"
    bass: str = "on"
    drums: str = "full"
    pad: str = "on"
    counter: str = "off"
    returns: bool = False
    lift: float = 0.0  # energy added each time the kind comes back
    chords: str = "verse"  # which of the song's progressions it plays: verse, chorus or bridge
    breath: int = 4  # the lead rests in the fourth bar of every `breath` bars (0: never)
    fresh: bool = False  # the lead's line is written anew each time the kind comes back (a rap verse)
    echo: int = 2  # how many bars of each four-bar line repeat an earlier line over the same chords
    filter: str = "open"  # the synths' low-pass: open, closed, or opening through the section
    riser: bool = False  # a noise riser sweeps up under the section into the next
    doubled: bool = False  # the counter's player doubles the melody at the octave (compose.doubling)


@dataclass(frozen=True)
class FormItem:
    """One section of a form before fitting: its kind, its bars, and its flag ('', '?', '*')."""

    kind: str
    bars: int
    flag: str = ""


@dataclass(frozen=True)
class GenreForms:
    """A genre's forms, how its songs end, and its section kinds."""

    forms: tuple[tuple[FormItem, ...], ...]
    ending: str
    unit: int
    kinds: dict[str, Texture]
    why: tuple[str, ...] = ()
    soloists: tuple[str, ...] = ("melody",)  # who takes each solo section in turn
    key_lifts: tuple[int, ...] = ()  # per form: semitones the last chorus moves up (compose.modulation)

    def describe(self, index: int) -> str:
        """A form as text: 'intro:4 verse:8* ...'."""
        return " ".join(f"{i.kind}:{i.bars}{i.flag}" for i in self.forms[index])


def _bad(problem: str) -> InvalidRequest:
    return InvalidRequest(f"data/forms.toml is invalid: {problem}")


def _texture(kind: str, table: dict, base: Texture | None = None) -> Texture:
    if unknown := set(table) - ({f.name for f in fields(Texture)} - {"kind"}):
        raise _bad(f"kind {kind!r} has unknown fields {sorted(unknown)}")
    texture = replace(base, **table) if base else Texture(kind, **table)
    checks = ((texture.melody, MELODY_MODES, "melody"), (texture.harmony, HARMONY_MODES, "harmony"),
              (texture.bass, BASS_MODES, "bass"), (texture.drums, DRUM_MODES, "drums"),
              (texture.pad, SWITCHES, "pad"), (texture.counter, SWITCHES, "counter"),
              (texture.chords, CHORD_ROLES, "chords"), (texture.filter, FILTER_MODES, "filter"))
    for value, allowed, name in checks:
        if value not in allowed:
            raise _bad(f"kind {kind!r}: {name} {value!r} is not one of {', '.join(allowed)}")
    if not 0.0 <= float(texture.energy) <= 1.0:
        raise _bad(f"kind {kind!r}: energy must lie in 0-1")
    if texture.breath not in (0, 4, 8):
        raise _bad(f"kind {kind!r}: breath must be 0, 4 or 8 bars")
    if not 0 <= texture.echo <= 3:
        raise _bad(f"kind {kind!r}: echo must be 0-3 bars of a four-bar line")
    return texture


@cache
def base_kinds() -> dict[str, Texture]:
    """Every section kind as forms.toml's [kinds] table defines it."""
    return {kind: _texture(kind, table) for kind, table in read_data("forms.toml")["kinds"].items()}


def _item(text: str, kinds: dict[str, Texture], unit: int) -> FormItem:
    flag = text[-1] if text[-1] in FLAGS[1:] else ""
    kind, _, bars = text.rstrip("".join(FLAGS)).partition(":")
    if kind not in kinds:
        raise _bad(f"form section {text!r}: unknown kind {kind!r}")
    if not bars.isdigit() or int(bars) < unit or int(bars) % unit:
        raise _bad(f"form section {text!r}: bars must be a multiple of {unit}")
    return FormItem(kind, int(bars), flag)


@cache
def genre_forms(genre: str) -> GenreForms:
    """The forms, ending and section kinds of `genre` (a default form for a genre forms.toml lacks)."""
    table = read_data("forms.toml").get(genre, {})
    unit = int(table.get("unit", 4))
    kinds = dict(base_kinds())
    for kind, changes in table.get("kinds", {}).items():
        if kind not in kinds:
            raise _bad(f"{genre}: changes unknown kind {kind!r}")
        kinds[kind] = _texture(kind, changes, kinds[kind])
    forms = tuple(tuple(_item(t, kinds, unit) for t in form) for form in table.get("forms", [DEFAULT_FORM]))
    ending = table.get("ending", "ring")
    if ending not in ENDINGS:
        raise _bad(f"{genre}: ending {ending!r} is not one of {', '.join(ENDINGS)}")
    if not forms or any(not form for form in forms):
        raise _bad(f"{genre}: needs at least one form with sections")
    why = tuple(str(w) for w in table.get("why", ["verse and chorus, a bridge, the last chorus"]))
    if len(why) != len(forms):
        raise _bad(f"{genre}: `why` needs one line for each of its {len(forms)} forms")
    soloists = tuple(str(p) for p in table.get("soloists", ["melody"]))
    if not soloists or set(soloists) - set(SOLOISTS):
        raise _bad(f"[{genre}] soloists must be some of {', '.join(SOLOISTS)}")
    key_lifts = tuple(int(n) for n in table.get("key_lift", []))
    if key_lifts and (len(key_lifts) != len(forms) or not all(0 <= n <= 2 for n in key_lifts)):
        raise _bad(f"{genre}: `key_lift` needs one value of 0-2 semitones for each of its {len(forms)} forms")
    return GenreForms(forms, ending, unit, kinds, why, soloists, key_lifts)


def explain(genre: str, index: int | None, sections: list[Section], key_change: dict | None = None) -> dict:
    """The form as track.json tells it: the template, why the genre uses it, how it was fitted
    (the sections as played), how the song ends, and its key change if it has one.

    >>> explain("pop", 1, plan_form(40, 0.5, "pop", index=1))["played"]
    'intro:4 verse:8 chorus:8 bridge:8 chorus:8 outro:4'
    """
    forms = genre_forms(genre)
    played = " ".join(f"{s.name}:{s.bars}" for s in sections)
    if index is None:  # sections given from outside (an extension): no template to name
        return {"played": played, "ending": forms.ending}
    return {"template": forms.describe(index), "why": forms.why[index], "played": played, "ending": forms.ending,
            "choices": len(forms.forms), **({"key_change": key_change} if key_change else {})}


def texture(genre: str, kind: str) -> Texture:
    """Who plays in a section called `kind` in `genre` (an unknown name plays like a verse)."""
    kinds = genre_forms(genre).kinds
    return kinds[kind] if kind in kinds else replace(kinds["verse"], kind=kind)


def spans_where(sections: list[Section], genre: str, bar_beats: float,
                wanted: Callable[[Texture], bool]) -> list[tuple[float, float]]:
    """(first beat, end beat) of every section whose kind is `wanted`.

    >>> spans_where([Section("verse", 0, 4, .5), Section("build", 4, 4, .6)], "house", 4.0, lambda k: k.riser)
    [(16.0, 32.0)]
    """
    return [(s.start_bar * bar_beats, s.end_bar * bar_beats) for s in sections if wanted(texture(genre, s.name))]


def drum_break(sections: list[Section], genre: str, bar: int) -> bool:
    """Whether `bar` is one the drummer takes alone: every second four bars of a section whose
    drums trade fours.

    >>> song = [Section("head", 0, 8, .6), Section("trade", 8, 16, .8)]
    >>> [b for b in range(24) if drum_break(song, "jazz", b)]
    [12, 13, 14, 15, 20, 21, 22, 23]
    """
    section = next((s for s in sections if s.start_bar <= bar < s.end_bar), None)
    if section is None or texture(genre, section.name).drums != "trade":
        return False
    return (bar - section.start_bar) // TRADE_BARS % 2 == 1


def section_energy(kind: Texture, overall: float, repeat: int = 0) -> float:
    """Energy 0-1 of a section: its kind's energy scaled by the song's, lifted by the kind's `lift`
    each time it comes back.

    >>> chorus = texture("pop", "chorus")
    >>> section_energy(chorus, 0.5, repeat=2) > section_energy(chorus, 0.5)
    True
    """
    value = kind.energy * (0.6 + 0.8 * overall) + kind.lift * repeat
    return round(min(1.0, max(0.05, value)), 3)


def choose_form(genre: str, seed: int, opens_with_verse: bool = False, turn: int = 0) -> int:
    """Which of the genre's forms a song takes (an index into `genre_forms(genre).forms`): seed
    after seed goes through them in turn, so nearby seeds sound different; with `opens_with_verse`
    (a song on the user's melody or chords, which the verses play) one whose lead enters in a
    verse where the genre has such forms; `turn` moves on to the next form that many times
    (new-form).

    >>> [choose_form("house", seed) for seed in range(4)]
    [0, 1, 2, 0]
    """
    forms = genre_forms(genre)
    choices = list(range(len(forms.forms)))
    if opens_with_verse:
        first = [next((i.kind for i in form if texture(genre, i.kind).melody == "on"), "") for form in forms.forms]
        choices = [n for n in choices if first[n] == "verse"] or choices
    return choices[(seed + turn) % len(choices)]


def _weight(items: list[list], n: int, genre: str) -> float:
    """How much a short song needs section `n`: a hook most, then a melodic section, the outro,
    the intro, then the rest; a kind heard before counts much less."""
    kind = items[n][0]
    kind_texture = texture(genre, kind)
    weight = (4 if kind_texture.returns else 3 if kind_texture.melody != "off" else
              {"outro": 2.5, "intro": 2}.get(kind, 0))
    return weight - 2.5 * any(i[0] == kind for i in items[:n])


def fit_form(form: tuple[FormItem, ...], total_bars: int, energy: float, genre: str = "",
             unit: int = 4) -> list[Section]:
    """The form's sections filling `total_bars` (a multiple of `unit`; a song shorter than two
    units is one verse)."""
    if total_bars < 2 * unit:
        return [Section("verse", 0, max(1, total_bars), section_energy(texture(genre, "verse"), energy))]
    items = [[i.kind, i.bars, i.flag] for i in form]
    block = [list(i) for i in items if i[2] == "*"]
    size = lambda: sum(i[1] for i in items)  # noqa: E731
    if block:
        end = max(n for n, i in enumerate(items) if i[2] == "*") + 1
        copies = max(1, total_bars // size())  # the block comes back once per form's length of song
        while size() + sum(i[1] for i in block) <= total_bars and copies:
            copies -= 1
            items[end:end] = [[k, b, "+"] for k, b, _ in block]
            end += len(block)
    while size() > total_bars and any(i[2] == "?" for i in items):
        items.pop(max(n for n, i in enumerate(items) if i[2] == "?"))
    written = [b for _, b, _ in items]
    ratio = total_bars / size()

    def excess(n: int) -> float:
        """How far a section is over its share of the song (edges give way first, hooks last)."""
        kind, bars, _ = items[n]
        return bars - written[n] * ratio + unit / 2 * ((kind in EDGES) - texture(genre, kind).returns)

    while size() != total_bars:
        if size() > total_bars:
            shrinkable = [n for n, i in enumerate(items) if i[1] > unit]
            if shrinkable:
                items[max(shrinkable, key=lambda n: (excess(n), n))][1] -= unit
            else:  # every section at its shortest: leave out the one the song misses least
                n = min(range(len(items)), key=lambda n: (_weight(items, n, genre), -n))
                items.pop(n)
                written.pop(n)
            continue
        growable = [n for n, i in enumerate(items) if i[1] < LONGEST]
        if growable:
            items[min(growable, key=lambda n: (excess(n), n))][1] += unit
        else:  # every section at its longest: the block (or the middle section) once more
            where = max((n for n, i in enumerate(items) if i[2] in ("*", "+")), default=len(items) // 2)
            more = [[k, unit, "+"] for k, _, _ in block] or [[items[where][0], unit, "+"]]
            items[where + 1:where + 1] = more
            written[where + 1:where + 1] = [unit] * len(more)
    sections, start, seen = [], 0, {}
    for kind, bars, _ in items:
        seen[kind] = seen.get(kind, -1) + 1
        sections.append(Section(kind, start, bars, section_energy(texture(genre, kind), energy, seen[kind])))
        start += bars
    return sections


def fit_cost(form: tuple[FormItem, ...], total_bars: int, genre: str = "", unit: int = 4) -> int:
    """How far fitting stretches `form` to `total_bars`: bars moved from the written lengths, plus
    a phrase's worth for each section left out (0: the form as written, or whole repeats of it).

    >>> forms = genre_forms("pop").forms[1]
    >>> fit_cost(forms, 56, "pop"), fit_cost(forms, 60, "pop")
    (0, 4)
    """
    fitted = fit_form(form, total_bars, 0.5, genre, unit)
    moved = sum(abs(s.bars - next(i.bars for i in form if i.kind == s.name)) for s in fitted)
    kinds = [s.name for s in fitted]
    missing = sum(kinds.count(i.kind) < sum(j.kind == i.kind for j in form) for i in form if i.flag == "?")
    return moved + 8 * missing


def plan_form(total_bars: int, energy: float, genre: str = "", index: int = 0) -> list[Section]:
    """The sections of a song of `total_bars` bars in `genre` in its form `index`. Bars short of a whole phrase lengthen the last section,
    which holds the ending.

    >>> [(s.name, s.bars) for s in plan_form(42, 0.5, "pop", index=1)]
    [('intro', 4), ('verse', 8), ('chorus', 8), ('bridge', 8), ('chorus', 8), ('outro', 6)]
    """
    forms = genre_forms(genre)
    extra = total_bars % forms.unit if total_bars >= 2 * forms.unit else 0
    sections = fit_form(forms.forms[index], total_bars - extra, energy, genre, forms.unit)
    if extra:
        last = sections[-1]
        sections[-1] = Section(last.name, last.start_bar, last.bars + extra, last.energy)
    return sections


def extended(sections: list[Section], extra_bars: int, genre: str, energy: float) -> list[Section]:
    """`sections` with `extra_bars` more before the last one: the song's middle sections again,
    in order (a verse-chorus song gets another verse and chorus), the last one cut to fit; bars
    that do not fill a phrase lengthen the last section.

    >>> song = [Section("intro", 0, 4, .3), Section("verse", 4, 8, .5), Section("chorus", 12, 8, .8),
    ...         Section("outro", 20, 4, .3)]
    >>> [(s.name, s.bars) for s in extended(song, 18, "pop", 0.5)]
    [('intro', 4), ('verse', 8), ('chorus', 8), ('verse', 8), ('chorus', 8), ('outro', 6)]
    """
    body, last = list(sections[:-1]), sections[-1]
    middle = [s for s in body if s.start_bar > 0] or body or [last]
    start = body[-1].end_bar if body else 0
    seen: dict[str, int] = {}
    for s in body:
        seen[s.name] = seen.get(s.name, -1) + 1
    index, remaining = 0, extra_bars
    while remaining >= 4:
        source = middle[index % len(middle)]
        bars = min(source.bars, remaining - remaining % 4)
        seen[source.name] = seen.get(source.name, -1) + 1
        body.append(Section(source.name, start, bars, section_energy(texture(genre, source.name), energy,
                                                                     seen[source.name])))
        start += bars
        remaining -= bars
        index += 1
    return body + [Section(last.name, start, last.bars + remaining, last.energy)]
