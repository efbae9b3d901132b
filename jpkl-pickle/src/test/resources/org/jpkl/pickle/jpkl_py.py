"""Python side of the cross-implementation tests of jpkl-pickle.

Written from the format description in the JPkl README (Python JPkl itself is not installed):
a JPkl file is a pickled dict

    'header':       ('JPkl', '1')
    'color':        bool, True when axis 2 is an RGB axis of length 3
    'jpeg_quality': int, 0..100
    'images':       {key tuple: JPEG bytes from Pillow}, key = indices along the axes after h, w, (rgb)
    'dim_names':    list of str, names of those axes
    'dim_sizes':    tuple of their lengths
    'metadata':     dict, free for the user

Commands (all arguments are files or JSON; output is files, so the Java test does the asserting):

    write-pickle SPEC.json OUT.pkl OUT.raw [OUT.slices]
                                             make an array, save it as JPkl does (pickle protocol
                                             SPEC["protocol"], 0 to 5), and write Pillow's decoding of
                                             the stored JPEGs (C order, uint8) to OUT.raw; with
                                             OUT.slices, also every stored JPEG in key order, each
                                             after its length (4 bytes, little-endian)
    write-shared PROTOCOL OUT.pkl            a small valid JPkl pickle whose metadata shares references:
                                             12 levels of lists of 10 references to the level below
                                             (10^12 leaves; Python loads it at once, as shared objects)
    write-values PROTOCOL OUT.pkl OUT.txt    pickle a list of plain values of every kind the format
                                             allows (edge cases of each opcode) and write their
                                             canonical form (see canonical()) to OUT.txt
    read-pickle IN.pkl OUT.raw OUT.json      load a pickle as JPkl does, decode every JPEG with Pillow
                                             into the full array (OUT.raw) and describe it (OUT.json)
"""
import io
import json
import pickle
import struct
import sys

import numpy as np
from PIL import Image


def make_array(spec):
    """Deterministic smooth structures plus noise: images[h, w, (3), d1, d2, ...] of uint8."""
    h, w = spec["height"], spec["width"]
    color = spec["color"]
    dims = tuple(spec["dim_sizes"])
    shape = (h, w) + ((3,) if color else ()) + dims
    rng = np.random.RandomState(spec.get("seed", 1))
    y = np.linspace(0, 1, h).reshape(h, 1)
    x = np.linspace(0, 1, w).reshape(1, w)
    base = 40 + 120 * x + 60 * y + 30 * np.exp(-((x - 0.4) ** 2 + (y - 0.6) ** 2) / 0.05)
    out = np.empty(shape, dtype=np.uint8)
    for key in np.ndindex(*dims):
        shift = 5 * sum(key)
        if color:
            for c in range(3):
                plane = base + shift + 20 * c + rng.normal(0, 4, (h, w))
                out[(slice(None), slice(None), c) + key] = np.clip(plane, 0, 255).astype(np.uint8)
        else:
            plane = base + shift + rng.normal(0, 4, (h, w))
            out[(slice(None), slice(None)) + key] = np.clip(plane, 0, 255).astype(np.uint8)
    return out


def encode(plane, quality):
    bio = io.BytesIO()
    Image.fromarray(plane).save(bio, format="JPEG", quality=quality)
    return bio.getvalue()


def decode(data):
    return np.array(Image.open(io.BytesIO(data)))


def write_pickle(spec_path, out_path, raw_path, slices_path=None):
    with open(spec_path) as f:
        spec = json.load(f)
    array = make_array(spec)
    color = spec["color"]
    dims = tuple(spec["dim_sizes"])
    quality = spec["quality"]
    images = {}
    decoded = np.empty_like(array)
    for key in np.ndindex(*dims):
        index = (slice(None), slice(None)) + ((slice(None),) if color else ()) + key
        data = encode(array[index], quality)
        images[key] = data
        decoded[index] = decode(data)
    jpkl = {
        "header": ("JPkl", "1"),
        "color": color,
        "jpeg_quality": quality,
        "images": images,
        "dim_names": spec["dim_names"],
        "dim_sizes": dims,
        "metadata": spec["metadata"],
    }
    with open(out_path, "wb") as f:
        pickle.dump(jpkl, f, protocol=spec["protocol"])
    decoded.tofile(raw_path)
    if slices_path is not None:
        with open(slices_path, "wb") as f:
            for key in np.ndindex(*dims):
                f.write(len(images[key]).to_bytes(4, "little"))
                f.write(images[key])


