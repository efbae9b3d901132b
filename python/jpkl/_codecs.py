"""Slice decoders for jpkl's codecs: ``jpeg`` and ``png`` (Pillow), ``deflate`` (zlib), ``zstd`` (zstandard).

Each decoder returns the plane as a NumPy array of shape (height, width) or (height, width, 3) and
raises CodecError for data it refuses (the reader adds the file and the slice), or MissingCodecError
when the Python module it needs is not installed.
"""
import base64
import binascii
import io
import math
import struct
import zlib

import numpy as np

NUMPY_DTYPES = {"uint8": "u1", "uint16": "<u2", "int16": "<i2", "int32": "<i4", "float32": "<f4", "float64": "<f8"}


class CodecError(ValueError):
    """A slice the codec refuses; the reader turns it into JpklError naming the file and the slice."""


class MissingCodecError(ImportError):
    """The Python module a codec needs is not installed (the message names the codec and the package)."""


_MODULES = {}


def _module(codec, module, pip, debian):
    m = _MODULES.get(module)
    if m is not None:
        return m
    try:
        m = __import__(module, fromlist=["_"])
        _MODULES[module] = m
        return m
    except ImportError:
        raise MissingCodecError("codec '%s' needs the Python module '%s', which is not installed (pip install %s, "
                                "or apt-get install %s)" % (codec, module, pip, debian)) from None


# ---- deflate and zstd: 16-byte plane header, then the compressed filtered samples

_FILTERS = {"none": 0, "shuffle": 1, "delta": 2}
_HEADER_DTYPES = {"uint8": 1, "uint16": 2, "int16": 3, "int32": 4, "float32": 5, "float64": 6}
_MAGIC = {"deflate": b"JPKD", "zstd": b"JPKZ"}


def _plane_header(codec, data, dtype, h, w, c, params):
    if len(data) < 16:
        raise CodecError("%d bytes, shorter than the 16-byte plane header" % len(data))
    magic, version, fcode, dcode, spp, hh, ww = struct.unpack("<4sBBBBII", data[:16])
    if magic != _MAGIC[codec]:
        raise CodecError("magic 0x%08x is not %s's 0x%08x" % (struct.unpack("<I", magic)[0], codec,
                                                               struct.unpack("<I", _MAGIC[codec])[0]))
    if version != 1:
        raise CodecError("format version %d is not supported; expected 1" % version)
    wanted = params.get("filter", "shuffle").strip().lower()
    if wanted not in _FILTERS:
        raise CodecError("filter '%s' is not supported; allowed: [none, shuffle, delta]" % wanted)
    if fcode != _FILTERS[wanted]:
        raise CodecError("filter code %d does not match the parameters' filter %s" % (fcode, wanted))
    if dcode != _HEADER_DTYPES[dtype] or spp != c or hh != h or ww != w:
        raise CodecError("plane of dtype code %d, %dx%dx%d does not match the expected %s %dx%dx%d" % (
            dcode, hh, ww, spp, dtype, h, w, c))
    return wanted


def _unfilter(raw, filt, dtype, h, w, c):
    size = np.dtype(NUMPY_DTYPES[dtype]).itemsize
    n = h * w * c
    b = np.frombuffer(raw, dtype=np.uint8)
    if filt != "none" and size > 1:
        b = b.reshape(size, n).T  # unshuffle: byte k of sample i is at k * n + i
    ints = {1: "u1", 2: "<u2", 4: "<u4", 8: "<u8"}[size]
    v = np.ascontiguousarray(b).view(ints).reshape(h, w, c)
    if filt == "delta":
        if dtype.startswith("float"):
            v = np.bitwise_xor.accumulate(v, axis=1)
        else:
            v = np.cumsum(v, axis=1, dtype=v.dtype)  # wraps, like the writer's wrapping subtraction
    out = v.view(NUMPY_DTYPES[dtype])
    return out if c == 3 else out.reshape(h, w)


