"""The watermark's code: CRC-16 and the rate-1/3 convolutional code under a soft Viterbi decoder."""
import numpy as np
import pytest

from maestro_ai.provenance.codes import CODED_BITS, crc16, decode, encode, payload_bits, payload_of


def test_crc16_is_ccitt_false():
    bits = np.unpackbits(np.frombuffer(b"123456789", dtype=np.uint8))
    assert crc16(bits) == 0x29B1  # the standard check value of CRC-16/CCITT-FALSE


def test_payloads_survive_noise_the_code_is_built_for():
    rng = np.random.default_rng(3)
    found = 0
    for _ in range(40):
        payload = int(rng.integers(0, 2 ** 63)) * 2 + 1
        coded = encode(payload_bits(payload))
        assert coded.size == CODED_BITS
        noisy = (2.0 * coded - 1) + rng.normal(0, 0.8, coded.size)  # about one coded bit in ten flipped
        found += payload_of(decode(noisy)) == payload
    assert found == 40


def test_a_damaged_payload_fails_its_crc_and_bad_payloads_are_refused():
    bits = payload_bits(7)
    bits[3] ^= 1
    assert payload_of(bits) is None
    with pytest.raises(ValueError, match="64 bits"):
        payload_bits(1 << 64)