def write_shared(protocol, out_path):
    level = ["leaf"]
    for _ in range(12):
        level = [level] * 10
    jpkl = {
        "header": ("JPkl", "1"),
        "color": False,
        "jpeg_quality": 90,
        "images": {(0,): encode(np.full((8, 8), 100, dtype=np.uint8), 90)},
        "dim_names": ["z"],
        "dim_sizes": (1,),
        "metadata": {"shared": level},
    }
    with open(out_path, "wb") as f:
        pickle.dump(jpkl, f, protocol=int(protocol))
    with open(out_path, "rb") as f:
        assert pickle.load(f)["metadata"]["shared"][9][9][9][9][9][9][9][9][9][9][9][9][0] == "leaf"


def canonical(v):
    """A form both languages can print exactly: floats as IEEE bits, str and bytes as hex."""
    if v is None:
        return "None"
    if v is True or v is False:
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "f" + struct.pack(">d", v).hex()
    if isinstance(v, str):
        return "s" + v.encode("utf-8").hex()
    if isinstance(v, (bytes, bytearray)):
        return "b" + bytes(v).hex()
    if isinstance(v, tuple):
        return "(" + ",".join(canonical(x) for x in v) + ")"
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(canonical(k) + ":" + canonical(x) for k, x in v.items()) + "}"
    raise TypeError(type(v))


def write_values(protocol, out_path, txt_path):
    shared = ["shared", 1.5]
    ints = [0, 1, -1, 255, 256, 65535, 65536, -2**31, 2**31 - 1, 2**31, -2**31 - 1, 2**63 - 1, -2**63, 2**64, -2**100, 10**40]
    floats = [0.0, -0.0, 0.1, 0.108, -1e300, 5e-324, 1.7976931348623157e308, 123456.789, float("inf"), float("-inf")]
    texts = ["", "a", "JPkl", "tab\tnot", "back\\slash", "line\nfeed", "cr\r", "nul\x00", "sub\x1a", "\u00b5m \u00e9",
             "\u20ac", "\U0001f600", "\\u0041 literal", "x" * 300, "\u00ff" * 70000]
    blobs = [b"", b"a", bytes(range(256)), b"\\\n\r\x00\x1a", bytes(range(256)) * 300, bytearray(b"ba"), bytearray()]
    value = [
        None, True, False, ints, floats, texts, blobs,
        (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), [], [[], [[]]],
        {}, {"a": 1, 2: "b", (0, 1): None, None: [], 1.5: (), b"k": True},
        {"shared": shared, "again": shared, "tuple": (shared, shared)},
    ]
    with open(out_path, "wb") as f:
        pickle.dump(value, f, protocol=int(protocol))
    with open(txt_path, "w") as f:
        f.write(canonical(value))


def read_pickle(in_path, raw_path, json_path):
    with open(in_path, "rb") as f:
        jpkl = pickle.load(f)
    assert isinstance(jpkl, dict), type(jpkl)
    assert jpkl["header"] == ("JPkl", "1"), jpkl["header"]
    color = jpkl["color"]
    dims = tuple(jpkl["dim_sizes"])
    images = jpkl["images"]
    first = decode(images[next(iter(np.ndindex(*dims)))])
    h, w = first.shape[:2]
    shape = (h, w) + ((3,) if color else ()) + dims
    out = np.empty(shape, dtype=np.uint8)
    for key in np.ndindex(*dims):
        data = images[key]
        assert isinstance(data, bytes), type(data)
        plane = decode(data)
        assert plane.dtype == np.uint8 and plane.shape == ((h, w, 3) if color else (h, w)), plane.shape
        out[(slice(None), slice(None)) + ((slice(None),) if color else ()) + key] = plane
    out.tofile(raw_path)
    description = {
        "shape": list(shape),
        "color": color,
        "jpeg_quality": jpkl["jpeg_quality"],
        "dim_names": jpkl["dim_names"],
        "dim_sizes": list(dims),
        "dim_sizes_is_tuple": isinstance(jpkl["dim_sizes"], tuple),
        "keys_are_int_tuples": all(isinstance(k, tuple) and all(type(i) is int for i in k) for k in images),
        "dict_keys": list(jpkl.keys()),
        "metadata": jpkl["metadata"],
        "image_count": len(images),
        "first_image_bytes": len(images[next(iter(np.ndindex(*dims)))]),
    }
    with open(json_path, "w") as f:
        json.dump(description, f)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"write-pickle": write_pickle, "write-shared": write_shared, "write-values": write_values,
     "read-pickle": read_pickle}[command](*args)