def decode_deflate(data, dtype, h, w, c, params):
    filt = _plane_header("deflate", data, dtype, h, w, c, params)
    n = h * w * c * np.dtype(NUMPY_DTYPES[dtype]).itemsize
    d = zlib.decompressobj()
    try:
        raw = d.decompress(memoryview(data)[16:], n + 1)
    except zlib.error as e:
        raise CodecError("zlib stream is damaged: %s" % e) from None
    if len(raw) > n or (len(raw) == n and not d.eof and d.unconsumed_tail):
        raise CodecError("zlib stream holds more than the plane's %d bytes" % n)
    if not d.eof:
        raise CodecError("zlib stream ends early: %d of the plane's %d bytes and no end of stream" % (len(raw), n))
    if len(raw) != n:
        raise CodecError("zlib stream holds %d bytes; the plane has %d" % (len(raw), n))
    if d.unused_data:
        raise CodecError("%d bytes of trailing data after the zlib stream" % len(d.unused_data))
    return _unfilter(raw, filt, dtype, h, w, c)


def decode_zstd(data, dtype, h, w, c, params):
    zstd = _module("zstd", "zstandard", "zstandard", "python3-zstandard")
    filt = _plane_header("zstd", data, dtype, h, w, c, params)
    n = h * w * c * np.dtype(NUMPY_DTYPES[dtype]).itemsize
    body = bytes(memoryview(data)[16:])
    if not body:
        raise CodecError("no zstd frame after the header")
    try:
        declared = zstd.frame_content_size(body)
    except zstd.ZstdError as e:
        raise CodecError("not a complete zstd frame (%s)" % e) from None
    if declared not in (-1, n):
        raise CodecError("zstd frame declares %d bytes; the plane has %d" % (declared, n))
    dctx = zstd.ZstdDecompressor()
    try:
        if declared == -1:  # bound the output before decompressing without a declared size
            with dctx.stream_reader(io.BytesIO(body), read_across_frames=False) as r:
                if len(r.read(n + 1)) > n:
                    raise CodecError("zstd frame holds more than the plane's %d bytes" % n)
        obj = dctx.decompressobj()
        raw = obj.decompress(body)
        ended = obj.eof if hasattr(obj, "eof") else True
        trailing = obj.unused_data if hasattr(obj, "unused_data") else b""
    except zstd.ZstdError as e:
        raise CodecError("zstd frame is damaged: %s" % e) from None
    if not ended:
        raise CodecError("not a complete zstd frame")
    if trailing:
        raise CodecError("%d bytes of trailing data after the zstd frame" % len(trailing))
    if len(raw) != n:
        raise CodecError("zstd frame holds %d bytes; the plane has %d" % (len(raw), n))
    return _unfilter(raw, filt, dtype, h, w, c)


# ---- jpeg: a baseline JFIF stream; non-uint8 planes carry their 8-bit mapping in an APP9 segment

_JPEG_DTYPE_CODES = {"uint16": 1, "int16": 2, "int32": 3, "float32": 4, "float64": 5}
_INT_RANGES = {"uint16": (0, 65535), "int16": (-32768, 32767), "int32": (-2 ** 31, 2 ** 31 - 1)}


