from PIL import Image

from maestro_ai.production.mastering.chart import Canvas, nice_ticks


def test_ticks_and_a_drawn_chart(tmp_path):
    assert nice_ticks(0, 10) == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0] and nice_ticks(-13.2, 0.5)[0] == -12.5
    canvas = Canvas(300, 200)
    panel = canvas.panel((0, 0, 300, 200), (20, 20000), (-60, 0), log_x=True, title="spectrum")
    panel.line([20, 2000, 20000], [-10, -30, -50], "#1f5fbf", "after")
    panel.finish("Hz", "dB")
    canvas.save(tmp_path / "c.png")
    with Image.open(tmp_path / "c.png") as image:
        colours = {c for _, c in image.convert("RGB").getcolors(10_000)}
    assert (31, 95, 191) in colours  # the line is there, in its colour
