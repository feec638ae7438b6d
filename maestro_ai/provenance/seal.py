"""Sealing what Maestro writes: the watermark in the audio, then signed Content Credentials on
the file, so the signature covers the marked audio and `maestro verify` checks both.

A `Seal` holds the signing identity and the payload (a song's 64-bit id): `change` works out
what the watermark adds to some audio and `mark` puts it in before the audio is written (the
pipeline marks the mix before mastering, so the limiter keeps the true-peak ceiling with the mark
in it, and with the sum of its stems' changes: the mark is linear), `sign` signs a written file
in place, and `write_wav` writes a WAV marked and signed in one pass (the stems, the WAV mix).
`unsealed()` is the choice not to seal (`--no-seal`): nothing is marked or signed, and the
track's record says so.

The identity is the local one (made on first use) unless $MAESTRO_SIGNING_CERT and
$MAESTRO_SIGNING_KEY name a certificate chain and key of your own (PEM).

>>> seal = Seal(payload_of_record({"genre": "house", "seed": 3}), identity=None)
>>> seal.payload_hex
'0x6ac516f37ef2fdac'
>>> unsealed().record()
{'sealed': False}
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.audio import write_audio_blocks
from maestro_ai.provenance.credentials import sign_file
from maestro_ai.provenance.identity import Identity, local_identity, own_identity
from maestro_ai.provenance.ledger import append, default_ledger
from maestro_ai.provenance.streamed import write_signed_wav
from maestro_ai.provenance.watermark import Change, change_of

MIN_MARK_SECONDS = 1.0  # shorter audio carries no readable mark (a block's sync needs seconds)
BLOCK_SECONDS = 30.0  # audio is marked and written this much at a time


def payload_of_record(record: dict) -> int:
    """A song's 64-bit id: the first 8 bytes of the SHA-256 of what it was made from (so the same
    request gives the same id, and the same bytes of audio)."""
    return int.from_bytes(hashlib.sha256(json.dumps(record, sort_keys=True).encode()).digest()[:8], "big")


def signing_identity() -> Identity:
    """Who signs: your own certificate and key when $MAESTRO_SIGNING_CERT and $MAESTRO_SIGNING_KEY
    name them, else the local identity."""
    cert, key = os.environ.get("MAESTRO_SIGNING_CERT"), os.environ.get("MAESTRO_SIGNING_KEY")
    if bool(cert) != bool(key):
        raise InvalidRequest("set both MAESTRO_SIGNING_CERT and MAESTRO_SIGNING_KEY (PEM files), or neither")
    return own_identity(cert, key) if cert else local_identity()


@dataclass
class Seal:
    """The watermark payload and the signer of one piece of work; `identity` None: the default
    (`signing_identity()`), looked up when first needed."""

    payload: int | None
    identity: Identity | None = None
    enabled: bool = True
    kept: bool = False  # the audio already carried this mark (a master of a marked file): not marked again
    signed: list[str] = field(default_factory=list)
    seconds: float = 0.0  # spent marking and signing (on all threads together)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def payload_hex(self) -> str | None:
        return None if self.payload is None else f"0x{self.payload:016x}"

    def _marks(self, audio: np.ndarray, rate: int) -> bool:
        """Whether `audio` is marked: sealing is on and it is long enough to carry the mark."""
        return self.enabled and self.payload is not None and audio.shape[-1] >= MIN_MARK_SECONDS * rate

    def _signer(self) -> Identity:
        """The identity, made once (files are signed on writer threads)."""
        with self._lock:
            if self.identity is None:
                self.identity = signing_identity()
            return self.identity

    def change(self, audio: np.ndarray, rate: int) -> Change | None:
        """What the watermark adds to `audio` (None when sealing is off or the audio is too short):
        changes add up, so a song's mix can be marked with the sum of its stems' changes."""
        if not self._marks(audio, rate):
            return None
        began = time.perf_counter()
        change = change_of(audio, rate, self.payload)
        with self._lock:
            self.seconds += time.perf_counter() - began
        return change

    def mark(self, audio: np.ndarray, rate: int, change: Change | None = None, in_place: bool = False) -> np.ndarray:
        """`audio` with the watermark in it (as it is when sealing is off or the audio is too
        short); `change`: its change, worked out already (`change`); `in_place`: put into
        `audio` itself (float32), not into a copy."""
        if change is None:
            change = self.change(audio, rate)
        if change is None:
            return audio
        began = time.perf_counter()
        marked = audio if in_place else np.empty(audio.shape, dtype=np.float32)
        block = int(BLOCK_SECONDS * rate)
        for first in range(0, audio.shape[1], block):  # no whole change at the full rate beside the audio
            np.add(audio[:, first:first + block], change.full(first, first + block), out=marked[:, first:first + block])
        with self._lock:
            self.seconds += time.perf_counter() - began
        return marked

    def write_wav(self, path: Path, audio: np.ndarray, rate: int, manifest: dict, bit_depth: int,
                  change: Change | None = None, ingredients: list[tuple[Path, str]] = ()) -> Path:
        """Write `audio` as a WAV of `bit_depth` bits, with `change` (the watermark's: `change`)
        added as it is written, 30 seconds at a time (no marked copy of the whole is made), and
        `manifest` signed on it in the same pass (see provenance/streamed.py: no second copy of the
        file is read or written); with sealing off, a plain WAV."""
        began, writing, block = time.perf_counter(), 0.0, int(BLOCK_SECONDS * rate)
        adds = change is not None and change.low is not None and self.enabled  # (a silent stem's change is nothing)

        def produce(write) -> None:
            nonlocal writing
            marked = np.empty((audio.shape[0], min(block, audio.shape[1])), dtype=np.float32) if adds else None
            for first in range(0, audio.shape[1], block):
                part = audio[:, first:first + block]
                if adds:  # into one buffer: a fresh 10 MB array a block costs its page faults
                    part = np.add(part, change.full(first, first + block), out=marked[:, :part.shape[1]])
                started = time.perf_counter()
                write(part)
                writing += time.perf_counter() - started

        if not self.enabled:
            return write_audio_blocks(path, rate, audio.shape[0], produce, bit_depth)
        write_signed_wav(path, audio.shape, rate, bit_depth, produce, manifest, self._signer(), ingredients)
        with self._lock:
            self.seconds += time.perf_counter() - began - writing  # the change brought up and added, the signing
            self.signed.append(Path(path).name)
        return Path(path)

    def sign(self, path: Path, manifest: dict, ingredients: list[tuple[Path, str]] = ()) -> Path:
        """Sign the written file `path` in place with `manifest` (nothing when sealing is off)."""
        if not self.enabled:
            return path
        signer = self._signer()
        began = time.perf_counter()
        sign_file(path, path, manifest, signer, ingredients)
        with self._lock:
            self.seconds += time.perf_counter() - began
            self.signed.append(path.name)
        return path

    def log(self, event: str, details: dict, ledger: Path | None = None) -> dict:
        """Append the event (created, mastered, remixed) to the custody ledger (the user's own by
        default), signed by the sealer, with the payload as its subject."""
        return append(ledger or default_ledger(), event, self.payload_hex, details, self._signer())

    def record(self) -> dict:
        """What track.json says of the seal: the watermark's payload, the files signed and by whom."""
        if not self.enabled:
            return {"sealed": False}
        return {"sealed": True, "watermark": self.payload_hex, "watermark_kept": self.kept, "signed": sorted(self.signed),
                "signer": self.identity.name if self.identity else None, "seconds": round(self.seconds, 3)}


def unsealed() -> Seal:
    """No watermark and no signature (`--no-seal`)."""
    return Seal(None, enabled=False)