def _jpeg_mapping(data, dtype):
    """The APP9 mapping (transfer, lo, hi) found before the scan, or None; checks it as the Java decoder does."""
    if data[:2] != b"\xff\xd8":
        raise CodecError("not a JPEG stream (no SOI marker)")
    found = None
    at = 2
    n = len(data)
    while at + 4 <= n:
        if data[at] != 0xFF:
            raise CodecError("JPEG marker expected at byte %d" % at)
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan or end of image: no more header segments
            break
        length = (data[at + 2] << 8) | data[at + 3]
        if length < 2 or at + 2 + length > n:
            raise CodecError("JPEG segment 0xFF%02X at byte %d has length %d beyond the data" % (marker, at, length))
        if marker == 0xE9 and data[at + 4:at + 9] == b"JPKL\0":
            if found is not None:
                raise CodecError("two 8-bit mapping segments")
            payload = length - 2
            version = data[at + 9] if payload > 5 else -1
            if version != 1:
                raise CodecError("8-bit mapping segment has version %d; this codec reads version 1" % version)
            if payload != 24:
                raise CodecError("8-bit mapping segment has %d payload bytes; version 1 has 24" % payload)
            dcode, tcode = data[at + 10], data[at + 11]
            lo, hi = struct.unpack(">dd", data[at + 12:at + 28])
            if dcode != _JPEG_DTYPE_CODES.get(dtype):
                raise CodecError("slice holds samples of dtype code %d; expected %s" % (dcode, dtype))
            if tcode > 1:
                raise CodecError("8-bit mapping segment has unknown transfer code %d; known: 0 (linear), 1 (sqrt)" % tcode)
            if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
                raise CodecError("8-bit mapping segment has window %r:%r; expected finite LO <= HI" % (lo, hi))
            found = (tcode, lo, hi)
        at += 2 + length
    return found


def _java_round(v):
    """Java's Math.round for a finite double: floor(v + 0.5) computed exactly."""
    r = math.floor(v)
    return r + 1 if v - r >= 0.5 else r


def level_table(dtype, transfer, lo, hi):
    """The 256 values levels 0..255 decode to, computed as jpkl-jpeg's LevelMapping does (halves, double precision)."""
    half_low = lo * 0.5
    half_range = hi * 0.5 - half_low
    span = math.sqrt(half_range) if transfer == 1 else half_range
    values = []
    for q in range(256):
        u = span * (q / 255.0)
        half = u * u if transfer == 1 else u
        v = max(lo, min(hi, (lo + half) + half))
        if dtype in _INT_RANGES:
            low, high = _INT_RANGES[dtype]
            v = max(low, min(high, _java_round(v)))
        values.append(v)
    return np.array(values, dtype=NUMPY_DTYPES[dtype])


# The standard tables of tables=shared and tables=header (jpkl-jpeg JpegTables.java, docs/FORMAT.md
# "JPEG slices with shared tables"): ITU T.81 Annex K, scaled as IJG's jpeg_set_quality.
_LUMINANCE = (16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
              14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
              49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99)
_CHROMINANCE = (17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
                47, 66) + (99,) * 38
_ZIGZAG = (0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
           28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54,
           47, 55, 62, 63)
_DC_LUMINANCE_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
_DC_CHROMINANCE_BITS = (0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0)
_DC_VALUES = tuple(range(12))
_AC_LUMINANCE_BITS = (0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d)
_AC_LUMINANCE_VALUES = bytes.fromhex(
    "01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a"
    "434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aa"
    "b2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa")
_AC_CHROMINANCE_BITS = (0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77)
_AC_CHROMINANCE_VALUES = bytes.fromhex(
    "000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a3536373839"
    "3a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa")
_JPEG_TABLES = ("inline", "shared", "header")


def _jpeg_param(params, key, default, allowed):
    value = params.get(key, default)
    if value not in allowed:
        raise CodecError("codec 'jpeg': %s (%s) must be one of [%s]" % (key, value, ", ".join(allowed)))
    return value


