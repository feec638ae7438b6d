"""Instruments and orchestras, loaded from maestro_ai/data/instruments.toml and orchestras.toml and
checked: who plays each part of a genre at studio quality, for a mood.

>>> band = orchestra("jazz", "peaceful")
>>> band["drums"].id, band["melody"].range
('brush-kit', (44, 75))
"""
from __future__ import annotations

from functools import cache

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.instrument import EXPRESSIONS, VOICINGS, Content, Instrument, Source
from maestro_ai.core.style import Genre
from maestro_ai.prompt.presets import all_genres, all_moods, read_data


def _bad(name: str, problem: str) -> InvalidRequest:
    return InvalidRequest(f"instrument {name!r} in instruments.toml is invalid: {problem}")


def parse_source(text: str, content: dict[str, Content], where: str) -> Source:
    """'soundfont:CONTENT:BANK:PRESET' or 'synth:VOICE'.

    >>> parse_source("synth:808-bass", {}, "x")
    Source(engine='synth', content='808-bass', bank=0, preset=0)
    """
    fields = str(text).split(":")
    if fields[0] == "synth" and len(fields) == 2 and fields[1]:
        return Source("synth", fields[1])
    if fields[0] == "soundfont" and len(fields) == 4 and fields[1] in content:
        try:
            bank, preset = int(fields[2]), int(fields[3])
        except ValueError:
            raise _bad(where, f"source {text!r}: bank and preset must be numbers, as in soundfont:CONTENT:BANK:PRESET") from None
        if 0 <= bank <= 128 and 0 <= preset <= 127:
            return Source("soundfont", fields[1], bank, preset)
    raise _bad(where, f"source {text!r}: use 'soundfont:CONTENT:BANK:PRESET' (CONTENT one of "
                      f"{sorted(content)}) or 'synth:VOICE'")


@cache
def all_content() -> dict[str, Content]:
    """Every sound content package Maestro knows, by id."""
    tables = read_data("instruments.toml")["content"]
    return {cid: Content(cid, t["name"], tuple(t["files"]), t["licence"], t["package"]) for cid, t in tables.items()}


@cache
def all_instruments() -> dict[str, Instrument]:
    """Every instrument by id."""
    content = all_content()
    out = {}
    for iid, t in read_data("instruments.toml").items():
        if iid == "content":
            continue
        try:
            kit = bool(t.get("kit", False))
            low, high = (0, 127) if kit else (int(t["range"][0]), int(t["range"][1]))
            vlow, vhigh = (int(v) for v in t.get("velocity", (1, 127)))
            instrument = Instrument(
                iid, str(t["name"]), int(t["gm"]), (low, high),
                tuple(parse_source(s, content, iid) for s in t["sources"]),
                frozenset(t.get("expression", ())), (vlow, vhigh), kit,
                {int(note): parse_source(s, content, iid) for note, s in t.get("voices", {}).items()},
                str(t.get("voicing", "")), {int(n): float(db) for n, db in t.get("levels", {}).items()},
                parse_source(t["palm_mute"], content, iid) if "palm_mute" in t else None)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise _bad(iid, f"missing or malformed field {exc}") from None
        if not 0 <= low < high <= 127 or not 1 <= vlow < vhigh <= 127 or not 0 <= instrument.gm <= 127:
            raise _bad(iid, "range, velocity and gm must be MIDI numbers, low before high")
        if unknown := sorted(instrument.expression - EXPRESSIONS):
            raise _bad(iid, f"unknown expression {unknown}; use some of {sorted(EXPRESSIONS)}")
        if instrument.voicing not in VOICINGS:
            raise _bad(iid, f"unknown voicing {instrument.voicing!r}; use one of {sorted(VOICINGS - {''})}")
        if not instrument.sources:
            raise _bad(iid, "no sources")
        out[iid] = instrument
    return out


@cache
def _orchestras() -> dict[str, dict]:
    tables = read_data("orchestras.toml")
    instruments = all_instruments()
    for genre_name, table in tables.items():
        if genre_name not in all_genres():
            raise InvalidRequest(f"orchestras.toml names an unknown genre {genre_name!r}")
        genre = all_genres()[genre_name]
        for scope in (table, *table.get("moods", {}).values(), *table.get("choices", [])):
            for part, iid in scope.items():
                if part in ("moods", "choices"):
                    continue
                if part not in genre.instruments or iid not in instruments:
                    raise InvalidRequest(f"orchestras.toml [{genre_name}]: {part} = {iid!r} is not a part of the "
                                         f"genre with a known instrument")
                if instruments[iid].kit != (part == "drums"):
                    raise InvalidRequest(f"orchestras.toml [{genre_name}]: the drums, and only they, play a kit")
        if unknown := sorted(set(table.get("moods", {})) - set(all_moods())):
            raise InvalidRequest(f"orchestras.toml [{genre_name}] names unknown moods {unknown}")
        if missing := [p for p in genre.instruments if p not in table]:
            raise InvalidRequest(f"orchestras.toml [{genre_name}]: no instrument for {missing}")
    return tables


def orchestra_choices(genre: str | Genre) -> int:
    """How many instrument sets the genre offers: its own, and each of its `choices`."""
    name = genre.name if isinstance(genre, Genre) else genre
    return 1 + len(_orchestras().get(name, {}).get("choices", []))


def orchestra_choice(genre: str | Genre, seed: int) -> int:
    """The instrument set a seed plays: seed after seed goes through the genre's sets, shifted by
    one each round so that they meet the genre's forms (also taken in turn) in new pairs.

    >>> [orchestra_choice("pop", seed) for seed in range(1, 7)]
    [1, 2, 1, 2, 0, 2]
    """
    count = orchestra_choices(genre)
    return (seed + seed // count) % count


def orchestra(genre: str | Genre, mood: str, choice: int = 0) -> dict[str, Instrument]:
    """Each part of the genre's arrangement and the instrument that plays it, for a mood: the
    genre's own set (`choice` 0) or one of its `choices` (1, 2 ...), which change some parts."""
    name = genre.name if isinstance(genre, Genre) else genre
    table = _orchestras().get(name)
    if table is None:
        raise InvalidRequest(f"no studio orchestra for genre {name!r} (add it to orchestras.toml)")
    chosen = {part: iid for part, iid in table.items() if part not in ("moods", "choices")}
    if choice:
        chosen.update(table.get("choices", [])[choice - 1])
    chosen.update(table.get("moods", {}).get(mood, {}))
    instruments = all_instruments()
    return {part: instruments[iid] for part, iid in chosen.items()}
