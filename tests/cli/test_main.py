"""The command line as a whole: one-line errors with exit status 2, and interrupted commands that
say so, exit 130 (Ctrl-C) or 143 (SIGTERM) and leave nothing behind."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from maestro_ai.cli.main import main
from maestro_ai.io.audio import write_audio


def test_usage_errors_are_one_line_and_exit_2(capsys):
    assert main(["generate", "--tempo", "fast"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err
    assert main(["no-such-command"]) == 2
    assert main(["--help"]) == 0 and main([]) == 0  # `maestro` alone shows the help


def _as_a_terminal_starts_it():
    # A job in the foreground of a terminal gets Ctrl-C; CI may run the tests with it ignored.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(args, env=None):
    return subprocess.Popen([sys.executable, "-m", "maestro_ai.cli.main", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
                            preexec_fn=_as_a_terminal_starts_it)


def _console_script(*args, ignoring_ctrl_c=False):
    script = Path(sys.executable).parent / "maestro"  # the console script, as a user starts it
    command = [str(script)] if script.exists() else [sys.executable, "-c", "import sys; from maestro_ai.cli import main; sys.exit(main())"]
    ignore = lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)  # noqa: E731
    return subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=ignore if ignoring_ctrl_c else _as_a_terminal_starts_it)


def _loaded(pid, library):
    try:
        return library in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def _catches(pid, sig):
    """Whether process `pid` has a handler for `sig` (the SigCgt mask in /proc/PID/status)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = next(int(line.split()[1], 16) for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(mask >> (sig - 1) & 1)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see the import under way")
def test_ctrl_c_while_the_command_is_still_importing(tmp_path):
    run = _console_script("melody", "--bars", "256", "--out", str(tmp_path / "m.mid"))
    # numpy's native part loads early in the half second of imports `maestro` does before it starts
    assert _wait_for(lambda: _loaded(run.pid, "_multiarray_umath") or run.poll() is not None, 30)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130 and err.strip() == "error: interrupted; nothing was written", err[-300:]
    assert not list(tmp_path.iterdir())


def test_a_background_job_keeps_ignoring_ctrl_c(tmp_path):
    run = _console_script("melody", "--bars", "8", "--out", str(tmp_path / "m.mid"), ignoring_ctrl_c=True)
    assert _wait_for(lambda: _loaded(run.pid, "_multiarray_umath") or run.poll() is not None, 30)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 0 and (tmp_path / "m.mid").exists(), err[-300:]


def test_import_maestro_ai_loads_nothing_until_a_name_is_used():
    code = ("import sys, maestro_ai; light = 'numpy' not in sys.modules; "
            "print(light, all(getattr(maestro_ai, name) is not None for name in maestro_ai.__all__))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "True"]


def _wait_for(condition, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _helpers_of(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


@pytest.mark.parametrize("how, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_song_exits_with_a_message_and_leaves_nothing(tmp_path, how, status):
    out = tmp_path / "songs"
    run = _start(["generate", "--genre", "cinematic", "--duration", "200", "--seed", "1", "--format", "wav",
                  "--out", str(out)])
    assert _wait_for(lambda: out.exists() and any(out.iterdir())), "the song never started writing"
    time.sleep(0.3)
    run.send_signal(how)
    _, err = run.communicate(timeout=60)
    assert run.returncode == status and err.strip().splitlines()[-1] == "error: interrupted; nothing was written"
    assert not out.exists()  # the folder it made for the song is gone too


def test_an_interrupted_master_kills_its_helpers_and_leaves_no_scratch(tmp_path):
    rng = np.random.default_rng(0)
    source = write_audio(tmp_path / "long.wav", (0.1 * rng.standard_normal((2, 44100 * 240))).astype(np.float32), 44100)
    temp, out = tmp_path / "temp", tmp_path / "out"
    temp.mkdir()
    out.mkdir()
    run = _start(["master", str(source), "-o", str(out / "m.mp3")], env={"TMPDIR": str(temp)})
    assert _wait_for(lambda: any(temp.iterdir())), "mastering never started"
    assert _wait_for(lambda: bool(_helpers_of(run.pid)), 20)
    helpers = _helpers_of(run.pid)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 143 and "interrupted" in err
    assert _wait_for(lambda: not any(os.path.exists(f"/proc/{p}") for p in helpers), 10)
    assert not list(temp.iterdir()) and not list(out.iterdir())


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to see the handlers set")
@pytest.mark.parametrize("command", ["analyze", "transcribe"])
def test_ctrl_c_in_analyze_and_transcribe(tmp_path, command):
    rng = np.random.default_rng(1)
    source = write_audio(tmp_path / "noise.wav", (0.1 * rng.standard_normal((1, 44100 * 600))).astype(np.float32), 44100)
    args = [command, str(source)] + (["-o", str(tmp_path / "n.mid")] if command == "transcribe" else [])
    run = _start(args)
    # A fixed wait raced the imports on a busy machine (Ctrl-C before main() is plain Python's -2):
    # wait until main() has set its handlers, then a little into the ten minutes of audio.
    assert _wait_for(lambda: _catches(run.pid, signal.SIGTERM) or run.poll() is not None, 60)
    time.sleep(1)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 130 and "interrupted" in err and not (tmp_path / "n.mid").exists()


def test_what_a_killed_song_left_is_removed_by_the_next_run(tmp_path):
    out = tmp_path / "songs"
    run = _start(["generate", "--genre", "cinematic", "--duration", "200", "--seed", "1", "--format", "wav",
                  "--out", str(out)])
    assert _wait_for(lambda: out.exists() and any(out.iterdir())), "the song never started writing"
    run.kill()  # SIGKILL: no clean-up of its own
    run.wait(timeout=30)
    left = [p.name for p in out.iterdir()]
    assert left and all(".maestro-" in name for name in left)
    assert main(["generate", "--genre", "folk", "--duration", "6", "--seed", "2", "--format", "wav", "--out", str(out)]) == 0
    assert not [p for p in out.iterdir() if ".maestro-" in p.name] and len(list(out.iterdir())) == 1
