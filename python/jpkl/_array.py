"""The lazy read-only array over one jpkl file (docs/FORMAT.md; docs/PYTHON.md)."""
import builtins
import itertools
import math
import operator
import os
import struct
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import _codecs, _header
from ._crc32c import crc32c
from ._errors import JpklError
from ._indexing import resolve

MAGIC = b"\x89JPKL\r\n\x1a"
END_MAGIC = b"JPKLEND\x1a"
PREAMBLE = 16
FOOTER = 32
ENTRY = 20
MAX_HEADER = 16 << 20
EAGER_INDEX_BYTES = 256 << 20
MAX_SLICE_BYTES = 2 ** 31 - 9
_ENTRY_DTYPE = np.dtype([("offset", "<u8"), ("length", "<u8"), ("crc", "<u4")])


class _File:
    """Positional reads of one file, safe from several threads."""

    def __init__(self, path):
        self.name = os.fspath(path)
        self._f = builtins.open(path, "rb")
        self.size = os.fstat(self._f.fileno()).st_size
        self._lock = threading.Lock()

    def read(self, offset, length, region):
        if offset < 0 or length < 0 or offset + length > self.size:
            raise JpklError(self.name, region, "%d bytes at offset %d lie beyond the end of the file (%d bytes)" % (
                length, offset, self.size))
        if hasattr(os, "pread"):
            parts = []
            got = 0
            while got < length:
                b = os.pread(self._f.fileno(), length - got, offset + got)
                if not b:
                    break
                parts.append(b)
                got += len(b)
            data = b"".join(parts)
        else:
            with self._lock:
                self._f.seek(offset)
                data = self._f.read(length)
        if len(data) != length:
            raise JpklError(self.name, region, "file ended after %d of %d bytes at offset %d" % (len(data), length, offset))
        return data

    def close(self):
        self._f.close()


def _ceil_half(n):
    return (n + 1) // 2


