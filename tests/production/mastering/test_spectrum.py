import numpy as np

from maestro_ai.production.mastering.spectrum import FIRFilter, SpectrumMeter, design_fir, fft_size, smooth, to_db

SR = 44100


def test_the_meter_finds_a_tone_in_mid_and_side():
    t = np.arange(SR * 2) / SR
    left = np.sin(2 * np.pi * 1000 * t)
    meter = SpectrumMeter(2, SR)
    meter.add(np.stack([left, -left]).astype(np.float32))  # all side, no mid
    assert abs(meter.freqs[np.argmax(meter.side())] - 1000) < 30 and meter.mid().max() < 1e-6 * meter.side().max()
    assert smooth(meter.freqs, meter.side()).shape == meter.freqs.shape and np.isfinite(to_db(meter.side())).all()


def test_the_fir_filter_shapes_as_designed_and_delays_by_half_its_length():
    size = fft_size(SR)
    curve = np.zeros(size // 2 + 1)
    curve[np.fft.rfftfreq(size, 1 / SR) > 5000] = -20.0
    fir = FIRFilter(design_fir(curve, size))
    t = np.arange(SR) / SR
    for hz, expect in ((200, 1.0), (10000, 0.1)):
        x = np.sin(2 * np.pi * hz * t).astype(np.float32)
        y = fir(np.concatenate([np.zeros(fir.delay, np.float32), x, np.zeros(fir.delay, np.float32)]))
        assert abs(np.abs(y[SR // 4: 3 * SR // 4]).max() - expect) < 0.05 * expect + 0.02, hz
