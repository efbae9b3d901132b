"""The Python baselines of jpkl-bench, run by the Java harness as a subprocess in the same run.

  python3 jpkl_peer.py versions           -> {"python": ..., "pillow": ..., ...}
  python3 jpkl_peer.py peer SPEC.json     -> the Python JPkl peer: encode, single-slice, x[:, :, k, m], full decode;
                                             with "jpkl_file", also python/jpkl's single-slice reads of that file
  python3 jpkl_peer.py jpeg SPEC.json     -> Pillow JPEG decode speed on the JPEG bytes the harness wrote

The peer re-implements JPkl's algorithm with Pillow and NumPy: a dict from key tuple to the JPEG
bytes of plane images[:, :, *key], pickled to one file; indexing decodes the planes it touches.
It works on the raw stack bytes the harness wrote, so both sides encode identical pixels.
Every answer is one JSON object on stdout; times are seconds (time.perf_counter).
"""
import io
import json
import os
import pickle
import sys
import time

import numpy as np
import PIL
from PIL import Image, features


def versions():
    turbo = features.check_feature("libjpeg_turbo")
    version = features.version_feature("libjpeg_turbo") if hasattr(features, "version_feature") else None
    return {"python": sys.version.split()[0], "pillow": PIL.__version__, "numpy": np.__version__,
            "pillow_libjpeg_turbo": bool(turbo), "pillow_libjpeg_turbo_version": version}


def decode(data):
    """One JPEG to a NumPy array (what JPkl returns for a plane)."""
    return np.asarray(Image.open(io.BytesIO(data)))


def peer(spec):
    shape = tuple(spec["shape"])
    quality = int(spec["quality"])
    stack = np.fromfile(spec["raw"], dtype=np.uint8).reshape(shape)
    keys = list(np.ndindex(*shape[2:]))
    plane_index = (slice(None), slice(None))

    def encode():
        images = {}
        for key in keys:
            plane = np.ascontiguousarray(stack[plane_index + key])
            buf = io.BytesIO()
            Image.fromarray(plane).save(buf, "JPEG", quality=quality)
            images[key] = buf.getvalue()
        with open(spec["pickle"], "wb") as f:
            pickle.dump({"shape": shape, "dtype": "uint8", "images": images}, f, protocol=pickle.HIGHEST_PROTOCOL)
            f.flush()
            os.fsync(f.fileno())

    def timed(fn, *args):
        t0 = time.perf_counter()
        fn(*args)
        return time.perf_counter() - t0

    encode()  # warm-up
    encode_s = [timed(encode) for _ in range(spec["encode_reps"])]
    file_bytes = os.path.getsize(spec["pickle"])
    with open(spec["pickle"], "rb") as f:
        images = pickle.load(f)["images"]

    def single(key):
        return decode(images[key])

    last_axis = shape[-1]

    def multi(prefix):
        out = np.empty(shape[:2] + (last_axis,), dtype=np.uint8)
        for c in range(last_axis):
            out[:, :, c] = decode(images[prefix + (c,)])
        return out

    def full():
        out = np.empty(shape, dtype=np.uint8)
        for key in keys:
            out[plane_index + key] = decode(images[key])
        return out

    single_keys = [tuple(k) for k in spec["single_keys"]]
    multi_keys = [tuple(k) for k in spec["multi_keys"]]
    full()  # warm-up
    for key in single_keys[:20]:
        single(key)
    single_s = [timed(single, k) for k in single_keys]
    multi_s = [timed(multi, k) for k in multi_keys]
    full_s = [timed(full) for _ in range(spec["decode_reps"])]
    result = {"encode_s": encode_s, "file_bytes": file_bytes, "single_s": single_s, "multi_s": multi_s,
              "full_decode_s": full_s}
    if spec.get("jpkl_file"):
        try:
            result["jpkl_single_s"] = reader_singles(spec, single_keys, timed)
        except Exception as e:  # reported as n/a with the reason; the peer's own figures stand
            result["jpkl_error"] = "%s: %s" % (type(e).__name__, e)
    os.remove(spec["pickle"])
    return result


def reader_singles(spec, single_keys, timed):
    """The Python jpkl reader (python/jpkl) on the harness's jpkl file: the same single slices, CRC32C on."""
    sys.path.insert(0, spec["jpkl_python"])
    import jpkl
    with jpkl.open(spec["jpkl_file"]) as a:
        plane = (slice(None), slice(None))
        for key in single_keys[:20]:
            a[plane + key]
        return [timed(a.__getitem__, plane + k) for k in single_keys]


def jpeg(spec):
    """Decode speed of each JPEG set: per rep, all images decoded (looped to at least min_seconds)."""
    data = open(spec["data"], "rb").read()
    out = {}
    for name, s in spec["sets"].items():
        images = [data[o:o + n] for o, n in zip(s["offsets"], s["lengths"])]
        raw = s["raw_bytes_each"] * len(images)

        def to_array():
            for b in images:
                decode(b)

        def load_only():
            for b in images:
                Image.open(io.BytesIO(b)).load()

        out[name] = {"to_array_mb_s": rates(to_array, raw, spec), "load_only_mb_s": rates(load_only, raw, spec)}
    return out


def rates(fn, raw_bytes, spec):
    t0 = time.perf_counter()
    fn()
    one = max(1e-9, time.perf_counter() - t0)
    loops = max(1, int(spec["min_seconds"] / one + 0.999))
    for _ in range(spec["warmup_reps"]):
        fn()
    result = []
    for _ in range(spec["reps"]):
        t0 = time.perf_counter()
        for _ in range(loops):
            fn()
        result.append(raw_bytes * loops / 1e6 / (time.perf_counter() - t0))
    return result


def main():
    command = sys.argv[1]
    if command == "versions":
        answer = versions()
    else:
        with open(sys.argv[2]) as f:
            spec = json.load(f)
        answer = peer(spec) if command == "peer" else jpeg(spec)
    json.dump(answer, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
