"""The studio page, driven end to end in headless Chromium (Debian's chromium, by Playwright)
against a real `maestro serve` app on a loopback port: a short song generated from the page
(the key typed and the form sent from the keyboard), its mix played, its stems muted and
soloed and one downloaded (read back by soundfile), its piano roll and chord timeline drawn,
a variation asked for, a mix mastered with the before/after view (measured again by ffmpeg),
a file's provenance checked, and the page on a phone-sized screen. Screenshots are kept in
test-artifacts/studio/ (or $MAESTRO_TEST_ARTIFACTS/studio)."""
import json
import os
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest
import soundfile

from maestro_ai.server.app import create_app
from maestro_ai.server.store import Store
from tests.production.mastering.test_file import ffmpeg_loudness
from tests.services import free_port

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium (Debian's chromium) is not installed")
ARTIFACTS = Path(os.environ.get("MAESTRO_TEST_ARTIFACTS", "test-artifacts")) / "studio"
# Chromium as the sandbox runs it: headless, no network of its own, no first-run or background traffic.
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture
def served(tmp_path, monkeypatch):
    import uvicorn

    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    store = Store(f"sqlite:///{tmp_path / 'server.db'}")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store, tmp_path / "tracks"), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    server.should_exit = True
    thread.join(30)


