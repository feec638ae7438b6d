from maestro_ai.compose.form import plan_form, section_energy


def test_form_fills_the_bars_with_an_energy_curve():
    for bars in (1, 6, 9, 30, 54, 150, 400):
        sections = plan_form(bars, energy=0.5)
        assert sections[0].start_bar == 0 and sections[-1].end_bar == bars
        assert all(a.end_bar == b.start_bar for a, b in zip(sections, sections[1:]))
    song = plan_form(54, energy=0.5)
    names = [s.name for s in song]
    assert names[0] == "intro" and names[-1] == "outro" and "chorus" in names and "bridge" in names
    energy = {s.name: s.energy for s in song}
    assert energy["chorus"] > energy["verse"] > energy["intro"]
    assert section_energy("chorus", 0.5, repeat=2) > section_energy("chorus", 0.5)
