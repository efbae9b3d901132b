"""CRC32C (Castagnoli, the checksum of jpkl's header, index and slices) with NumPy only.

A byte-at-a-time table CRC is sequential, so it is run on many lanes at once: the data is cut into
``lanes`` blocks of equal length, the CRC of every block is computed together (one vectorised table
step per byte position), and the block CRCs are combined pairwise with the linear "append n zero
bytes" operator of CRC arithmetic (the zlib ``crc32_combine`` idea), built once per length from
32x32 bit matrices over GF(2) and applied through four 256-entry tables.
"""
import numpy as np

_POLY = 0x82F63B78  # reflected Castagnoli polynomial


def _byte_table():
    t = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        t = np.where(t & 1, (t >> np.uint32(1)) ^ np.uint32(_POLY), t >> np.uint32(1)).astype(np.uint32)
    return t


_TABLE = _byte_table()
_TABLE_LIST = _TABLE.tolist()
_BITS = np.uint32(1) << np.arange(32, dtype=np.uint32)


def _apply_columns(columns, values):
    """A linear operator given by its 32 columns (images of the bits), applied to a uint32 array."""
    out = np.zeros_like(values)
    for b in range(32):
        out ^= np.where(values & _BITS[b], columns[b], np.uint32(0))
    return out


def _zero_byte_columns():
    """The operator 'append one zero byte' to a raw CRC register."""
    v = _BITS.copy()
    return (_TABLE[v & np.uint32(0xFF)] ^ (v >> np.uint32(8))).astype(np.uint32)


class _Shifts:
    """Operators 'append n zero bytes' (cached by n), as 32 columns and as four byte tables."""

    def __init__(self):
        self._columns = {1: _zero_byte_columns()}
        self._tables = {}

    def columns(self, n):
        c = self._columns.get(n)
        if c is None:
            half = self.columns(n // 2)
            c = _apply_columns(half, half)  # half o half
            if n % 2:
                c = _apply_columns(self.columns(1), c)
            self._columns[n] = c
        return c

    def tables(self, n):
        t = self._tables.get(n)
        if t is None:
            cols = self.columns(n)
            v = np.arange(256, dtype=np.uint32)
            t = np.stack([_apply_columns(cols, v << np.uint32(8 * k)) for k in range(4)])
            self._tables[n] = t
        return t

    def apply(self, n, values):
        if n == 0:
            return values
        t = self.tables(n)
        m = np.uint32(0xFF)
        return (t[0][values & m] ^ t[1][(values >> np.uint32(8)) & m] ^ t[2][(values >> np.uint32(16)) & m]
                ^ t[3][values >> np.uint32(24)])


_SHIFTS = _Shifts()


def _raw_small(data, crc=0):
    """Raw (no init, no final xor) CRC register update, one byte at a time in Python."""
    t = _TABLE_LIST
    for b in data:
        crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc


def _raw_lanes(block, lanes):
    """Raw CRC (register starting at 0) of ``block`` (uint8, length lanes * L) cut into ``lanes`` blocks."""
    length = block.size // lanes
    columns = block.reshape(lanes, length).T.copy()  # row j = byte j of every lane
    crc = np.zeros(lanes, dtype=np.uint32)
    m = np.uint32(0xFF)
    s = np.uint32(8)
    table = _TABLE
    for j in range(length):
        crc = table[(crc ^ columns[j]) & m] ^ (crc >> s)
    # combine pairwise: crc(A || B) = shift_{|B|}(crc(A)) ^ crc(B)
    while crc.size > 1:
        crc = _SHIFTS.apply(length, crc[0::2]) ^ crc[1::2]
        length *= 2
    return int(crc[0])


def crc32c(data):
    """The CRC32C of ``data`` (bytes-like) as an unsigned int; ``crc32c(b"123456789") == 0xE3069283``."""
    buf = np.frombuffer(data, dtype=np.uint8)
    n = buf.size
    lanes = 1
    while lanes < 4096 and n // (lanes * 2) >= 64:
        lanes *= 2
    raw = 0
    done = 0
    if lanes > 1:
        body = (n // lanes) * lanes
        raw = _raw_lanes(buf[:body], lanes)
        done = body
    raw = _raw_small(buf[done:].tobytes(), raw)
    # the standard CRC starts from 0xFFFFFFFF: its effect is that register shifted over all n bytes
    init = int(_SHIFTS.apply(n, np.array([0xFFFFFFFF], dtype=np.uint32))[0]) if n else 0xFFFFFFFF
    return (raw ^ init) ^ 0xFFFFFFFF