def _until(page, expression, timeout_ms=30_000):
    """Wait until a JavaScript expression holds in the page (polled from here: the page's
    Content-Security-Policy forbids the string evaluation Playwright's own wait would need)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        time.sleep(0.1)


def _get(page, path):
    """What the API answers the page at `path`, with the key the page holds."""
    return json.loads(page.evaluate(f"fetch('{path}', {{headers: {{Authorization: `Bearer ${{state.key}}`}}}}).then(r => r.text())"))


def _shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_song_is_made_played_downloaded_and_checked_from_the_page(served, tmp_path):
    base, store = served
    _, secret = store.create_key("browser", ["read", "create"])
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(accept_downloads=True, viewport={"width": 1200, "height": 900})
        problems = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
        page.goto(base)
        assert page.title() == "Maestro Studio"

        page.focus("#api-key")  # from the keyboard: the key typed, Enter
        page.keyboard.type(secret)
        page.keyboard.press("Enter")
        page.wait_for_selector("#genre option[value='house']", state="attached")
        page.select_option("#genre", "house")
        page.select_option("#mood", "euphoric")
        page.select_option("#quality", "draft")
        page.fill("#tempo", "124")
        page.fill("#duration", "10")
        page.fill("#seed", "3")
        page.fill("#phrases", "sunrise on the dance floor")
        page.focus("#phrases")
        page.keyboard.press("Enter")  # sends the form
        page.wait_for_selector("#job:not([hidden])")
        _until(page, "document.getElementById('stage').textContent.includes('%')", 60_000)
        _shot(page, "1-progress")
        page.wait_for_selector("#track:not([hidden])", timeout=240_000)
        assert page.eval_on_selector("#progress", "p => p.value") == 1
        track = json.loads(page.evaluate("JSON.stringify(state.track)"))
        assert track["genre"] == "house" and track["tempo"] == 124.0
        assert page.text_content("#track-title") == track["title"]

        # the mix plays in the browser
        page.eval_on_selector("#player", "a => a.play()")
        _until(page, "document.getElementById('player').currentTime > 0.5", 20_000)
        assert page.eval_on_selector("#player", "a => a.duration") == pytest.approx(10, abs=0.5)
        page.eval_on_selector("#player", "a => a.pause()")

        # the score: notes drawn from song.mid, the chords and sections of track.json on the timeline
        assert int(page.get_attribute("#roll", "data-notes")) > 20
        assert page.text_content("#legend").split() == [p["name"] for p in _get(page, f"/v1/tracks/{track['id']}/piano-roll")["parts"]]
        chords = page.eval_on_selector_all("#chords span", "spans => spans.map(s => s.textContent)")
        assert chords and chords == [c["symbol"] for s in track["chords"] for c in s["chords"]][:len(chords)]
        assert page.eval_on_selector_all("#sections span", "s => s.length") == len(track["sections"])

        # stems: loaded, soloed and muted from the keyboard, played together
        page.click("#load-stems")
        page.wait_for_selector("#play-stems:not([disabled])", timeout=60_000)
        names = page.eval_on_selector_all("#stems li", "rows => rows.map(r => r.dataset.stem)")
        assert set(names) == set(track["stems"])
        page.focus("[data-stem='bass'] [data-action='solo']")
        page.keyboard.press("Space")
        audible = page.eval_on_selector_all("#stems li", "rows => rows.filter(r => r.dataset.audible === 'true').map(r => r.dataset.stem)")
        assert audible == ["bass"]
        assert page.evaluate("state.stems.filter(s => s.gain.gain.value > 0).map(s => s.name)") == ["bass"]
        page.click("[data-stem='bass'] [data-action='mute']")
        assert page.evaluate("state.stems.every(s => s.gain.gain.value === 0)")
        page.click("#play-stems")
        _until(page, "state.audio.currentTime > 0.5")
        assert page.evaluate("state.playing.length") == len(names)
        _shot(page, "2-track")
        page.click("#play-stems")

        # downloads: a stem, read back by soundfile; the mix, kept to check and master below
        with page.expect_download() as got:
            page.click("[data-download='stems/bass.wav']")
        stem = tmp_path / "bass.wav"
        got.value.save_as(stem)
        audio, rate = soundfile.read(stem)
        assert rate == 44100 and abs(len(audio) / rate - 10) < 0.5 and abs(audio).max() > 0.01
        with page.expect_download() as got:
            page.click("[data-download='mix.wav']")
        mix = tmp_path / "mix.wav"
        got.value.save_as(mix)
        with page.expect_download() as got:
            page.click("#download-all")
        got.value.save_as(tmp_path / "all.zip")
        with zipfile.ZipFile(tmp_path / "all.zip") as archive:
            assert archive.namelist() == [f"{track['title']}/{name}" for name in page.evaluate("state.track.files")]
            assert archive.read(f"{track['title']}/mix.wav") == mix.read_bytes()

        # provenance: of the track's own file, and of a file given to the page
        page.click("[data-proof='mix.wav']")
        page.wait_for_selector("#track-proof[data-signed='true']")
        page.set_input_files("#verify-file", str(mix))
        page.click("#verify-form button")
        page.wait_for_selector("#verify-result[data-signed]")
        assert page.get_attribute("#verify-result", "data-trusted") == "true"
        proof = page.text_content("#verify-result")
        assert "unaltered since it was signed" in proof and f"watermark {track['provenance']['watermark']}" in proof

        # mastering an upload: before and after, the master measured again by ffmpeg
        page.set_input_files("#master-file", str(mix))
        page.select_option("#master-target", "spotify")
        page.click("#master-form button")
        page.wait_for_selector("#master-meter", timeout=120_000)
        after = float(page.text_content("[data-field='after-integrated_lufs']"))
        assert abs(after + 14) < 1
        _until(page, "document.querySelector('#master-result img').naturalWidth > 0")
        with page.expect_download() as got:
            page.click("#master-result button")
        got.value.save_as(tmp_path / "master.wav")
        assert abs(ffmpeg_loudness(tmp_path / "master.wav")[0] - after) < 0.5
        _shot(page, "3-master")

        # a variation, asked for from the page
        page.select_option("#vary-kind", "tempo")
        page.fill("#vary-value", "132")
        page.click("#vary-form button")
        _until(page, "state.track && state.track.tempo === 132", 240_000)
        assert "a variation (tempo)" in page.text_content("#track-meta")
        assert page.eval_on_selector_all("#tracks li", "rows => rows.length") == 2

        # a phone-sized screen: everything in one column, nothing wider than the screen
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        _shot(page, "4-narrow")
        browser.close()
    assert problems == []


def test_a_melody_is_recorded_from_the_microphone_as_a_wav_upload(served):
    base, store = served
    _, secret = store.create_key("browser", ["read", "create"])
    with playwright.sync_playwright() as p:  # Chromium's fake microphone plays a beep
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*FLAGS, "--use-fake-device-for-media-stream",
                                                                    "--use-fake-ui-for-media-stream"])
        page = browser.new_page()
        page.goto(base)
        page.fill("#api-key", secret)
        page.click("#key-form button")
        page.wait_for_selector("#genre option", state="attached")
        page.click("#record")
        _until(page, "document.getElementById('record').getAttribute('aria-pressed') === 'true' || "
                     "document.getElementById('status').className === 'error'")
        assert page.get_attribute("#record", "aria-pressed") == "true", page.text_content("#status")
        time.sleep(2)
        page.click("#record")
        _until(page, "state.recording !== null")
        assert page.text_content("#recorded").startswith("Recorded ")
        sent = page.evaluate("upload(state.recording, 'recorded-melody.wav')")
        assert sent["kind"] == "audio" and sent["format"] == "wav" and sent["bytes"] > 44100  # over half a second of 16-bit mono
        info = _get(page, f"/v1/uploads/{sent['id']}/analysis")
        assert info["duration_seconds"] > 1.0
        browser.close()
