"""What identifies a file someone gives Maestro (a melody seed, a reference, a remix parent, a work
being registered): its SHA-256; the labels of the Content Credentials manifests it carries (its
own and its ingredients', so a master or a remix names the work it came from) and the watermark
payloads they declare; and, once listened to, the watermark in its audio, which survives what
strips the credentials (an MP3 made of a stem, a re-recorded excerpt).

`marks()` is what the rights registry matches: ("watermark", "0x...") and ("manifest", label).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "tune.mid"
>>> _ = path.write_bytes(b"MThd")
>>> found = fingerprint(path)
>>> found.sha256[:12], found.marks(), listen(found).listened  # a MIDI file has no audio to listen to
('70fad3c7454a', [], False)
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from maestro_ai.io.digest import file_sha256
from maestro_ai.io.stream import READABLE
from maestro_ai.provenance.credentials import manifest_marks
from maestro_ai.provenance.marking import read_mark


@dataclass(frozen=True)
class Fingerprint:
    """A file's identity: `declared` the payloads its credentials state, `watermark` the one read
    from its audio (None: none found, or not listened to: `listened` says which)."""

    path: Path
    sha256: str
    manifests: tuple[str, ...] = ()
    declared: tuple[int, ...] = ()
    watermark: int | None = None
    listened: bool = False
    own_declared: tuple[int, ...] = ()  # the payloads the file's own manifest declares (not its ingredients')

    @property
    def is_audio(self) -> bool:
        return self.path.suffix.lower() in READABLE

    def marks(self) -> list[tuple[str, str]]:
        """(kind, value) pairs to look the file up by: the payloads heard, then declared, then manifests."""
        payloads = dict.fromkeys(([self.watermark] if self.watermark is not None else []) + list(self.declared))
        return [("watermark", f"0x{p:016x}") for p in payloads] + [("manifest", label) for label in self.manifests]

    def own_marks(self) -> list[tuple[str, str]]:
        """`marks()` without those of the files it was made from: what a remix is registered by."""
        payloads = dict.fromkeys(([self.watermark] if self.watermark is not None else []) + list(self.own_declared))
        return [("watermark", f"0x{p:016x}") for p in payloads] + [("manifest", label) for label in self.manifests[:1]]

    def to_dict(self) -> dict:
        return {"file": str(self.path), "sha256": self.sha256, "manifests": list(self.manifests),
                "watermark": None if self.watermark is None else f"0x{self.watermark:016x}",
                "watermark_searched": self.listened}


def fingerprint(path: Path | str) -> Fingerprint:
    """The file's hash and its credentials' marks (cheap: the audio is not decoded; see `listen`)."""
    path = Path(path)
    labels, payloads, own = manifest_marks(path)
    return Fingerprint(path, file_sha256(path), tuple(labels), tuple(payloads), own_declared=tuple(own))


def listen(found: Fingerprint) -> Fingerprint:
    """`found` with the watermark searched for in its audio (about a second for three minutes)."""
    if found.listened or not found.is_audio:
        return found
    return replace(found, watermark=read_mark(found.path).payload, listened=True)
