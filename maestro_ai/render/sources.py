"""Which of an instrument's sources this machine can play: the first whose SoundFont is installed
(with FluidSynth) or whose synth voice exists (with DawDreamer). What a song used is credited in
its track.json; what was missing is said once, in one line.

>>> from maestro_ai.prompt.instruments import all_instruments
>>> chosen = pick(all_instruments()["808-bass"])
>>> chosen is None or chosen.engine in ("synth", "soundfont")
True
"""
from __future__ import annotations

import functools
import logging
from pathlib import Path

from maestro_ai.core.instrument import Content, Instrument, Source
from maestro_ai.prompt.instruments import all_content
from maestro_ai.render.synth import default_backend
from maestro_ai.render.voices import engine_available, load_voice

log = logging.getLogger(__name__)


def soundfont_path(source: Source) -> Path | None:
    """The installed SoundFont of a soundfont source, when FluidSynth can play it."""
    if source.engine != "soundfont" or default_backend().name != "fluidsynth":
        return None
    content = all_content().get(source.content)
    return content.path() if content else None


def playable(source: Source) -> bool:
    if source.engine == "synth":
        return engine_available() and load_voice(source.content) is not None
    return soundfont_path(source) is not None


def pick(instrument: Instrument) -> Source | None:
    """The first of the instrument's sources that plays here, or None (then the General MIDI
    fallback plays the part); a missing preference is noted once per session."""
    for i, source in enumerate(instrument.sources):
        if playable(source):
            if i:
                _note_missing(instrument.sources[0])
            return source
    _note_missing(instrument.sources[0])
    return None


@functools.cache
def _note_missing(source: Source) -> None:
    if source.engine == "synth":
        log.warning("synth voices need DawDreamer (pip install dawdreamer==0.9.0); playing SoundFont presets instead")
    else:
        content = all_content().get(source.content)
        package = content.package if content else source.content
        log.warning("%s is not installed (apt-get install %s, or make install as root); using what is",
                    content.name if content else source.content, package)


def credit(source: Source) -> dict:
    """What track.json's credits.samples says of the content a source plays: its name, licence and
    Debian package."""
    if source.engine == "synth":
        return {"content": "Maestro synth voices (Faust programs run by DawDreamer)",
                "licence": "GPL-3.0-or-later (Maestro)"}
    content: Content = all_content()[source.content]
    return {"content": content.name, "licence": content.licence, "package": content.package}
