import os
import time
import unittest
import zlib

import numpy as np

from jpkl import crc32c
from jpkl._crc32c import _raw_small


def reference(data):
    """Bit-at-a-time CRC32C, straight from the definition (reflected polynomial 0x82F63B78)."""
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


class Crc32cTest(unittest.TestCase):
    def test_known_values(self):
        self.assertEqual(0xE3069283, crc32c(b"123456789"))  # the standard check value (RFC 3720's CRC32C)
        self.assertEqual(0, crc32c(b""))
        self.assertEqual(0x8A9136AA, crc32c(bytes(32)))  # RFC 3720 B.4: 32 bytes of zeros
        self.assertEqual(0x62A8AB43, crc32c(b"\xff" * 32))  # RFC 3720 B.4: 32 bytes of 0xff
        self.assertEqual(0x46DD794E, crc32c(bytes(range(32))))  # RFC 3720 B.4: incrementing bytes

    def test_lanes_agree_with_the_definition_at_every_length_boundary(self):
        rnd = np.random.default_rng(5)
        for n in [1, 2, 63, 64, 127, 128, 129, 255, 256, 1000, 4095, 4096, 8191, 65536 + 7, 300001]:
            data = rnd.integers(0, 256, n, dtype=np.uint8).tobytes()
            want = reference(data) if n < 5000 else _raw_small(data, 0xFFFFFFFF) ^ 0xFFFFFFFF
            self.assertEqual(want, crc32c(data), "length %d" % n)

    def test_accepts_bytes_like(self):
        data = os.urandom(5000)
        self.assertEqual(crc32c(data), crc32c(bytearray(data)))
        self.assertEqual(crc32c(data), crc32c(memoryview(data)))

    def test_large_data_and_speed(self):
        """4 MiB (8,192 lanes of 512 bytes) against the byte-at-a-time loop; prints the throughput (no assertion on time)."""
        data = os.urandom(4 << 20)
        self.assertEqual(_raw_small(data, 0xFFFFFFFF) ^ 0xFFFFFFFF, crc32c(data))
        t0 = time.perf_counter()
        crc32c(data)
        ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        zlib.crc32(data)
        theirs = time.perf_counter() - t0
        print("\nCRC32C with NumPy: %.0f MB/s on 4 MiB (zlib's C CRC-32 for scale: %.0f MB/s)" % (
            len(data) / ours / 1e6, len(data) / theirs / 1e6))
