"""Voices beyond the ones Maestro ships: a voice engine (what speaks each syllable the singer
sings) with a voice type's range, registered with the consent that allows it.

Maestro's own voices are espeak-ng's (formant synthesis, no one's recording; data/singers.toml).
Another engine plugs in as any object with the `VoiceEngine` shape: `say` speaks one syllable,
given as espeak-ng's phoneme mnemonics (("r", "eI", "n") for "rain"; stress marks are left out),
and returns mono audio and its sample rate; the singer reads it with the WORLD vocoder and sings
it on the notes, as it does espeak-ng's. A voice is registered in code (`register_voice`) or by an
installed package through the entry-point group ``maestro_ai.voices``: each entry point names a
callable that returns the package's `RegisteredVoice`s.

Only a synthetic voice (made from no one's recording), a person's own voice registered by that
person, or a person's voice registered by someone they granted the `voice` scope in the rights
registry (the consent names the registered work, the person's recordings; `maestro_ai.register_voice`
checks the grant, and every song sung with it checks it again) is accepted: no voice is made from
someone else's recording without their consent.

>>> consent = VoiceConsent(voice_of="synthetic", registered_by="Ada", statement="formant synthesis")
>>> consent.check()
>>> VoiceConsent(voice_of="Grace", registered_by="Ada", statement="I like her voice").check()  # doctest: +ELLIPSIS
Traceback (most recent call last):
maestro_ai.core.errors.InvalidRequest: a voice made from Grace's recording can be registered only by Grace or with ...
"""
from __future__ import annotations

import importlib.metadata
import logging
import re
import threading
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from maestro_ai.core.errors import InvalidRequest

log = logging.getLogger(__name__)
ENTRY_POINTS = "maestro_ai.voices"
SYNTHETIC = "synthetic"
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
LOWEST, HIGHEST = 36, 84  # the ranges a voice type may claim (MIDI): C2 to C6


@runtime_checkable
class VoiceEngine(Protocol):
    """What speaks a syllable for the singer: `name` and `version` go into the song's credits."""

    name: str
    version: str

    def say(self, phonemes: tuple[str, ...], voice: str) -> tuple[np.ndarray, int]:
        """One syllable spoken on its own in `voice` (the engine's own voice id): mono audio
        (float, -1..1) and its sample rate."""
        ...

    def credit(self, voice: str) -> str:
        """One line for the credits: the engine, its licence, and what the voice is made from."""
        ...


@dataclass(frozen=True)
class VoiceConsent:
    """Whose voice it is (`voice_of`: "synthetic" or the person whose recordings made it), who
    registers it, and their statement of consent, as the song's credits quote it; `work`: the
    rights registry's work (the person's recordings) whose `voice` grant lets someone else register it."""

    voice_of: str
    registered_by: str
    statement: str
    work: int | None = None

    @property
    def borrowed(self) -> bool:
        """A person's voice registered by someone else (allowed only by a grant)."""
        person = self.voice_of.strip()
        return person.lower() != SYNTHETIC and person.casefold() != self.registered_by.strip().casefold()

    def check(self, granted: bool = False) -> None:
        """A clear error unless the voice is synthetic, its owner registers it, or (`granted`: the
        rights registry was asked) a grant allows it."""
        for field_name in ("voice_of", "registered_by", "statement"):
            value = getattr(self, field_name)
            if not isinstance(value, str) or not value.strip():
                raise InvalidRequest(f"a voice's consent needs {field_name} (text), not {value!r:.40}")
        if self.borrowed and not (granted and self.work is not None):
            person = self.voice_of.strip()
            raise InvalidRequest(f"a voice made from {person}'s recording can be registered only by {person} "
                                 f"or with {person}'s voice grant, not by {self.registered_by.strip()} alone")


@dataclass(frozen=True)
class RegisteredVoice:
    """A voice type sung by another engine: its name (lower case, dashes), what it is called, its
    comfortable range (MIDI notes of the lead's written line), the engine and the engine's voice id,
    and the consent it is registered with."""

    name: str
    label: str
    low: int
    high: int
    engine: VoiceEngine
    voice: str
    consent: VoiceConsent

    def check(self, granted: bool = False) -> None:
        if not isinstance(self.name, str) or not NAME.match(self.name):
            raise InvalidRequest(f"a voice's name must be lower-case letters, digits and dashes, not {self.name!r:.40}")
        if not (isinstance(self.low, int) and isinstance(self.high, int) and LOWEST <= self.low and
                self.low + 12 <= self.high <= HIGHEST):
            raise InvalidRequest(f"voice {self.name!r}: its range must span an octave or more within "
                                 f"{LOWEST}-{HIGHEST} (MIDI), not {self.low!r:.10}-{self.high!r:.10}")
        if not isinstance(self.engine, VoiceEngine):
            raise InvalidRequest(f"voice {self.name!r}: its engine needs name, version, say() and credit()")
        self.consent.check(granted)


_REGISTERED: dict[str, RegisteredVoice] = {}
_LOCK = threading.Lock()
_plugins_loaded = False


def register_voice(voice: RegisteredVoice, taken: tuple[str, ...] = (), granted: bool = False) -> None:
    """Make `voice` available to sing (by its name, as `voice=` or `--voice`); a clear error for a
    voice without consent, a bad range, or a name already in use (`taken`: Maestro's own voices).
    `granted`: the rights registry has allowed a borrowed voice (only callers that asked it say so)."""
    voice.check(granted)
    with _LOCK:
        if voice.name in taken or voice.name in _REGISTERED:
            raise InvalidRequest(f"a voice called {voice.name!r} already exists; choose another name")
        _REGISTERED[voice.name] = voice


def unregister_voice(name: str) -> None:
    """Take a registered voice away (nothing happens if there is none by that name)."""
    with _LOCK:
        _REGISTERED.pop(name, None)


def registered_voices(taken: tuple[str, ...] = ()) -> dict[str, RegisteredVoice]:
    """The voices registered so far, those of installed packages (entry points) loaded first."""
    _load_plugins(taken)
    with _LOCK:
        return dict(_REGISTERED)


def _load_plugins(taken: tuple[str, ...]) -> None:
    """Every installed package's voices, once; one that fails is left out with a warning."""
    global _plugins_loaded
    with _LOCK:
        if _plugins_loaded:
            return
        _plugins_loaded = True
    for point in importlib.metadata.entry_points(group=ENTRY_POINTS):
        try:
            for voice in point.load()():
                register_voice(voice, taken)
        except Exception as err:  # a broken plugin must not stop Maestro from singing its own voices
            log.warning("voice plugin %s left out: %s", point.value, err)
