"""A track folder built in the background as a song's files are ready, published whole or not at all.

Stages hand their files over as soon as they are final (`write`); the files are written on
their own threads while the next stages work. `publish` waits for every file and renames the
hidden staging folder into place; `discard` (on an error or an interrupt) waits for the writes
in flight, then removes the staging folder and any output folder it had to create, so a failed
run leaves nothing behind.

>>> import json, tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "songs"
>>> folder = TrackFolder(out / "demo-1", force=False)
>>> _ = folder.write("track.json", lambda path: path.write_text(json.dumps({"title": "Demo"})))
>>> folder.publish().name, sorted(p.name for p in (out / "demo-1").iterdir())
('demo-1', ['track.json'])
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from maestro_ai.core.errors import MaestroError, already_exists
from maestro_ai.io.atomic import remove_stale, staged_folder
from maestro_ai.io.outputs import make_folder, nearest_folder, write_error


class TrackFolder:
    """The folder `target` under construction (hidden beside it until `publish`)."""

    def __init__(self, target: Path, force: bool = False, threads: int = 2) -> None:
        self.target, self.force = Path(target), force
        self._threads = threads
        self._pool: ThreadPoolExecutor | None = None
        self._stack = contextlib.ExitStack()
        self._staging: Path | None = None
        self._created: Path | None = None  # the highest output folder this run made, if any
        self.jobs: list[Future] = []

    def _open(self) -> Path:
        if self._staging is None:
            parent = self.target.parent
            existing, absolute = nearest_folder(parent), Path(os.path.abspath(parent))  # links kept in both
            if existing != absolute:
                self._created = existing / absolute.relative_to(existing).parts[0]
            make_folder(parent)
            remove_stale(parent)  # what killed runs left here
            self._staging = self._stack.enter_context(staged_folder(self.target, self.force))
            self._pool = ThreadPoolExecutor(max_workers=self._threads, thread_name_prefix="maestro-write")
        return self._staging

    @property
    def path(self) -> Path:
        """The staging folder (made on first use)."""
        return self._open()

    def write(self, name: str, writer: Callable[[Path], object]) -> Future:
        """Write the file `name` (a path inside the folder) in the background: `writer(path)`."""
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        job = self._pool.submit(writer, path)
        self.jobs.append(job)
        return job

    def wait(self) -> None:
        """Wait for every file handed over so far; the first failure is raised (naming the file by
        its place in the finished folder, not the hidden staging one)."""
        try:
            for job in self.jobs:
                job.result()
        except MaestroError as exc:
            if self._staging is None:
                raise
            message, shell = (text.replace(str(self._staging), str(self.target)) for text in (str(exc), exc.shell))
            raise type(exc)(message, shell=shell) from None

    def publish(self) -> Path:
        """Wait for every file, then move the folder into place; its final path."""
        try:
            self.wait()
            self._open()
            self._shutdown()
            self._stack.close()  # renames the staging folder into place
        except FileExistsError:
            self.discard()
            raise already_exists(f"track folder {str(self.target)!r}") from None
        except OSError as exc:
            self.discard()
            raise write_error(self.target, exc) from None
        except BaseException:
            self.discard()
            raise
        return self.target

    def discard(self) -> None:
        """Stop: drop the writes not yet started, wait for those running, remove the staging
        folder, and the output folder if this run made it and it is empty."""
        self._shutdown()
        with contextlib.suppress(BaseException):
            self._stack.__exit__(RuntimeError, RuntimeError("discarded"), None)
        if self._created is not None:
            with contextlib.suppress(OSError):
                for folder in sorted((p for p in self._created.rglob("*") if p.is_dir()), reverse=True):
                    folder.rmdir()
                self._created.rmdir()

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
