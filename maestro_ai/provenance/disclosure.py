"""A song's AI disclosure, as the industry asks for it: whether the track contains AI (all or
partly), which parts (composition, lyrics, instrumentation, vocals, post-production) were made by
AI, by a person or by both ("Human + AI"), and per contributor what they did, human or AI, with
model and version. track.json keeps it under `credits.ai`; the Content Credentials carry it and
`maestro verify` prints it.

A person's prompt (genre, mood, phrases) steers the song but is not material of theirs in it;
a melody they gave, their lyrics, or their registered voice is.

>>> parts = {"composition": part("AI", ai="maestro-composer 1"), "lyrics": part("Human", human="Ada")}
>>> summary(parts, [])["contains_ai"]
'partly'
"""
from __future__ import annotations

from maestro_ai.core.engines import MelodyEngine
from maestro_ai.core.request import Request
from maestro_ai.core.score import RAP_PART, VOCAL_PART, Score
from maestro_ai.core.version import __version__

HYBRID = "Human + AI"


def part(by: str, *, human: str | None = None, ai: str | None = None, what: str | None = None) -> dict:
    """One part's credit: made by "AI", "Human" or "Human + AI", by whom and with what."""
    return {"by": by, **({"human": human} if human else {}), **({"ai": ai} if ai else {}),
            **({"what": what} if what else {})}


def summary(parts: dict[str, dict], contributors: list[dict]) -> dict:
    """The disclosure: `contains_ai` ("all", "partly" or "none"), the parts, the contributors."""
    makers = {p["by"] for p in parts.values()}
    contains = "none" if makers == {"Human"} else "all" if makers == {"AI"} else "partly"
    return {"contains_ai": contains, "parts": parts, "contributors": contributors}


def disclose(request: Request, score: Score, engine: MelodyEngine, person: str, voice: dict | None,
             borrowed: list[dict] = ()) -> dict:
    """The disclosure of a generated song: `person` asked for it; `voice` is the sung voice's
    credit (`credits.voice` of track.json), if one sings; `borrowed`, the people's recorded works
    a remix is composed from ({"owner", "title"}: their melody and chords, arranged by AI).

    >>> from types import SimpleNamespace as Of
    >>> song = disclose(Of(melody_midi=None, lyrics=None), Of(lyrics=[], parts=[]), Of(name="m", version="1"), "Bob", None,
    ...                 [{"owner": "Ada", "title": "Rain"}])
    >>> song["parts"]["composition"]["human"], song["contributors"][1]["did"]
    ('Ada', ["composition ('Rain', their registered work)"])
    """
    maestro = f"Maestro {__version__}"
    composer = f"{engine.name} {engine.version}"
    owners = list(dict.fromkeys(b["owner"] for b in borrowed))
    if borrowed:
        titles = ", ".join(repr(b["title"]) for b in borrowed)
        composition = part(HYBRID, human=", ".join(owners), ai=composer, what=f"the work of {titles}, arranged anew by AI")
    elif request.melody_midi is not None:
        composition = part(HYBRID, human=person, ai=composer, what="the melody seed, developed by AI")
    else:
        composition = part("AI", ai=composer)
    parts = {"composition": composition}
    if score.lyrics:
        parts["lyrics"] = part("Human", human=person) if request.lyrics is not None else \
            part("AI", ai=maestro, what="vocables" if score.vocables else "guide lyrics")
    parts["instrumentation"] = part("AI", ai=maestro, what="arrangement and sampled and synthesized instruments")
    sung = any(p.name in (VOCAL_PART, RAP_PART) for p in score.parts)
    if sung and voice is not None:
        engine_line = voice.get("engine", "")
        parts["vocals"] = part(HYBRID, human=voice["voice_of"], ai=engine_line, what="a person's registered voice") \
            if voice.get("voice_of") else part("AI", ai=engine_line, what="a synthetic voice")
    parts["post-production"] = part("AI", ai=maestro, what="mixing and mastering")
    did_human = [name for name, p in parts.items() if p["by"] != "AI" and p.get("human") == person]
    contributors = [{"name": person, "kind": "human", "did": ["the request (genre, mood, phrases)", *did_human]},
                    *({"name": owner, "kind": "human", "did": [
                        f"composition ({', '.join(repr(b['title']) for b in borrowed if b['owner'] == owner)}, their registered work)"]}
                      for owner in owners if owner != person),
                    {"name": "Maestro", "kind": "AI", "version": __version__, "model": composer,
                     "did": [name for name, p in parts.items() if p["by"] != "Human"]}]
    if sung and voice and voice.get("voice_of") and voice["voice_of"] != person:
        contributors.append({"name": voice["voice_of"], "kind": "human", "did": ["vocals (their registered voice)"]})
    return summary(parts, contributors)


def mastered(source: dict, person: str) -> dict:
    """The disclosure of a master Maestro made of a file: what the file's own Content Credentials
    disclosed (`source`: read_credentials' credits, empty when it had none, then it is taken to be
    the person's own mix), with the mastering done by AI."""
    maestro = f"Maestro {__version__}"
    if "parts" in source:
        parts, contributors = dict(source["parts"]), [dict(c) for c in source.get("contributors", [])]
    else:
        parts = {"mix": part("Human", human=person, what="the mix mastered")}
        contributors = [{"name": person, "kind": "human", "did": ["mix"]}]
    parts["post-production"] = part("AI", ai=maestro, what="mastering")
    if not any(c.get("kind") == "AI" and c.get("name") == "Maestro" for c in contributors):
        contributors.append({"name": "Maestro", "kind": "AI", "version": __version__, "did": ["post-production"]})
    return summary(parts, contributors)
