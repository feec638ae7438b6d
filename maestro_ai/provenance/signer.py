"""A signing process: signs the files of one piece of work beside the process that writes them.

c2pa-python asks for fresh memory for every file it signs, and the kernel zeroes each page of it:
a 180 s stem costs 0.23 s that way. A process of its own, whose allocator keeps freed memory for
the next file (glibc's MALLOC_* settings, which this process's allocator is not given), signs the
same stem in about 0.1 s, on the other core. It is started (not forked: a fork of a large busy
process copies every page the parent then writes) with `python -m maestro_ai.provenance.signer`.

The protocol is JSON lines: the first line to it is the identity ({"name", "chain_pem",
"key_pem"}), then one line per file ({"path", "manifest", "ingredients"}); it answers a line per
file ({"signed": name, "seconds": s} or {"error": message}) and ends when its input ends.

>>> import tempfile, pathlib, numpy as np
>>> from maestro_ai.io.audio import write_audio
>>> from maestro_ai.provenance.credentials import make_manifest, read_credentials
>>> from maestro_ai.provenance.identity import local_identity
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> song = write_audio(folder / "a.wav", np.zeros((2, 4410), np.float32), 44100)
>>> signer = SigningProcess(local_identity(folder / "id", "Ada"))
>>> signer.sign(song, make_manifest("a", human_input=False, credits={}))
>>> signer.finish()[0], read_credentials(song)["signer"]
(['a.wav'], 'Ada')
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from maestro_ai.core.errors import OutputError
from maestro_ai.provenance.credentials import sign_file
from maestro_ai.provenance.identity import Identity

KEEP_FREED_MEMORY = {"MALLOC_TRIM_THRESHOLD_": str(256 << 20), "MALLOC_TOP_PAD_": str(64 << 20),
                     "MALLOC_MMAP_THRESHOLD_": str(32 << 20)}


class SigningProcess:
    """The signing process for one identity: `sign` hands it a written file, `finish` waits until
    every file is signed and gives their names and the seconds spent (raising its first error)."""

    def __init__(self, identity: Identity) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, **KEEP_FREED_MEMORY,
               "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self._process = subprocess.Popen([sys.executable, "-m", "maestro_ai.provenance.signer"], env=env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._send({"name": identity.name, "chain_pem": identity.chain_pem.decode(), "key_pem": identity.key_pem.decode()})

    def _send(self, message: dict) -> None:
        try:
            self._process.stdin.write(json.dumps(message) + "\n")
            self._process.stdin.flush()
        except OSError:  # it stopped: finish() says why
            pass

    def sign(self, path: Path | str, manifest: dict, ingredients: list[tuple[Path, str]] = ()) -> None:
        self._send({"path": str(path), "manifest": manifest, "ingredients": [[str(f), how] for f, how in ingredients]})

    def finish(self) -> tuple[list[str], float]:
        try:
            self._process.stdin.close()
        except OSError:
            pass
        answers = [json.loads(line) for line in self._process.stdout]
        self._process.wait()
        if errors := [a["error"] for a in answers if "error" in a]:
            raise OutputError(f"cannot sign the files: {errors[0]}")
        if self._process.returncode:
            raise OutputError(f"the signing process stopped (exit status {self._process.returncode})")
        return [a["signed"] for a in answers], sum(a["seconds"] for a in answers)

    def abort(self) -> None:
        self._process.kill()
        self._process.wait()


def _serve(lines, answer) -> None:
    about = json.loads(next(lines))
    identity = Identity(about["name"], about["chain_pem"].encode(), about["key_pem"].encode(), b"")
    for line in lines:
        job = json.loads(line)
        began = time.perf_counter()
        try:
            sign_file(job["path"], job["path"], job["manifest"], identity, [tuple(i) for i in job["ingredients"]])
            answer({"signed": Path(job["path"]).name, "seconds": time.perf_counter() - began})
        except Exception as exc:  # reported to the parent, which raises it
            answer({"error": f"{Path(job['path']).name}: {exc}"})


if __name__ == "__main__":
    _serve(iter(sys.stdin), lambda message: print(json.dumps(message), flush=True))