class _Container:
    """What every level of one file shares: the file, the header and the index."""

    def __init__(self, path, verify):
        self.file = _File(path)
        try:
            self._open(verify)
        except BaseException:
            self.file.close()
            raise

    def _error(self, region, detail):
        return JpklError(self.file.name, region, detail)

    def _open(self, verify):
        f = self.file
        size = f.size
        minimum = PREAMBLE + 4 + FOOTER
        if size < len(MAGIC):
            raise self._error("preamble", "file is %d bytes, too short to be a jpkl file (at least %d)" % (size, minimum))
        pre = f.read(0, min(size, PREAMBLE), "preamble")
        if pre[:8] != MAGIC:
            raise self._error("preamble", "not a jpkl file: magic bytes are %s, expected %s" % (pre[:8].hex(), MAGIC.hex()))
        if size < minimum:
            raise self._error("preamble", "file is %d bytes; a jpkl file has at least %d (truncated?)" % (size, minimum))
        major, minor, hlen = struct.unpack("<HHI", pre[8:16])
        if major < 1 or major > 3:
            raise self._error("preamble", "format version %d.%d is not supported; this reader reads versions 1.x to 3.x"
                              % (major, minor))
        if hlen > MAX_HEADER or hlen > size - minimum:
            raise self._error("preamble", "header length %d does not fit: the file has %d bytes and headers are at "
                                          "most %d" % (hlen, size, MAX_HEADER))
        hb = f.read(PREAMBLE, hlen + 4, "header")
        stored, computed = struct.unpack("<I", hb[hlen:])[0], crc32c(hb[:hlen])
        if stored != computed:
            raise self._error("header", "CRC32C mismatch (stored 0x%08x, computed 0x%08x): the header is damaged"
                              % (stored, computed))
        try:
            h = _header.parse(hb[:hlen])
        except _header.HeaderError as e:
            raise self._error("header", str(e)) from None
        if h["tile_shape"] is not None and major < 2:
            raise self._error("header", "'tile_shape' needs format version 2.0 or later; the file says %d.%d" % (major, minor))
        if h["levels"] > 0 and major < 3:
            raise self._error("header", "'levels' needs format version 3.0 or later; the file says %d.%d" % (major, minor))
        self.version = (major, minor)
        self.header = h
        self.data_start = PREAMBLE + hlen + 4
        shape = h["shape"]
        self.key_axes = tuple(a for a in range(len(shape)) if a not in (h["y"], h["x"], h["channel"]))
        self.slices = math.prod(shape[a] for a in self.key_axes)
        # chunks per level
        self.level_shapes = [shape]
        self.level_start = [0]
        total = 0
        for k in range(h["levels"] + 1):
            s = self.level_shapes[k]
            total += self.slices * self._tiles_per_plane(s)
            if k < h["levels"]:
                t = list(s)
                t[h["y"]] = _ceil_half(t[h["y"]])
                t[h["x"]] = _ceil_half(t[h["x"]])
                self.level_shapes.append(tuple(t))
                self.level_start.append(total)
        self.chunks = total
        foot = f.read(size - FOOTER, FOOTER, "footer")
        if foot[24:] != END_MAGIC:
            raise self._error("footer", "end magic is %s, expected %s (file truncated or not finished)" % (
                foot[24:].hex(), END_MAGIC.hex()))
        fcrc = crc32c(foot[:20])
        if struct.unpack("<I", foot[20:24])[0] != fcrc:
            raise self._error("footer", "CRC32C mismatch (stored 0x%08x, computed 0x%08x)" % (
                struct.unpack("<I", foot[20:24])[0], fcrc))
        index_offset, count, index_crc = struct.unpack("<QQI", foot[:20])
        if count != total:
            raise self._error("footer", "slice count %d does not match the header's shape %s, which has %d chunks" % (
                count, list(shape), total))
        index_bytes = count * ENTRY
        if index_offset < self.data_start or index_offset > size - FOOTER or index_bytes != size - FOOTER - index_offset:
            raise self._error("footer", "index at offset %d with %d entries (%d bytes) does not fit between the header "
                                        "end (%d) and the footer (%d)" % (index_offset, count, index_bytes,
                                                                         self.data_start, size - FOOTER))
        self.index_offset = index_offset
        self.index_crc = index_crc
        self.index = None
        if index_bytes <= EAGER_INDEX_BYTES:
            raw = f.read(index_offset, index_bytes, "index")
            c = crc32c(raw)
            if c != index_crc:
                raise self._error("index", "CRC32C mismatch (stored 0x%08x, computed 0x%08x): the index is damaged"
                                  % (index_crc, c))
            self.index = np.frombuffer(raw, dtype=_ENTRY_DTYPE)
            off = self.index["offset"]
            ln = self.index["length"]
            bad = (off < self.data_start) | (ln > MAX_SLICE_BYTES) | (off > index_offset) | (
                ln > index_offset - np.minimum(off, index_offset))
            if bad.any():
                n = int(np.argmax(bad))
                raise self._error("index entry for " + self.chunk_region(n), "offset %d and length %d do not lie in "
                                  "the data region [%d, %d)" % (int(off[n]), int(ln[n]), self.data_start, index_offset))

    def _tiles_per_plane(self, shape):
        t = self.header["tile_shape"]
        if t is None:
            return 1
        h, w = shape[self.header["y"]], shape[self.header["x"]]
        return -(-h // t[0]) * -(-w // t[1])

    def entry(self, n):
        if self.index is not None:
            e = self.index[n]
            off, ln, crc = int(e["offset"]), int(e["length"]), int(e["crc"])
        else:
            off, ln, crc = struct.unpack("<QQI", self.file.read(self.index_offset + ENTRY * n, ENTRY, "index"))
            if off < self.data_start or ln > MAX_SLICE_BYTES or off > self.index_offset - min(ln, self.index_offset):
                raise self._error("index entry for " + self.chunk_region(n), "offset %d and length %d do not lie in the "
                                  "data region [%d, %d)" % (off, ln, self.data_start, self.index_offset))
        return off, ln, crc

    def chunk_region(self, n):
        """'slice 7 (key (1, 3))', 'tile (0, 2) of slice 7 ...', '... of level 1' for chunk number n."""
        level = 0
        while level + 1 < len(self.level_start) and n >= self.level_start[level + 1]:
            level += 1
        rel = n - self.level_start[level]
        per = self._tiles_per_plane(self.level_shapes[level])
        s, t = divmod(rel, per)
        key = np.unravel_index(s, [self.header["shape"][a] for a in self.key_axes]) if self.key_axes else ()
        text = "slice %d (key (%s))" % (s, ", ".join(str(int(k)) for k in key) + ("," if len(key) == 1 else ""))
        if self.header["tile_shape"] is not None:
            sh = self.level_shapes[level]
            cols = -(-sh[self.header["x"]] // self.header["tile_shape"][1])
            text = "tile (%d, %d) of %s" % (t // cols, t % cols, text)
        return text + (" of level %d" % level if level else "")

    def read_chunk(self, n, verify):
        region = self.chunk_region(n)
        off, ln, crc = self.entry(n)
        return self.file.read(off, ln, region), crc, region


class JpklArray:
    """A read-only, lazy N-D array over a jpkl file: indexing decodes only the slices (and tiles) it touches.

    Attributes: ``shape``, ``dtype`` (a NumPy dtype), ``ndim``, ``size``, ``axis_names``, ``metadata``,
    ``codec``, ``codec_params``, ``tile_shape`` (or None), ``level_count`` and ``version``.
    ``a[...]`` follows NumPy's basic indexing and returns a NumPy array; ``np.asarray(a)`` reads it all.
    """

    def __init__(self, container, level, verify, threads, levels=None):
        self._c = container
        self._levels = levels if levels is not None else {0: self}
        self._level = level
        self._verify = verify
        self._threads = threads
        h = container.header
        self.shape = container.level_shapes[level]
        self.dtype = np.dtype(h["dtype"])
        self.ndim = len(self.shape)
        self.size = math.prod(self.shape)
        self.axis_names = h["axis_names"]
        self.metadata = h["metadata"]
        self.codec = h["codec"]
        self.codec_params = dict(h["params"])
        self.tile_shape = h["tile_shape"]
        self.level_count = h["levels"] + 1
        self.downsampling = h["downsampling"]
        self.version = container.version
        self.path = container.file.name
        if self.codec not in _codecs.DECODERS:
            raise _codecs.MissingCodecError("%s: codec '%s' is not known to this reader; known: %s" % (
                self.path, self.codec, ", ".join(sorted(_codecs.DECODERS))))

    # ---- metadata
    @property
    def nbytes(self):
        return self.size * self.dtype.itemsize

    @property
    def level_index(self):
        """Which resolution level this array is (0: the full-resolution array)."""
        return self._level

    @property
    def chunks(self):
        """The natural chunking for dask: one plane (or tile) per chunk, one element along every key axis."""
        h = self._c.header
        out = []
        for a, n in enumerate(self.shape):
            if a == h["y"] or a == h["x"]:
                t = None if h["tile_shape"] is None else h["tile_shape"][0 if a == h["y"] else 1]
                out.append(n if t is None else min(t, n))
            elif a == h["channel"]:
                out.append(3)
            else:
                out.append(1)
        return tuple(out)

    def level(self, k):
        """Resolution level ``k`` (0 is this array; ``level_count - 1`` the smallest) as a JpklArray.

        Levels are made once and share this array's file: closing any of them closes the file.
        """
        k = operator.index(k)
        if k < 0 or k >= self.level_count:
            raise IndexError("level %d is out of range [0, %d): %s has %d reduced levels" % (
                k, self.level_count, self.path, self.level_count - 1))
        a = self._levels.get(k)
        if a is None:
            a = self._levels.setdefault(k, JpklArray(self._c, k, self._verify, self._threads, self._levels))
        return a

    def __len__(self):
        return self.shape[0]

    def __reduce__(self):
        """Pickles as (path, level, options): the copy reopens the file, e.g. in a dask worker process."""
        return _reopen, (self.path, self._level, self._verify, self._threads)

    def __repr__(self):
        return "jpkl.JpklArray(%r, shape=%s, dtype=%s, codec=%s%s)" % (
            self.path, self.shape, self.dtype, self.codec, "" if self._level == 0 else ", level=%d" % self._level)

    def close(self):
        self._c.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __array__(self, dtype=None, copy=None):
        a = self[...]
        return a if dtype is None else a.astype(dtype, copy=False)

    # ---- reading
    def __getitem__(self, key):
        sel = resolve(key, self.shape)
        h = self._c.header
        y, x, ch = h["y"], h["x"], h["channel"]
        out = np.empty(sel.kept_shape, dtype=self.dtype)
        if out.size == 0:
            return out.reshape(sel.shape)
        ph, pw = self.shape[y], self.shape[x]
        th, tw = (ph, pw) if h["tile_shape"] is None else h["tile_shape"]
        tile_cols = -(-pw // tw)
        key_shape = [self.shape[a] for a in self._c.key_axes]
        per_plane = -(-ph // th) * tile_cols
        base = self._c.level_start[self._level]
        # a decoded block has axes (y, x[, channel]); `out` has them in source order
        plane_axes = [y, x] + ([ch] if ch is not None else [])
        order = tuple(int(k) for k in np.argsort(plane_axes))
        in_channels = () if ch is None else (_span(sel.axes[ch]),)
        rows_by_tile = _runs(sel.axes[y], th)
        cols_by_tile = _runs(sel.axes[x], tw)
        jobs = []
        key_lists = [list(enumerate(sel.positions(a))) for a in self._c.key_axes]
        for combo in itertools.product(*key_lists):
            slice_number = 0
            for (_, k), n in zip(combo, key_shape):
                slice_number = slice_number * n + k
            target = [slice(None)] * self.ndim
            for a, (i, _) in zip(self._c.key_axes, combo):
                target[a] = i
            for tr, yin, yout in rows_by_tile:
                for tc, xin, xout in cols_by_tile:
                    chunk = base + slice_number * per_plane + tr * tile_cols + tc
                    tshape = (min(th, ph - tr * th), min(tw, pw - tc * tw))
                    t = list(target)
                    t[y] = yout
                    t[x] = xout
                    jobs.append((chunk, tshape, (yin, xin) + in_channels, tuple(t)))

        def run(job):
            chunk, tshape, inside, target = job
            out[target] = np.transpose(self._decode(chunk, tshape)[inside], order)

        if self._threads and self._threads > 1 and len(jobs) > 1:
            with ThreadPoolExecutor(self._threads) as pool:
                for _ in pool.map(run, jobs):
                    pass
        else:
            for job in jobs:
                run(job)
        return out.reshape(sel.shape)

    def _decode(self, chunk, tshape):
        h = self._c.header
        c = 1 if h["channel"] is None else 3
        plane_bytes = tshape[0] * tshape[1] * c * self.dtype.itemsize
        off, ln, crc = self._c.entry(chunk)
        region = self._c.chunk_region(chunk)
        bound = _codecs.max_encoded_bytes(plane_bytes)
        if ln > bound:
            raise JpklError(self.path, region, "length %d exceeds the codec's bound %d for a %dx%d%s %s plane" % (
                ln, bound, tshape[0], tshape[1], "x3" if c == 3 else "", h["dtype"]))
        data = self._c.file.read(off, ln, region)
        if self._verify:
            got = crc32c(data)
            if got != crc:
                raise JpklError(self.path, region, "CRC32C mismatch at offset %d (stored 0x%08x, computed 0x%08x): "
                                "the slice is damaged" % (off, crc, got))
        try:
            return _codecs.DECODERS[self.codec](data, h["dtype"], tshape[0], tshape[1], c, h["params"])
        except _codecs.CodecError as e:
            raise JpklError(self.path, region, "codec '%s': %s" % (self.codec, e)) from None
        except _codecs.MissingCodecError as e:
            raise _codecs.MissingCodecError("%s: %s: %s" % (self.path, region, e)) from None

    def read_chunk(self, n):
        """The encoded bytes of chunk ``n`` (slice, or tile, numbered as in docs/FORMAT.md), checked against its CRC32C."""
        if n < 0 or n >= self._c.chunks:
            raise IndexError("chunk %d is out of range [0, %d)" % (n, self._c.chunks))
        off, ln, crc = self._c.entry(n)
        region = self._c.chunk_region(n)
        data = self._c.file.read(off, ln, region)
        if self._verify and crc32c(data) != crc:
            raise JpklError(self.path, region, "CRC32C mismatch at offset %d: the slice is damaged" % off)
        return data

    def to_dask(self, chunks=None):
        """A dask array over this file, by default one chunk per slice (per tile when tiled)."""
        import dask.array as da
        return da.from_array(self, chunks=chunks or self.chunks, asarray=False, fancy=False, lock=False,
                             meta=np.empty((0,) * self.ndim, dtype=self.dtype))


def _span(axis):
    """A selected axis ``("int", i)`` or ``("slice", start, step, count)`` as a slice of the plane."""
    if axis[0] == "int":
        return slice(axis[1], axis[1] + 1)
    _, start, step, count = axis
    stop = start + step * count
    return slice(start, stop if stop >= 0 else None, step)


def _runs(axis, tile):
    """[(tile number, slice within the tile, slice of the result)] for one selected plane axis cut into tiles.

    The selected positions are an arithmetic progression, so those inside one tile are a run of
    consecutive result indices and a slice of the tile.
    """
    if axis[0] == "int":
        start, step, count = axis[1], 1, 1
    else:
        _, start, step, count = axis
    runs = []
    i = 0
    while i < count:
        p = start + i * step
        t = p // tile
        if step > 0:
            last = min(count - 1, ((t + 1) * tile - 1 - start) // step)
        else:
            last = min(count - 1, (start - t * tile) // -step)
        first_in = p - t * tile
        stop_in = first_in + step * (last - i + 1)
        runs.append((t, slice(first_in, stop_in if stop_in >= 0 else None, step), slice(i, last + 1)))
        i = last + 1
    return runs


def _reopen(path, level, verify, threads):
    return open(path, verify=verify, threads=threads).level(level)


def open(path, verify=True, threads=None):  # noqa: A001 - the package's entry point is jpkl.open
    """Opens a jpkl file as a lazy read-only JpklArray; reads only the header, footer and index.

    ``verify``: check each slice's CRC32C (on by default). ``threads``: decode the slices of one
    selection in a pool of that many threads (zlib, zstandard and Pillow release the GIL).
    Raises JpklError (naming the file and the region) for a damaged or unsupported file.
    """
    if threads is not None and threads < 1:
        raise ValueError("threads must be >= 1 or None, got %r" % (threads,))
    c = _Container(path, verify)
    try:
        return JpklArray(c, 0, verify, threads)
    except BaseException:
        c.file.close()
        raise