def jpeg_tables(quality, components):
    """The DQT and DHT segments (markers included) libjpeg writes at IJG quality 0..100 for 1 or 3 components."""
    q = max(1, quality)
    scale = 5000 // q if q < 50 else 200 - 2 * q
    dqt = b""
    dht = b""
    quant = [(0, _LUMINANCE)] + ([(1, _CHROMINANCE)] if components == 3 else [])
    huff = [(0x00, _DC_LUMINANCE_BITS, _DC_VALUES), (0x10, _AC_LUMINANCE_BITS, _AC_LUMINANCE_VALUES)]
    if components == 3:
        huff += [(0x01, _DC_CHROMINANCE_BITS, _DC_VALUES), (0x11, _AC_CHROMINANCE_BITS, _AC_CHROMINANCE_VALUES)]
    for table, base in quant:
        dqt += b"\xff\xdb\x00\x43" + bytes([table]) + bytes(min(255, max(1, (base[_ZIGZAG[k]] * scale + 50) // 100))
                                                            for k in range(64))
    for class_and_id, bits, values in huff:
        dht += b"\xff\xc4" + struct.pack(">H", 3 + 16 + len(values)) + bytes([class_and_id]) + bytes(bits) + bytes(values)
    return dqt, dht


def _is_jpeg_symbol(ac, v):
    return (v == 0x00 or v == 0xF0 or 1 <= (v & 0x0F) <= 10) if ac else v < 12


def jpeg_huffman(text, components):
    """The DHT segments of a container's huffman parameter (base64, as jpkl-jpeg's JpegHuffman writes it), validated
    as Java does: DC 0, AC 0 (and DC 1, AC 1) in that order, one table per segment, each coding exactly every
    baseline symbol (DC categories 0..11; EOB, ZRL and run/size with sizes 1..10), a prefix code within 16 bits
    without the all-ones code."""
    def refuse(detail):
        shown = text if len(text) <= 40 else "%s... (%d characters)" % (text[:40], len(text))
        return CodecError("codec 'jpeg': huffman (%s) must be standard, optimized or Huffman tables (base64 of the DHT"
                          " segments DC 0, AC 0[, DC 1, AC 1]): %s" % (shown, detail))
    try:
        data = base64.b64decode(text, validate=True) if len(text) % 4 == 0 else None
    except (binascii.Error, ValueError) as e:
        raise refuse("not base64: %s" % e)
    if data is None or base64.b64encode(data).decode("ascii") != text:
        raise refuse("not in canonical base64 (RFC 4648 with padding, no line breaks)")
    at, slots = 0, []
    while at < len(data):
        if at + 4 > len(data) or data[at] != 0xFF or data[at + 1] != 0xC4:
            raise refuse("byte %d of %d does not start a DHT segment (FFC4 and its length)" % (at, len(data)))
        length = (data[at + 2] << 8) | data[at + 3]
        if length < 19 or at + 2 + length > len(data):
            raise refuse("the DHT segment at byte %d has length %d, which does not fit in the %d bytes or holds no table"
                         % (at, length, len(data)))
        tc, th = data[at + 4] >> 4, data[at + 4] & 0x0F
        if tc > 1 or th > 1:
            raise refuse("the DHT segment at byte %d is for table class %d id %d; baseline tables are class 0 (DC) or 1"
                         " (AC), id 0 or 1" % (at, tc, th))
        slot, name = 2 * th + tc, "%s table %d" % ("AC" if tc else "DC", th)
        if slot in slots:
            raise refuse("%s is given twice" % name)
        if slot != len(slots):
            raise refuse("the DHT segments must come in the order DC 0, AC 0, DC 1, AC 1; %s is segment %d"
                         % (name, len(slots) + 1))
        bits = data[at + 5:at + 21]
        if length != 19 + sum(bits):
            raise refuse("%s: its code length counts add up to %d symbols, but its segment holds %d"
                         % (name, sum(bits), length - 19))
        values = data[at + 21:at + 2 + length]
        for v in values:
            if not _is_jpeg_symbol(tc, v):
                raise refuse("%s has symbol 0x%02X, which baseline %s never uses" % (name, v, "AC coding (EOB 0x00, ZRL 0xF0,"
                             " run/size with sizes 1..10)" if tc else "DC coding (categories 0..11)"))
        if len(set(values)) != len(values):
            raise refuse("%s has a symbol twice" % name)
        if len(values) != (162 if tc else 12):
            raise refuse("%s codes %d symbols; it must code all %d symbols of baseline %s coding"
                         % (name, len(values), 162 if tc else 12, "AC" if tc else "DC"))
        code = 0
        for length_bits, count in enumerate(bits, start=1):
            code += count
            if count and code >= (1 << length_bits):
                raise refuse("%s has more codes of %d bits or less than a prefix code holds (the all-ones code is not"
                             " allowed)" % (name, length_bits))
            code <<= 1
        slots.append(slot)
        at += 2 + length
    if len(slots) < 2:
        raise refuse("the DHT segments must hold DC table 0 and AC table 0")
    if len(slots) == 3:
        raise refuse("the DHT segments hold DC table 1 without its AC table 1")
    if components == 3 and len(slots) < 4:
        raise CodecError("codec 'jpeg': huffman holds 2 tables (DC 0, AC 0), but RGB planes need 4 (also DC 1, AC 1 for"
                         " Cb and Cr)")
    return data


def _jpeg_scan_header(data):
    """(offset of SOF, offset of SOS, DQT count, DHT count) of a stream's header; checks that segments fit."""
    if data[:2] != b"\xff\xd8":
        raise CodecError("not a JPEG stream (no SOI marker)")
    at, n = 2, len(data)
    sof = -1
    dqt = dht = 0
    while True:
        if at + 4 > n or data[at] != 0xFF:
            raise CodecError("JPEG header: expected a marker segment at byte %d of %d" % (at, n))
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        length = (data[at + 2] << 8) | data[at + 3]
        if length < 2 or at + 2 + length > n:
            raise CodecError("JPEG segment 0xFF%02X at byte %d has length %d beyond the data" % (marker, at, length))
        if marker == 0xDA:
            return sof, at, dqt, dht
        if marker == 0xDB:
            dqt += 1
        elif marker == 0xC4:
            dht += 1
        elif marker in (0xC0, 0xC1, 0xC2) and sof < 0:
            sof = at
        at += 2 + length


def complete_jpeg(data, dtype, h, w, c, params):
    """The complete JPEG stream of a stored slice: the slice itself (tables=inline), with the container's tables
    spliced in (tables=shared), or with the whole header rebuilt (tables=header, with the container's own Huffman tables
    when huffman holds them, or as an arithmetic-coded SOF9 frame without DHT with coding=arithmetic), byte for byte as
    jpkl-jpeg does."""
    tables = _jpeg_param(params, "tables", "inline", _JPEG_TABLES)
    if tables == "inline":
        return data
    quality = params.get("quality", "90")
    if not (quality.isdigit() and 0 <= int(quality) <= 100):
        raise CodecError("codec 'jpeg': quality (%s) must be an integer in [0, 100]" % quality)
    dqt, dht = jpeg_tables(int(quality), c)
    huffman = params.get("huffman", "standard")
    if huffman != "standard":
        if tables != "header":
            raise CodecError("codec 'jpeg': huffman=%s needs tables=header, not tables=%s"
                             % ("optimized" if huffman == "optimized" else "<tables>", tables))
        if huffman == "optimized":
            raise CodecError("codec 'jpeg': huffman=optimized was never bound to tables (a writer stores the tables it built)")
        dht = jpeg_huffman(huffman, c)
    coding = _jpeg_param(params, "coding", "huffman", ("huffman", "arithmetic"))
    if coding == "arithmetic":
        if tables != "header":
            raise CodecError("codec 'jpeg': coding=arithmetic needs tables=header (the container rebuilds the"
                             " arithmetic-coded frame's header), not tables=%s" % tables)
        if huffman != "standard":
            raise CodecError("codec 'jpeg': coding=arithmetic codes the scans without Huffman tables, so huffman must be"
                             " standard, not %s" % ("optimized" if huffman == "optimized" else "<tables>"))
        dht = b""
    if tables == "shared":
        sof, sos, nq, nh = _jpeg_scan_header(data)
        if nq or nh:
            raise CodecError("JPEG slice has tables of its own (%d DQT and %d DHT segments), but its container stores them"
                             " once (tables=shared)" % (nq, nh))
        if sof < 0:
            raise CodecError("JPEG stream has no frame header (SOF) before its first scan")
        return data[:sof] + dqt + data[sof:sos] + dht + data[sos:]
    subsampling = _jpeg_param(params, "subsampling", "420", ("420", "444"))
    transfer = _jpeg_param(params, "transfer", "linear", ("linear", "sqrt"))
    fields = 1 if dtype == "uint8" else 17
    # coding=arithmetic: 2 bytes (the check value of the coefficients, which jpkl-jpeg verifies; Pillow does not
    # decode coefficients, so this reader leaves it to the container's checksums) precede scan data that may be empty.
    arithmetic = coding == "arithmetic"
    prefix = fields + (2 if arithmetic else 0)
    if len(data) < prefix + (0 if arithmetic else 1):
        raise CodecError("JPEG slice of %d bytes is too short for tables=header, which stores the JFIF minor version (1 byte)%s"
                         " and %s" % (len(data), "" if fields == 1 else ", the 8-bit mapping's window (16 bytes)",
                                      "the check value of the arithmetic-coded coefficients (2 bytes) before the scan data"
                                      if arithmetic else "at least 1 byte of scan data"))
    if data[0] > 2:
        raise CodecError("JPEG slice starts with %02X, which is no JFIF minor version (0..2) as tables=header stores first"
                         % data[0])
    if h > 0xFFFF or w > 0xFFFF:
        raise CodecError("a JPEG frame holds at most 65535 x 65535 samples; the plane is %dx%d" % (h, w))
    out = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + data[:1] + b"\x00\x00\x01\x00\x01\x00\x00"
    if fields == 17:
        out += b"\xff\xe9\x00\x1aJPKL\x00\x01" + bytes([_JPEG_DTYPE_CODES[dtype], 1 if transfer == "sqrt" else 0]) + data[1:17]
    out += dqt + (b"\xff\xc9" if arithmetic else b"\xff\xc0") + struct.pack(">HBHHB", 8 + 3 * c, 8, h, w, c)
    for k in range(c):
        out += bytes([k + 1, 0x22 if k == 0 and c == 3 and subsampling == "420" else 0x11, 0 if k == 0 else 1])
    out += dht + b"\xff\xda" + struct.pack(">HB", 6 + 2 * c, c)
    for k in range(c):
        out += bytes([k + 1, 0x00 if k == 0 else 0x11])
    return out + b"\x00\x3f\x00" + data[prefix:] + b"\xff\xd9"


def decode_jpeg(data, dtype, h, w, c, params):
    image_module = _module("jpeg", "PIL.Image", "Pillow", "python3-pil")
    data = complete_jpeg(bytes(data), dtype, h, w, c, params)
    mapping = _jpeg_mapping(data, dtype)
    if dtype == "uint8" and mapping is not None:
        raise CodecError("uint8 slice has an 8-bit mapping segment")
    if dtype != "uint8" and mapping is None:
        raise CodecError("%s slice has no 8-bit mapping segment (APP9 'JPKL')" % dtype)
    levels = _pillow_decode(image_module, data, "JPEG", h, w, c)
    if mapping is None:
        return levels
    return level_table(dtype, *mapping)[levels]


def _pillow_decode(image_module, data, fmt, h, w, c):
    try:
        with image_module.open(io.BytesIO(data), formats=[fmt]) as im:
            im.load()
            mode = im.mode
            arr = np.asarray(im)
    except Exception as e:  # Pillow raises OSError, SyntaxError, ValueError... for damaged images
        raise CodecError("%s stream is damaged: %s: %s" % (fmt, type(e).__name__, e)) from None
    want = "RGB" if c == 3 else "L"
    if mode != want or arr.shape[:2] != (h, w):
        raise CodecError("the %s is %dx%d mode %s; expected %dx%d mode %s" % (fmt, arr.shape[0] if arr.ndim else 0,
                                                                             arr.shape[1] if arr.ndim > 1 else 0,
                                                                             mode, h, w, want))
    return arr


# ---- png: a standard non-interlaced PNG, 8- or 16-bit, grey or RGB

def decode_png(data, dtype, h, w, c, params):
    if dtype == "uint8":
        image_module = _module("png", "PIL.Image", "Pillow", "python3-pil")
        return _pillow_decode(image_module, bytes(data), "PNG", h, w, c)
    if dtype != "uint16":
        raise CodecError("codec 'png' stores uint8 and uint16 planes; the header says %s" % dtype)
    return _png16(bytes(data), h, w, c)


def _png16(data, h, w, c):
    """16-bit PNGs (Pillow narrows 16-bit RGB to 8 bits): chunks with CRCs, zlib, the five row filters."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise CodecError("not a PNG (signature)")
    at = 8
    idat = []
    header = None
    ended = False
    while at + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if at + 12 + length > len(data):
            raise CodecError("chunk %r at byte %d runs past the end" % (kind, at))
        body = data[at + 8:at + 8 + length]
        if zlib.crc32(data[at + 4:at + 8 + length]) != struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0]:
            raise CodecError("chunk %r at byte %d: CRC mismatch" % (kind, at))
        at += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            ended = True
            break
    if not ended or header is None:
        raise CodecError("PNG has no IHDR or IEND")
    pw, ph, depth, colour, comp, filt, interlace = header
    want_colour = 2 if c == 3 else 0
    if (pw, ph, depth, colour) != (w, h, 16, want_colour) or comp or filt or interlace:
        raise CodecError("the PNG is %dx%d, bit depth %d, colour type %d; expected %dx%d, bit depth 16, colour type %d"
                         % (pw, ph, depth, colour, w, h, want_colour))
    bpp = 2 * c
    stride = w * bpp
    d = zlib.decompressobj()
    try:
        raw = d.decompress(b"".join(idat), h * (stride + 1) + 1)
    except zlib.error as e:
        raise CodecError("zlib stream is damaged: %s" % e) from None
    if len(raw) != h * (stride + 1) or not d.eof:
        raise CodecError("image data holds %d bytes; expected %d" % (len(raw), h * (stride + 1)))
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(h, stride + 1)
    out = np.zeros((h, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.uint8)
    for r in range(h):
        f = rows[r, 0]
        cur = rows[r, 1:].copy()
        if f == 1:
            cur = np.cumsum(cur.reshape(w, bpp), axis=0, dtype=np.uint8).reshape(stride)
        elif f == 2:
            cur += prev
        elif f in (3, 4):
            p = prev.astype(np.int32)
            cur = cur.astype(np.int32)
            for i in range(stride):
                a = cur[i - bpp] if i >= bpp else 0
                if f == 3:
                    cur[i] = (cur[i] + ((a + p[i]) >> 1)) & 0xFF
                else:
                    b = p[i]
                    cc = p[i - bpp] if i >= bpp else 0
                    pa, pb, pc = abs(b - cc), abs(a - cc), abs(a + b - 2 * cc)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else cc)
                    cur[i] = (cur[i] + pred) & 0xFF
            cur = cur.astype(np.uint8)
        elif f != 0:
            raise CodecError("row %d has unknown filter type %d" % (r, f))
        out[r] = cur
        prev = cur
    v = out.view(">u2").astype(np.uint16)
    return v.reshape(h, w, 3) if c == 3 else v.reshape(h, w)


DECODERS = {"jpeg": decode_jpeg, "png": decode_png, "deflate": decode_deflate, "zstd": decode_zstd}


def max_encoded_bytes(plane_bytes):
    """The bound on one chunk's length (SliceCodec.maxEncodedBytes: 4 x raw bytes + 64 KiB for every codec)."""
    return 4 * plane_bytes + (64 << 10)
