"""The output policy every command follows, in one place.

Before any work starts, an output is checked: a name is given, its folder exists (or can be
made) and is writable, it is not one of the inputs, and it does not exist unless `force` says to
replace it. Nothing is created by a check: folders are made only when writing begins
(`make_folder`), so a refused request leaves no trace.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> check_file(folder / "m.mid", suffixes=(".mid",)).name
'm.mid'
>>> check_file(folder / "m.txt", suffixes=(".mid", ".midi"))
Traceback (most recent call last):
maestro_ai.core.errors.InvalidRequest: the output must be a .mid or .midi file, not 'm.txt'
"""
from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from maestro_ai.core.errors import InvalidRequest, OutputError, already_exists

FULL_BYTES = 1 << 20  # a disk with less than this free is full, as far as writing audio goes


def _given(path: Path | str | None, what: str, flag: str) -> Path:
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise InvalidRequest(f"the {what} must be a path, not {type(path).__name__} {path!r:.40}")
    if path is None or not str(path).strip():
        raise InvalidRequest(f"no {what} given; name one", shell=f"no {what} given; name one with {flag}")
    return Path(str(path).strip()).expanduser()


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def nearest_folder(path: Path) -> Path:
    """The folder itself, or the nearest ancestor that exists."""
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_folder(path: Path | str | None, what: str = "output folder", flag: str = "--out") -> Path:
    """A folder that exists and is writable, or that can be created; nothing is created here."""
    folder = _given(path, what, flag)
    existing = nearest_folder(folder)
    if not existing.is_dir():
        raise OutputError(f"cannot create {what} {str(folder)!r}: {str(existing)!r} is a file; choose another",
                          shell=f"cannot create {what} {str(folder)!r}: {str(existing)!r} is a file; "
                                f"choose another with {flag}")
    if not os.access(existing, os.W_OK | os.X_OK):
        verb = "is not writable" if existing == Path(os.path.abspath(folder)) else f"cannot be created in {str(existing)!r}"
        raise OutputError(f"{what} {str(folder)!r} {verb}; choose another",
                          shell=f"{what} {str(folder)!r} {verb}; choose another with {flag}")
    return folder


def make_folder(folder: Path) -> Path:
    """Create a checked folder (and its parents) when writing begins."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {str(folder)!r}: {exc.strerror}") from None
    return folder


def check_file(path: Path | str | None, *, force: bool = False, inputs: Iterable[Path | str | None] = (),
               suffixes: tuple[str, ...] = (), what: str = "output", flag: str = "-o") -> Path:
    """An output file that may be written: right suffix, not an input, its folder there and
    writable, and not already there unless `force`."""
    out = _given(path, what, flag)
    if suffixes and out.suffix.lower() not in suffixes:
        names = " or ".join(suffixes) if len(suffixes) < 3 else ", ".join(suffixes[:-1]) + " or " + suffixes[-1]
        raise InvalidRequest(f"the {what} must be a {names} file, not {out.name!r}")
    for source in inputs:
        if source is not None and _same(out, Path(source)):
            raise OutputError(f"the {what} {str(out)!r} would overwrite an input; choose another name",
                              shell=f"the {what} {str(out)!r} would overwrite an input; choose another {flag}")
    if not out.parent.is_dir():
        raise OutputError(f"cannot write {str(out)!r}: folder {str(out.parent)!r} does not exist")
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {str(out)!r}: folder {str(out.parent)!r} is not writable")
    if out.is_dir():
        raise OutputError(f"cannot write {str(out)!r}: it is a folder")
    if os.path.lexists(out) and not force:  # a link to nowhere is still someone's file
        raise already_exists(repr(str(out)))
    return out


def check_new_folder(path: Path | str, *, force: bool = False, what: str = "track folder") -> Path:
    """A folder to be built whole and moved into place: not already there (a file, a folder or a
    link, even one to nowhere) unless `force` says to replace it."""
    path = Path(path)
    if os.path.lexists(path) and not force:
        raise already_exists(f"{what} {str(path)!r}")
    return path


def write_error(path: Path | str, exc: BaseException) -> OutputError:
    """The error for a write that failed part way (a full disk, a vanished folder, ...); the
    temporary file has already been removed, so nothing half-written is left."""
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    if getattr(exc, "errno", None) == errno.ENOSPC or _full(Path(path).parent):
        reason = "no space left on the device"
    return OutputError(f"cannot write {str(path)!r}: {reason.rstrip('.')}; nothing was written")


def _full(folder: Path) -> bool:
    """Whether the disk under `folder` is (all but) full: encoders report a full disk only as a
    failed write."""
    try:
        return shutil.disk_usage(nearest_folder(folder)).free < FULL_BYTES
    except OSError:
        return False
