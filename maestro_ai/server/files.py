"""Where the server keeps the files of tracks and uploads: a folder on this machine by default,
or an S3-compatible bucket (server.s3) when several machines share the work. Both answer the
same questions, by a folder's location (a path, or s3://bucket/prefix): which files it has,
one file as a response or as bytes, a local copy to read or add to.

>>> import tempfile
>>> files = LocalFiles(tempfile.mkdtemp())
>>> folder = files.root / "job-1"; folder.mkdir(); _ = (folder / "a.txt").write_text("hi")
>>> where = files.keep(folder, "job-1"); files.names(where), files.read_bytes(where, "a.txt")
(['a.txt'], b'hi')
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.responses import FileResponse, Response


def folder_files(folder: Path) -> list[str]:
    """The files of a local folder, as paths inside it (no links, no temporary dot-files)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and not p.is_symlink() and not p.name.startswith("."))


class LocalFiles:
    """Folders on this machine, made under `root` (a location is the folder's path)."""

    local = True  # a kept folder is the folder itself

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def describe(self) -> str:
        return str(self.root)

    def keep(self, folder: Path, name: str) -> str:
        """Keep a finished folder (made under `root`) as `name`; its location."""
        return str(folder)

    def names(self, location: str) -> list[str]:
        return folder_files(Path(location)) if Path(location).is_dir() else []

    def response(self, location: str, name: str) -> Response:
        return FileResponse(Path(location) / name, filename=Path(name).name)

    def read_bytes(self, location: str, name: str) -> bytes:
        return (Path(location) / name).read_bytes()

    @contextmanager
    def local_file(self, location: str, name: str) -> Iterator[Path]:
        """One file of the folder as a path on this machine, for as long as the block lasts."""
        yield Path(location) / name

    @contextmanager
    def working_folder(self, location: str) -> Iterator[Path]:
        """The folder on this machine: files written into it during the block are kept."""
        yield Path(location)

    def remove(self, location: str) -> None:
        shutil.rmtree(location, ignore_errors=True)
