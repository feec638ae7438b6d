"""What `maestro master` (and `maestro_ai.master`) is asked for, checked before any work.

>>> MasterSettings(target="apple", mix=0.7).check().mix
0.7
>>> MasterSettings(mix="a").check()
Traceback (most recent call last):
maestro_ai.core.errors.InvalidRequest: mix must be a number, not 'a'
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from maestro_ai.core import limits
from maestro_ai.core.errors import InvalidRequest, unknown_choice
from maestro_ai.production.mastering.targets import load_tone_target, resolve_target

MODES = ("full", "loudness", "tone", "width")
USED_BY_MODE_ONLY = {"loudness": ("tone", "width"), "tone": ("width",), "width": ("tone",)}  # settings a mode ignores


@dataclass(frozen=True)
class MasterSettings:
    """What `maestro master` was asked for.

    target/lufs/true_peak: a named loudness target and overrides (default: the reference's loudness
    when there is one, else spotify; tone and width modes keep the source's loudness unless told).
    mode: full (EQ, glue compression, width, loudness), loudness (gain and limiter only), tone (EQ
    only) or width (stereo width only). mix: how much of the EQ/compression/width is heard (0-1).
    tone: a tone target or genre for the EQ when there is no reference. width: side gain (1 = as is).
    """

    target: str | None = None
    lufs: float | None = None
    true_peak: float | None = None
    reference: Path | None = None
    mix: float = 1.0
    mode: str = "full"
    tone: str | None = None
    width: float | None = None
    glue: bool = True

    def check(self) -> MasterSettings:
        """These settings with every value checked (and numbers as floats), or an InvalidRequest."""
        if not isinstance(self.mode, str) or self.mode.strip().lower() not in MODES:
            raise unknown_choice("mode", str(self.mode), list(MODES))
        for name, example in (("target", "spotify"), ("tone", "warm")):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise InvalidRequest(f"{name} must be a name like {example!r}, not {type(value).__name__} {value!r:.40}")
        if self.reference is not None and not isinstance(self.reference, (str, Path)):
            raise InvalidRequest(f"reference must be the path of an audio file, not {type(self.reference).__name__}")
        if not isinstance(self.glue, bool):
            raise InvalidRequest(f"glue must be True or False, not {self.glue!r:.40}")
        checked = replace(
            self, mode=self.mode.strip().lower(), mix=limits.number("mix", self.mix, limits.MIX),
            width=None if self.width is None else limits.number("width", self.width, limits.WIDTH),
            lufs=None if self.lufs is None else limits.number("loudness", self.lufs, limits.LUFS, "LUFS"),
            true_peak=None if self.true_peak is None else limits.number("true-peak ceiling", self.true_peak,
                                                                       limits.TRUE_PEAK_DBTP, "dBTP"),
            reference=None if self.reference is None else Path(self.reference))
        resolve_target(checked.target, checked.lufs, checked.true_peak)
        load_tone_target(checked.tone)
        checked.refuse_what_is_unused()
        return checked

    def refuse_what_is_unused(self) -> None:
        """A setting the chosen mode would ignore is an error, not a silent no-op."""
        given = [name for name in USED_BY_MODE_ONLY.get(self.mode, ()) if getattr(self, name) is not None]
        if self.mode == "loudness" and self.mix != 1.0:
            given.append("mix")
        if given:
            names = ", ".join(given)
            raise InvalidRequest(f"mode {self.mode!r} does not use {names}; leave it out or choose another mode",
                                 shell=f"--mode {self.mode} does not use {', '.join('--' + g for g in given)}; "
                                       "leave it out or choose another --mode")
        if self.reference is not None and self.tone is not None:
            raise InvalidRequest("a reference sets the tone; give a reference or a tone, not both",
                                 shell="a --reference sets the tone; give --reference or --tone, not both")
