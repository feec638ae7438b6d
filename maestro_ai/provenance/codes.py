"""The watermark's error-correcting code: a payload with its CRC-16, encoded by the rate-1/3
convolutional code of constraint length 7 (generators 133, 171, 165 octal, as in LTE and
audiowmark) and decoded by a soft-decision Viterbi decoder.

>>> bits = payload_bits(0x1234_5678_9ABC_DEF0)
>>> coded = encode(bits)
>>> len(bits), len(coded)
(80, 258)
>>> noisy = (2.0 * coded - 1) + np.random.default_rng(0).normal(0, 0.9, coded.size)
>>> hex(payload_of(decode(noisy)))
'0x123456789abcdef0'
"""
from __future__ import annotations

import numpy as np

PAYLOAD_BITS = 64
CRC_BITS = 16
CRC_POLY = 0x1021  # CRC-16/CCITT
CONSTRAINT = 7
GENERATORS = (0o133, 0o171, 0o165)
STATES = 1 << (CONSTRAINT - 1)
CODED_BITS = (PAYLOAD_BITS + CRC_BITS + CONSTRAINT - 1) * len(GENERATORS)


def crc16(bits: np.ndarray) -> int:
    """CRC-16/CCITT (initial 0xFFFF) of a bit sequence, most significant bit first."""
    crc = 0xFFFF
    for bit in bits.astype(int).tolist():
        top = ((crc >> 15) & 1) ^ bit
        crc = ((crc << 1) & 0xFFFF) ^ (CRC_POLY if top else 0)
    return crc


def _bits(value: int, count: int) -> np.ndarray:
    return np.array([(value >> (count - 1 - i)) & 1 for i in range(count)], dtype=np.uint8)


def payload_bits(payload: int) -> np.ndarray:
    """The 64-bit payload and its CRC-16, as 80 bits."""
    if not 0 <= payload < 1 << PAYLOAD_BITS:
        raise ValueError(f"a watermark payload is 64 bits: 0 to 2^64-1, not {payload}")
    data = _bits(payload, PAYLOAD_BITS)
    return np.concatenate([data, _bits(crc16(data), CRC_BITS)])


def payload_of(bits: np.ndarray) -> int | None:
    """The payload of 80 decoded bits, or None when their CRC does not check."""
    data, check = bits[:PAYLOAD_BITS], bits[PAYLOAD_BITS:PAYLOAD_BITS + CRC_BITS]
    if crc16(data) != int("".join(map(str, check.astype(int).tolist())), 2):
        return None
    return int("".join(map(str, data.astype(int).tolist())), 2)


def _outputs() -> tuple[np.ndarray, np.ndarray]:
    """For every state (the last six input bits) and input bit: the three coded bits and the next state."""
    out = np.zeros((STATES, 2, len(GENERATORS)), dtype=np.uint8)
    nxt = np.zeros((STATES, 2), dtype=np.int64)
    for state in range(STATES):
        for bit in (0, 1):
            register = (bit << (CONSTRAINT - 1)) | state  # newest bit on top
            out[state, bit] = [bin(register & g).count("1") & 1 for g in GENERATORS]
            nxt[state, bit] = register >> 1
    return out, nxt


OUTPUTS, NEXT = _outputs()


def encode(bits: np.ndarray) -> np.ndarray:
    """The coded bits of `bits` followed by six zero bits that bring the encoder home."""
    state, coded = 0, []
    for bit in [*bits.astype(int).tolist(), *[0] * (CONSTRAINT - 1)]:
        coded.append(OUTPUTS[state, bit])
        state = NEXT[state, bit]
    return np.concatenate(coded)


def decode(soft: np.ndarray, count: int = PAYLOAD_BITS + CRC_BITS) -> np.ndarray:
    """The most likely `count` bits for soft coded values (positive: a 1 is more likely), by
    Viterbi's algorithm over the code's 64 states, ending in state 0."""
    steps = count + CONSTRAINT - 1
    soft = np.asarray(soft, dtype=np.float64).reshape(steps, len(GENERATORS))
    signs = 2.0 * OUTPUTS.astype(np.float64) - 1  # (state, bit, 3)
    # state T is reached by bit T >> 5 from the two states whose top five bits are T's low five
    target = np.arange(STATES)
    bit = target >> (CONSTRAINT - 2)
    first = 2 * (target & (STATES // 2 - 1))
    metric = np.full(STATES, -np.inf)
    metric[0] = 0.0
    took_second = np.zeros((steps, STATES), dtype=bool)
    for step in range(steps):
        gain = signs @ soft[step]  # (state, bit)
        a = metric[first] + gain[first, bit]
        b = metric[first + 1] + gain[first + 1, bit]
        took_second[step] = b > a
        metric = np.maximum(a, b)
    state, bits = 0, []
    for step in range(steps - 1, -1, -1):
        bits.append(int(bit[state]))
        state = int(first[state] + took_second[step, state])
    return np.array(bits[::-1][:count], dtype=np.uint8)
