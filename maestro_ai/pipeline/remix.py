"""Licensed remixes and covers of registered works: consent first, lineage kept, splits exact.

A remix is made from songs in the rights registry: a Maestro track folder whose mix the registry
recognises (by its bytes, its Content Credentials or its watermark), or a person's recording that
it recognises, with the MIDI file of what the recording plays (`pipeline.imported.Recording`: it
is covered or restyled, or is the second song of a stem swap or mashup). The artist it is made for
(`artist`) needs, for each song, to own it or to hold a live grant of the kind's scope (a cover
needs `cover`, the song a stem swap takes parts from `sample`, every other `remix`) in the
territory asked; otherwise nothing is made and the error names the grant that is missing.

The split sheet (`splits.json`, and the ledger's `remixed` entry) follows the grants' terms: each
parent's owners keep the share their grant states (`keeps`; `DEFAULT_KEEPS_POINTS` when it says
nothing; all of it when the remixer owns the parent), a mashup's or stem swap's two parents each
carry half of what their grant states, and the remixer gets the rest. A parent that is itself a
remix passes its share on by its own sheet, so the shares compose down the chain, kept as exact
fractions: they add up to exactly 100 %. The remix is then registered as the remixer's work with
its parents' shares fixed (a grant revoked later stops new remixes, not this one).

>>> exact_percent(Fraction(1, 8))
'12.5'
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from maestro_ai.core import limits
from maestro_ai.core.engines import Harmonizer, MelodyEngine
from maestro_ai.core.errors import InvalidRequest, MaestroError
from maestro_ai.core.key import Key
from maestro_ai.core.request import Request
from maestro_ai.core.track import Track
from maestro_ai.pipeline.edits import EDITS, recorded_request, replay, source_request, variation_request
from maestro_ai.pipeline.imported import Recording
from maestro_ai.pipeline.remixes import REMIX_EDITS, parent_record
from maestro_ai.pipeline.request import validate_request
from maestro_ai.pipeline.variation import Variation
from maestro_ai.production.clearance import Clearance, acting_artist, clear, register_work
from maestro_ai.prompt.presets import load_genre
from maestro_ai.rights.registry import PPM, WHOLE, Registry, existing_registry
from maestro_ai.royalties.catalog import lineage, read_rows, registry_rows

KINDS = ("cover", "restyle", "stem-swap", "tempo", "key", "extend", "mashup")
TWO_SONGS = ("stem-swap", "mashup")
RECORDING_FORMATS = ("wav", "mp3")  # a recording's remix, when no formats are asked for: MusicGenerator's default
FROM_RECORDINGS = ("cover", "restyle")  # the kinds whose first song may be a recording (its MIDI has no request to remake)
DEFAULT_KEEPS_POINTS = 5000  # what a parent's owners keep when their grant does not say: half
NEW = "new"  # the remix's own id in the split sheet's reckoning, before the registry gives it one


@dataclass(frozen=True)
class Remix:
    """A remix ready to make: its request and variation, and what registering it will record."""

    request: Request
    variation: Variation
    artist: str
    parents: list[tuple[int, int, int | None]]  # (work, parts per million it carries, grant)


def exact_percent(share: Fraction) -> str:
    """A share as an exact percent (shares here are basis points and parts per million, so their
    products always end)."""
    value = Decimal(share.numerator * 100) / Decimal(share.denominator)
    return format(value.normalize(), "f")


def split_sheet(registry: Registry, artist: str, cleared: list[Clearance]) -> tuple[dict, list[tuple[int, int, int | None]]]:
    """The remix's split sheet, and its parents as the registry will record them."""
    links, terms = [], []
    for c in cleared:
        grant = c.permission.grant_id if c.permission else None
        keeps = WHOLE if grant is None else (c.permission.keeps_points if c.permission.keeps_points is not None
                                             else DEFAULT_KEEPS_POINTS)
        ppm = keeps * (PPM // WHOLE) // len(cleared)
        links.append((c.match.work_id, ppm, grant))
        terms.append({"work": c.match.work_id, "title": c.match.title, "owner": c.match.owner, "grant": grant,
                      "terms": "owner" if grant is None else "grant" if c.permission.keeps_points is not None else "default",
                      "keeps_percent": exact_percent(Fraction(keeps, WHOLE)), "carries_percent": exact_percent(Fraction(ppm, PPM))})
    works = registry.ancestry([w for w, _, _ in links])
    titles = {str(w["id"]): w["title"] for w in works}
    new = {"id": NEW, "owner": artist, "shares": {artist: WHOLE},
           "parents": [{"work": w, "ppm": ppm, "grant": g} for w, ppm, g in links]}
    payees = lineage(read_rows(registry_rows([*works, new])))[NEW]
    holders = [{"holder": holder, "percent": exact_percent(share),
                "through": [f"work {w} ({titles[w]!r})" for w in path.split(" > ")] if path else []}
               for (holder, path), share in sorted(payees.items(), key=lambda item: (-item[1], item[0]))]
    total = sum(payees.values())
    if total != 1:  # the catalogue's shares are checked to sum to one; this cannot happen unless that breaks
        raise AssertionError(f"a split sheet adds up to {float(total) * 100} %")
    return {"remixer": artist, "parents": terms, "holders": holders, "total_percent": exact_percent(total)}, links


def prepare(sources: list[Track | Recording], kind: str, *, genre: str | None, mood: str | None, options: dict,
            output_dir: Path | str, force: bool, artist: str | None, territory: str, seed: int | None,
            formats: tuple[str, ...] | None, quality: str | None, harmonizer: Harmonizer,
            melody_engine: MelodyEngine | None, registry: Registry | None = None) -> Remix:
    """Check a remix and its consent without making it (MaestroError when it is refused)."""
    if kind not in KINDS:
        raise InvalidRequest(f"unknown remix kind {kind!r}; valid: {', '.join(KINDS)}")
    wanted = 2 if kind in TWO_SONGS else 1
    if len(sources) != wanted:
        raise InvalidRequest(f"a {kind} is made from {'two songs' if wanted == 2 else 'one song'}, not {len(sources)}",
                             shell=f"a {kind} is made from {'two songs: give the second with --with' if wanted == 2 else 'one song'}")
    if isinstance(sources[0], Recording) and kind not in FROM_RECORDINGS:
        raise InvalidRequest(f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} starts from a Maestro track folder; a recording "
                             "with its MIDI is covered or restyled" + (", or given as the second song" if kind in TWO_SONGS else ""))
    first = sources[0]
    if isinstance(first, Recording) and kind == "cover" and not first.score.part("melody").notes:
        raise InvalidRequest(f"the MIDI file of {first.title!r} has no melody to cover (only drums or bass); restyle it instead")
    if isinstance(first, Recording) and kind == "restyle" and not limits.TEMPO_BPM[0] <= first.tempo <= limits.TEMPO_BPM[1]:
        low, high = limits.TEMPO_BPM
        raise InvalidRequest(f"the MIDI file's own tempo, {first.tempo:g} BPM, is outside {low:g}-{high:g} BPM, and a restyle "
                             "keeps it: cover it at a tempo instead")
    if isinstance(sources[0], Recording) and genre is None:
        raise InvalidRequest(f"a recording has no genre of its own: give the {kind}'s genre",
                             shell=f"a recording has no genre of its own: give the {kind}'s --genre")
    artist = acting_artist(artist)
    registry = registry or existing_registry()
    if registry is None:
        raise InvalidRequest("there is no rights registry yet: a remix is made from registered works "
                             "(maestro rights work add MIX --owner NAME)")
    roles = ["covered"] if kind == "cover" else ["parent", "sampled" if kind == "stem-swap" else "parent"]
    cleared = [_cleared(track, role, artist, registry, territory) for track, role in zip(sources, roles, strict=False)]
    splits, links = split_sheet(registry, artist, cleared)
    sources = [replace(s, owner=c.match.owner, name=c.match.title or s.name) if isinstance(s, Recording) else s
               for s, c in zip(sources, cleared, strict=True)]  # a recording known by its registered work
    for source in sources:  # consent was asked of the recording's owners: the music must be the recording's
        if isinstance(source, Recording):
            source.check_matches()
    first = sources[0]
    if (genre is not None or mood is not None) and kind not in ("cover", "restyle"):
        raise InvalidRequest(f"a {kind} plays in the first song's genre and mood; give no genre or mood",
                             shell=f"a {kind} plays in the first song's genre and mood; drop --genre and --mood")
    if kind in EDITS:  # tempo, key, extend: the variations of `maestro vary`, asked for as a remix
        request, variation = variation_request(first, kind, output_dir, force, options, harmonizer, artist, cleared[0])
    else:
        request, variation = _remixed(sources, kind, genre, mood, options, output_dir, force, seed, formats, quality,
                                      harmonizer, melody_engine)
        variation.parents = [t.mix_path for t in sources]
        request = replace(request, inputs=(*request.inputs, *cleared))
    variation.splits = splits | {"kind": kind, "territory": territory}
    return Remix(request, variation, artist, links)


