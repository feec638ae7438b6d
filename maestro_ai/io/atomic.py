"""Atomic writes: write beside the target under a temporary name, then rename into place.

Temporary names carry the writing process's id (`.NAME.maestro-PID-` and a random suffix), so that
what a killed run left behind can be recognised and removed by the next one (`remove_stale`).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with atomic_path(folder / "a.txt") as tmp:
...     _ = tmp.write_text("hello")
>>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
('hello', ['a.txt'])
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_STALE = re.compile(r"^\..*\.maestro-(\d+)-")
STOP = threading.Event()  # set when the command is interrupted: nothing may be committed after it


def stop_writing() -> None:
    """Refuse every commit from now on (a Ctrl-C can land in code that swallows it, such as a
    destructor in a native library; the work then goes on, but its files never appear)."""
    STOP.set()


def _commit_allowed() -> None:
    if STOP.is_set():
        raise KeyboardInterrupt("interrupted")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def temporary_prefix(name: str) -> str:
    """The prefix of this process's temporary names for `name`."""
    return f".{name}.maestro-{os.getpid()}-"


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to `target`; on success it replaces `target`, on error it goes."""
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=temporary_prefix(target.stem), suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file ordinary permissions
        _commit_allowed()
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextmanager
def staged_folder(target: Path, force: bool = False) -> Iterator[Path]:
    """Build a whole folder under a hidden temporary name; move it to `target` only when complete.

    An existing `target` is replaced only with `force`; on any error nothing is left behind.
    """
    target = Path(target)
    staging = Path(tempfile.mkdtemp(prefix=temporary_prefix(target.name), dir=target.parent))
    try:
        yield staging
        os.chmod(staging, 0o777 & ~_umask())
        _commit_allowed()
        if os.path.lexists(target):  # a link to nowhere is replaced, not written through
            if not force:
                raise FileExistsError(target)
            trash = Path(tempfile.mkdtemp(prefix=temporary_prefix(target.name + ".old"), dir=target.parent))
            os.replace(target, trash / target.name)
            os.replace(staging, target)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale(folder: Path | str) -> list[Path]:
    """Remove the temporary files and folders that killed Maestro runs left in `folder` (those
    whose process no longer runs); return what was removed.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / ".song.maestro-999999999-ab12.wav").write_bytes(b"half a file")
    >>> [p.name for p in remove_stale(folder)], list(folder.iterdir())
    (['.song.maestro-999999999-ab12.wav'], [])
    """
    removed = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _STALE.match(entry.name)
        if not match or _alive(int(match.group(1))):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
        except OSError:
            pass
    return removed
