"""Helper processes do their work beside this one, report their own errors, and never outlive it."""
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from maestro_ai.io.sidecar import Sidecar, fork_available, run_beside

pytestmark = pytest.mark.skipif(not fork_available(), reason="helpers are forked processes (Linux)")


class Total:
    def __init__(self):
        self.sum = 0.0

    def add(self, block):
        self.sum += float(block.sum())

    def finish(self):
        return self.sum


class Fails:
    def add(self, block):
        raise OSError(28, "No space left on device")

    def finish(self):
        return None


def test_blocks_go_to_the_helper_and_the_result_comes_back():
    side = Sidecar(Total)
    for _ in range(50):
        side.add(np.ones((2, 10_000), np.float32))
    assert side.finish() == 1_000_000.0
    assert run_beside(sum, [1, 2, 3]).result() == 6


def test_the_helpers_own_error_comes_back_not_a_broken_pipe():
    side = Sidecar(Fails)
    with pytest.raises(OSError, match="No space left on device"):
        for _ in range(1000):
            side.add(np.ones((2, 100_000), np.float32))
        side.finish()


PARENT = r"""
import sys, time, numpy as np
from maestro_ai.io.sidecar import Sidecar, run_beside
class Slow:
    def add(self, block): pass
    def finish(self): return 0
side = Sidecar(Slow)
side.add(np.ones((2, 10), np.float32))
pool_future = run_beside(time.sleep, 60)
time.sleep(0.5)
import multiprocessing
print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_helpers_die_with_their_parent(how):
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    helpers = [int(pid) for pid in parent.stdout.readline().split()]
    assert helpers
    os.kill(parent.pid, how)
    parent.wait(timeout=10)
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(pid) for pid in helpers):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in helpers)


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False
