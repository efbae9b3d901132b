"""A minimal jpkl writer for the Python tests (deflate slices, tiles and levels optional): it builds
files from NumPy arrays exactly as docs/FORMAT.md describes, so the reader's own tests need no Java.
Not part of the package: the Java library is the writer."""
import json
import struct
import zlib

import numpy as np

from jpkl._crc32c import crc32c

_CODES = {"uint8": 1, "uint16": 2, "int16": 3, "int32": 4, "float32": 5, "float64": 6}


def deflate_plane(plane):
    """A deflate slice with filter none: the 16-byte plane header and the zlib stream of the samples."""
    h, w = plane.shape[:2]
    c = plane.shape[2] if plane.ndim == 3 else 1
    head = struct.pack("<4sBBBBII", b"JPKD", 1, 0, _CODES[plane.dtype.name], c, h, w)
    return head + zlib.compress(np.ascontiguousarray(plane).astype(plane.dtype.newbyteorder("<")).tobytes(), 1)


def build(array, tile=None, rgb=False, chunks=None, header_extra=None, version=None, header_bytes=None):
    """The bytes of a jpkl file holding ``array`` with layout y=0, x=1 (channel=2 when rgb), codec deflate/none.

    ``chunks`` (a list of bytes) replaces the encoded chunks and ``header_bytes`` the header JSON, for
    damaged-file tests.
    """
    shape = array.shape
    header = {"shape": list(shape), "dtype": array.dtype.name, "layout": {"y": 0, "x": 1}}
    if rgb:
        header["layout"]["channel"] = 2
    if tile:
        header["tile_shape"] = list(tile)
    header["axis_names"] = ["a%d" % i for i in range(len(shape))]
    header["codec"] = {"id": "deflate", "params": {"level": "1", "filter": "none"}}
    header["metadata"] = {}
    header.update(header_extra or {})
    hb = json.dumps(header).encode() if header_bytes is None else header_bytes
    key_start = 3 if rgb else 2
    if chunks is None:
        chunks = []
        keys = list(np.ndindex(*shape[key_start:])) if len(shape) > key_start else [()]
        if any(n == 0 for n in shape[key_start:]):
            keys = []
        for key in keys:
            plane = array[(slice(None), slice(None)) + (slice(None),) * (key_start - 2) + key]
            if tile:
                H, W = plane.shape[:2]
                for r in range(0, H, tile[0]):
                    for c in range(0, W, tile[1]):
                        chunks.append(deflate_plane(plane[r:r + tile[0], c:c + tile[1]]))
            else:
                chunks.append(deflate_plane(plane))
    major = version or (2 if tile else 1)
    out = bytearray(b"\x89JPKL\r\n\x1a" + struct.pack("<HHI", major, 0, len(hb)) + hb + struct.pack("<I", crc32c(hb)))
    index = bytearray()
    for ch in chunks:
        index += struct.pack("<QQI", len(out), len(ch), crc32c(ch))
        out += ch
    index_offset = len(out)
    out += index
    foot = struct.pack("<QQI", index_offset, len(chunks), crc32c(bytes(index)))
    out += foot + struct.pack("<I", crc32c(foot)) + b"JPKLEND\x1a"
    return bytes(out)
