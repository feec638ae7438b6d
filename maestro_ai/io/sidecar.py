"""A second core for streamed work: blocks handed to a forked process that meters, analyses or
writes them while this process computes the next block.

pyebur128 and the encoders hold Python's lock (the GIL), so a thread would not run beside the DSP;
a forked process shares everything imported so far and costs a few milliseconds to start. Where
fork is not available (or `parallel=False`) the same consumer runs in this process.

>>> class Total:
...     def __init__(self): self.sum = 0.0
...     def add(self, block): self.sum += float(block.sum())
...     def finish(self): return self.sum
>>> import numpy as np
>>> side = Sidecar(Total)
>>> for _ in range(3): side.add(np.ones((2, 10), np.float32))
>>> side.finish()
60.0
"""
from __future__ import annotations

import ctypes
import fcntl
import multiprocessing
import pickle
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

import numpy as np


class Consumer(Protocol):
    def add(self, block: np.ndarray) -> None: ...

    def finish(self) -> Any: ...


def fork_available() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


PIPE_BYTES = 1 << 20  # room for a whole block in the pipe, so the sender rarely waits


def _widen(connection) -> None:
    try:
        fcntl.fcntl(connection.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except OSError:  # a smaller limit in /proc/sys/fs/pipe-max-size: the default size works too
        pass


PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to kill this (forked) process when its parent dies, however the parent dies
    (SIGKILL included), so no helper outlives the command that started it. The signal comes when
    the parent *thread* that forked it ends: helpers are started from the main thread."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pipe's end-of-file still stops the helper
        pass


def _serve(blocks, results, make: Callable[[], Consumer], parent_ends: tuple = ()) -> None:
    die_with_parent()
    # Fork copied the parent's ends of both pipes; with them closed here, the parent's death
    # ends the block stream (EOF) instead of leaving this process waiting on itself forever.
    for connection in parent_ends:
        connection.close()
    consumer = None
    try:
        consumer = make()
        while (header := blocks.recv_bytes()) != b"end":
            if header[:1] == b"a":  # an array: its shape, then its raw float32 data
                channels = int(header[1:])
                data = np.frombuffer(blocks.recv_bytes(), dtype=np.float32)
                consumer.add(data.reshape(channels, -1))
            else:
                consumer.add(pickle.loads(header[1:]))
        results.send(("ok", consumer.finish()))
    except BaseException as exc:  # reported to the parent, which raises it there
        if consumer is not None and hasattr(consumer, "abort"):
            consumer.abort()
        try:
            results.send(("error", exc))
        except OSError:  # the parent is gone
            pass
    finally:
        blocks.close()
        results.close()


class Sidecar:
    """Feed blocks to `make()`'s consumer in another process; `finish()` returns its result.

    float32 (channels, frames) arrays travel as raw bytes through a widened pipe; anything else
    is pickled."""

    def __init__(self, make: Callable[[], Consumer], parallel: bool = True):
        self._local: Consumer | None = None
        if not (parallel and fork_available()):
            self._local = make()
            return
        context = multiprocessing.get_context("fork")
        blocks_in, self._blocks = context.Pipe(duplex=False)
        self._results, results_out = context.Pipe(duplex=False)
        _widen(self._blocks)
        self._process = context.Process(target=_serve, args=(blocks_in, results_out, make, (self._blocks, self._results)),
                                        daemon=True)
        self._process.start()
        blocks_in.close()
        results_out.close()

    def add(self, item: Any) -> None:
        if self._local is not None:
            self._local.add(item)
            return
        try:
            if isinstance(item, np.ndarray) and item.dtype == np.float32 and item.ndim == 2:
                self._blocks.send_bytes(b"a%d" % item.shape[0])
                self._blocks.send_bytes(memoryview(np.ascontiguousarray(item)).cast("B"))
            else:
                self._blocks.send_bytes(b"p" + pickle.dumps(item))
        except OSError:
            # The helper stopped (a full disk while it wrote, say): its own error says why,
            # where this side would only see a broken pipe.
            if self._results.poll(5.0):
                status, value = self._results.recv()
                self._process.join()
                if status == "error":
                    raise value from None
            raise

    def finish(self) -> Any:
        if self._local is not None:
            return self._local.finish()
        self._blocks.send_bytes(b"end")
        status, value = self._results.recv()
        self._process.join()
        self._blocks.close()
        self._results.close()
        if status == "error":
            raise value
        return value

    def abort(self) -> None:
        """Stop the helper without a result (after an error in this process)."""
        if self._local is None and self._process.is_alive():
            self._process.kill()
            self._process.join()


def run_beside(function: Callable[..., Any], *args: Any, parallel: bool = True) -> Future:
    """`function(*args)` in a forked process (or here, at once, without fork); its Future."""
    if parallel and fork_available():
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), initializer=die_with_parent)
        future = pool.submit(function, *args)
        pool.shutdown(wait=False)
        return future
    future: Future = Future()
    try:
        future.set_result(function(*args))
    except BaseException as exc:
        future.set_exception(exc)
    return future
