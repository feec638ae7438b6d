"""Signed WAV written in one pass: the audio is hashed as it goes to disk, then its Content
Credentials are signed over that hash and appended as the file's C2PA chunk.

`credentials.sign_file` hands a finished file to c2pa-python, which reads it whole, copies it
and hashes the copy: for a 31 MB stem that is most of sealing's cost (fresh memory for every
copy). Here the file is laid out as c2pa-rs lays out a signed WAV (RIFF, fmt, data, then a
`C2PA` chunk holding the manifest store, excluded from the hash by a `c2pa.hash.data`
assertion), but the hash is the one taken while writing, and c2pa only signs: libc2pa_c's
data-hashed calls (`c2pa_builder_data_hashed_placeholder`, which fixes the manifest's size,
and `c2pa_builder_sign_data_hashed_embeddable`), reached through c2pa-python's own handles
because c2pa-python 0.38.1 does not wrap them. Any C2PA reader checks the result like any
other signed WAV.

>>> import numpy as np, tempfile, pathlib
>>> from maestro_ai.provenance.identity import local_identity
>>> from maestro_ai.provenance.credentials import make_manifest, read_credentials
>>> path = pathlib.Path(tempfile.mkdtemp()) / "tone.wav"
>>> tone = np.sin(np.arange(44100, dtype=np.float32) / 10)[None] * 0.5
>>> manifest = make_manifest("Tone", human_input=False, credits={})
>>> _ = write_signed_wav(path, tone.shape, 44100, 16, lambda write: write(tone), manifest, local_identity())
>>> read_credentials(path)["tampered"]
False
"""
from __future__ import annotations

import ctypes
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import c2pa
import numpy as np
from c2pa import c2pa as native

from maestro_ai.io.atomic import atomic_path
from maestro_ai.io.outputs import write_error
from maestro_ai.io.wav import chunk, pcm, wav_header
from maestro_ai.provenance.credentials import add_ingredients, signer_of
from maestro_ai.provenance.identity import Identity

RAW_STORE = b"application/c2pa"  # the manifest store as bare JUMBF: the C2PA chunk is made here
_BYTES = ctypes.POINTER(ctypes.c_ubyte)
_lib = native._lib
_lib.c2pa_builder_data_hashed_placeholder.argtypes = [ctypes.POINTER(native.C2paBuilder), ctypes.c_size_t,
                                                      ctypes.c_char_p, ctypes.POINTER(_BYTES)]
_lib.c2pa_builder_data_hashed_placeholder.restype = ctypes.c_int64
_lib.c2pa_builder_sign_data_hashed_embeddable.argtypes = [ctypes.POINTER(native.C2paBuilder),
                                                          ctypes.POINTER(native.C2paSigner), ctypes.c_char_p,
                                                          ctypes.c_char_p, ctypes.c_void_p, ctypes.POINTER(_BYTES)]
_lib.c2pa_builder_sign_data_hashed_embeddable.restype = ctypes.c_int64


def _taken(length: int, pointer, what: str) -> bytes:
    """The bytes libc2pa_c returned (freed on its side), or its error raised."""
    if length < 0:
        raise c2pa.C2paError(f"{what}: {native._read_native_error() or 'failed'}")
    try:
        return ctypes.string_at(pointer, length)
    finally:
        _lib.c2pa_free(pointer)


def _store_size(builder: c2pa.Builder, signer: c2pa.Signer) -> int:
    """How many bytes the signed manifest store will take: libc2pa_c composes a stand-in store of
    exactly that size first (its name for the call: data_hashed_placeholder)."""
    out = _BYTES()
    made = _lib.c2pa_builder_data_hashed_placeholder(builder._handle, signer.reserve_size(), RAW_STORE,
                                                     ctypes.byref(out))
    return len(_taken(made, out, "C2PA manifest size"))


def _signed_store(builder: c2pa.Builder, signer: c2pa.Signer, digest: bytes, start: int, length: int) -> bytes:
    """The manifest store signed over `digest`: the SHA-256 of the file but its `length` bytes
    at `start` (the C2PA chunk)."""
    data_hash = {"exclusions": [{"start": start, "length": length}], "name": "jumbf manifest", "alg": "sha256",
                 "hash": list(digest), "pad": []}  # bytes as a list of numbers: c2pa reads a string as its UTF-8
    out = _BYTES()
    made = _lib.c2pa_builder_sign_data_hashed_embeddable(builder._handle, signer._handle,
                                                         json.dumps(data_hash).encode(), RAW_STORE, None,
                                                         ctypes.byref(out))
    return _taken(made, out, "C2PA signature")


def write_signed_wav(path: Path | str, audio_shape: tuple[int, int], sample_rate: int, bit_depth: int,
                     produce: Callable[[Callable[[np.ndarray], None]], None], manifest: dict, identity: Identity,
                     ingredients: list[tuple[Path, str]] = ()) -> Path:
    """Write `path`, a PCM WAV of `bit_depth` bits holding audio of `audio_shape` (channels,
    frames), which `produce(write)` hands over in (channels, n) float blocks, in order; with
    `manifest` signed by `identity` in it (`ingredients` as in `credentials.sign_file`). Atomic:
    a failure leaves nothing behind."""
    path = Path(path)
    channels, frames = audio_shape
    signer = signer_of(identity)
    with c2pa.Builder(manifest) as builder:
        add_ingredients(builder, ingredients)
        store = _store_size(builder, signer)
        header = wav_header(frames, channels, sample_rate, bit_depth, trailing=8 + store + (store & 1))
        digest, written = hashlib.sha256(header), 0
        try:
            with atomic_path(path) as tmp, open(tmp, "wb") as out:
                out.write(header)

                def write(block: np.ndarray) -> None:
                    nonlocal written
                    data = pcm(block, bit_depth)
                    digest.update(data)
                    out.write(data)
                    written += len(data)

                produce(write)
                if written != frames * channels * bit_depth // 8:
                    raise ValueError(f"wav: {written} bytes of audio written, {frames} frames announced")
                pad = b"\0" * (written & 1)
                digest.update(pad)
                start = len(header) + written + len(pad)
                digest.update(b"\0" * (store & 1))  # the C2PA chunk's pad byte follows it, outside the exclusion
                out.write(pad + chunk(b"C2PA", _signed_store(builder, signer, digest.digest(), start, 8 + store)))
        except OSError as exc:
            raise write_error(path, exc) from None
    return path
