"""The artist dashboard page (/dashboard), driven in headless Chromium (Debian's chromium, by
Playwright) against a real `maestro serve` app: an artist's two registered songs, a play log of
them, a royalty run paying the month, and the page drawing their sound against their genre (its
plots too), their audience and their statements, from the keyboard
and on a phone-sized screen. Screenshots are kept in test-artifacts/studio/."""
import pytest

import maestro_ai
from maestro_ai.catalog.plays import import_plays
from maestro_ai.cli.main import main
from maestro_ai.production.clearance import register_work
from maestro_ai.rights.registry import Registry
from maestro_ai.royalties.statements import statements_of
from tests.server.test_studio_page import CHROMIUM, FLAGS, _shot, _until, served  # noqa: F401 (the fixture)

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium (Debian's chromium) is not installed")


def test_the_dashboard_draws_an_artists_sound_and_audience(served, tmp_path, monkeypatch):  # noqa: F811 (the fixture)
    base, store = served
    monkeypatch.setenv("MAESTRO_RIGHTS_DB", f"sqlite:///{tmp_path / 'rights.db'}")
    registry = Registry(f"sqlite:///{tmp_path / 'rights.db'}")
    registry.add_artist("Ada")
    songs = [maestro_ai.MusicGenerator("folk", "peaceful", seed=seed, output_dir=tmp_path / "songs", formats=("wav",),
                                       quality="draft").generate({}, duration_seconds=32) for seed in (1, 2)]
    works = [register_work(registry, s.mix_path, title=s.title, owner="Ada", acting="Ada").id for s in songs]
    log = tmp_path / "plays.csv"
    rows = ["user_id,track_id,played_at,ms_played,tier,country,source"]
    rows += [f"u{n},{works[n % 2]},2026-10-{10 + n % 5:02d}T20:00:00Z,{9000 if n % 5 == 4 else 32000},premium,de,"
             f"{['search', 'library', 'playlist'][n % 3]}" for n in range(30)]
    log.write_text("\n".join(rows) + "\n")
    import_plays(log)
    (tmp_path / "pool.csv").write_text("period,country,tier,amount,currency\n2026-10,de,premium,120000,EUR\n")
    assert main(["royalties", "run", "--period", "2026-10", "--plays", str(log), "--pool", str(tmp_path / "pool.csv"),
                 "--min-streams", "0", "--out", str(tmp_path / "statements")]) == 0
    paid = statements_of("Ada")
    assert [s["period"] for s in paid] == ["2026-10"] and paid[0]["total"] == 120000  # Ada owns every track played
    _, secret = store.create_key("ada", ["read"], artist="Ada")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        problems = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{base}/dashboard")
        page.focus("#api-key")
        page.keyboard.type(secret)
        page.focus("#artist")
        page.keyboard.type("Ada")
        page.keyboard.press("Enter")
        try:
            _until(page, "document.body.dataset.ready === 'true'", 120_000)
        except AssertionError:
            raise AssertionError((problems, page.text_content("#status"))) from None
        assert "2 tracks" in page.text_content("#genres") and "folk" in page.text_content("#genres")
        measures = page.eval_on_selector_all("#compare tbody tr", "rows => rows.map(r => r.dataset.measure)")
        assert measures == ["tempo", "energy", "valence", "minor_share"]
        assert page.eval_on_selector_all("#per-track tbody tr", "rows => rows.length") == 2
        assert int(page.get_attribute("#days", "data-days")) == 4  # the fifth day held only skips
        assert "listeners" in page.text_content("#summary") and "AI-generated" in page.text_content("#summary")
        assert page.get_attribute("#mood-map", "data-theirs") == "2"
        assert page.eval_on_selector_all("#tempos rect.theirs", "bars => bars.length") >= 1
        assert page.eval_on_selector_all("#statements tbody tr", "rows => rows.map(r => r.dataset.period)") == ["2026-10"]
        assert "1200.00 EUR" in page.text_content("#statements")
        sources = page.text_content("#sources")
        assert "search" in sources and "library" in sources
        _shot(page, "5-dashboard")
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        _shot(page, "6-dashboard-narrow")
        page.goto(f"{base}/dashboard")  # another artist's dashboard is refused, in words
        page.fill("#artist", "Bob")
        page.click("#dash-form button")
        _until(page, "document.getElementById('status').textContent.includes(\"own key\")")
        browser.close()
    assert problems == []