def _cleared(track: Track | Recording, role: str, artist: str, registry: Registry, territory: str) -> Clearance:
    mix = track.mix_path
    if mix is None or not mix.is_file():
        raise InvalidRequest(f"{track.title!r} has no mix in its folder to recognise it by; give the track folder")
    found = clear(mix, role, artist, registry, territory)
    if found.match is None:
        raise InvalidRequest(f"{track.title!r} is not a registered work; its owner registers it first: "
                             f"maestro rights work add {mix} --owner NAME")
    return found


def _remixed(sources: list[Track | Recording], kind: str, genre: str | None, mood: str | None, options: dict, output_dir: Path | str,
             force: bool, seed: int | None, formats: tuple[str, ...] | None, quality: str | None, harmonizer: Harmonizer,
             melody_engine: MelodyEngine | None) -> tuple[Request, Variation]:
    first = sources[0]
    records = [parent_record(t) for t in sources]
    allowed = set(REMIX_EDITS[kind].option_names)
    if unknown := sorted(set(options) - allowed):
        raise InvalidRequest(f"a {kind} takes {', '.join(sorted(allowed)) or 'no options'}, not {', '.join(unknown)}")
    if kind in TWO_SONGS:  # the first song's request, remade as the remix
        request = source_request(first, output_dir, force)
        request = replace(request, seed=request.seed if seed is None else seed, formats=formats or request.formats)
        edit = REMIX_EDITS[kind]({"parent": records[0], "other": records[1], **options})
    else:
        if isinstance(first, Recording):  # no request of its own: no phrases or lyrics, the default formats and quality
            genre, mood, phrases, lyrics = genre, mood or first.mood, [], None
            formats, quality = formats or RECORDING_FORMATS, quality or "studio"
        else:
            base = recorded_request(records[0]["request"], None, output_dir, force)
            genre, mood, phrases = genre or first.request["genre"], mood or first.request["mood"], list(base.phrases)
            lyrics, formats, quality = base.lyrics, formats or base.formats, quality or base.quality
        low, high = load_genre(genre).tempo_range
        tempo = options.get("tempo_bpm", min(max(first.tempo, low), high) if kind == "cover" else first.tempo)
        key = str(Key.parse(options["key"])) if options.get("key") is not None else str(first.key)
        data = {"key_phrases": phrases, "tempo_bpm": tempo, "key": key,
                "time_signature": str(first.time_signature)} | ({"lyrics": lyrics} if lyrics else {})
        request = validate_request(genre, mood, data, duration_seconds=first.duration_seconds,
                                   seed=first.seed if seed is None else seed, output_dir=output_dir,
                                   formats=formats, force=force, quality=quality)
        checked = {"parent": records[0]} | ({"tempo_bpm": request.tempo_bpm, "key": str(request.key)} if kind == "cover"
                                            else {"keep": options.get("keep") or []})
        edit = REMIX_EDITS[kind](REMIX_EDITS[kind].check(checked))
    edit.label = REMIX_EDITS[kind].describe(edit.options, 1)
    return request, replay(request, [edit], first.title, harmonizer, melody_engine)


def register(registry: Registry | None, remix: Remix, track: Track) -> int:
    """Register a made remix as its remixer's work, its parents' shares fixed; its work id."""
    registry = registry or existing_registry()
    try:
        work = register_work(registry, track.mix_path, title=track.title, owner=remix.artist, acting=remix.artist,
                             parents=remix.parents)
    except MaestroError as exc:
        raise InvalidRequest(f"the remix is in {track.folder}, but registering it failed: {exc}") from None
    return work.id

