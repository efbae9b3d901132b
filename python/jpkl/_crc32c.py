"""CRC32C (Castagnoli, the checksum of jpkl's header, index and slices) with NumPy only.

A table CRC is sequential, so it is run on many lanes at once: the data is cut into ``lanes`` blocks
of equal length, the CRC of every block is computed together (one vectorised slicing-by-4 step per
4-byte word position, as two lookups in 65,536-entry tables), and the block CRCs are combined pairwise with the linear "append n zero
bytes" operator of CRC arithmetic (the zlib ``crc32_combine`` idea), built once per length from
32x32 bit matrices over GF(2) and applied through four 256-entry tables. Lane lengths are 64 bytes
times a power of two, so only a few such operators are ever built. Short data (under 512 bytes)
is done byte by byte in Python.
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


def _slicing_tables():
    """Slicing-by-4 tables: t[k][b] is the register after byte b followed by k zero bytes."""
    t = [_TABLE]
    for _ in range(3):
        p = t[-1]
        t.append((p >> np.uint32(8)) ^ _TABLE[p & np.uint32(0xFF)])
    return t


_T0, _T1, _T2, _T3 = _slicing_tables()
# The same step with two 65,536-entry tables: the low and the high half of the register after a word.
_V = np.arange(65536, dtype=np.uint32)
_LOW = _T3[_V & np.uint32(0xFF)] ^ _T2[_V >> np.uint32(8)]
_HIGH = _T1[_V & np.uint32(0xFF)] ^ _T0[_V >> np.uint32(8)]
del _V
_SMALL = 512
_MAX_LANES = 8192


def _raw_lanes(words, lanes, length):
    """Raw CRC (register starting at 0) of ``lanes`` blocks of ``length`` bytes, given as uint32 words.

    ``words`` has shape (lanes, length // 4); the block CRCs are combined into the CRC of their
    concatenation.
    """
    columns = words.T.copy()  # row j = word j of every lane
    crc = np.zeros(lanes, dtype=np.uint32)
    m = np.uint32(0xFFFF)
    s16 = np.uint32(16)
    low, high = _LOW, _HIGH
    for w in columns:
        crc ^= w
        crc = low[crc & m] ^ high[crc >> s16]
    # combine pairwise: crc(A || B) = shift_{|B|}(crc(A)) ^ crc(B); the lengths are length * 2^k, so few operators
    while crc.size > 1:
        crc = _SHIFTS.apply(length, crc[0::2]) ^ crc[1::2]
        length *= 2
    return int(crc[0])


def crc32c(data):
    """The CRC32C of ``data`` (bytes-like) as an unsigned int; ``crc32c(b"123456789") == 0xE3069283``."""
    buf = np.frombuffer(data, dtype=np.uint8)
    n = buf.size
    if n < _SMALL:
        return _raw_small(buf.tobytes(), 0xFFFFFFFF) ^ 0xFFFFFFFF
    # Lane length: 64 bytes times a power of two, so that at most _MAX_LANES lanes cover the data.
    length = 64
    while -(-n // length) > _MAX_LANES:
        length *= 2
    lanes = 1
    while lanes * length < n:
        lanes *= 2
    # Zero bytes in front do not change a CRC register that starts at 0, so the data is right-aligned
    # in lanes * length bytes; the standard initial value 0xFFFFFFFF is the same as inverting the
    # first four bytes of the data with the register at 0.
    padded = np.zeros(lanes * length, dtype=np.uint8)
    padded[lanes * length - n:] = buf
    padded[lanes * length - n:lanes * length - n + 4] ^= np.uint8(0xFF)
    words = padded.view("<u4").reshape(lanes, length // 4)
    return _raw_lanes(words, lanes, length) ^ 0xFFFFFFFF
