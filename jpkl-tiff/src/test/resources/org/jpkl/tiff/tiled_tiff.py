"""Python side of jpkl-tiff's tiled-import tests: TIFFs and BigTIFFs written by tifffile (tiled or in strips,
compressed or not), a writer other than ours.

    write SPEC.json OUT.tif OUT.raw   pages of SPEC's dtype (uint8, uint16, float32), grey or RGB, size and layout
                                      ("tile": [h, w] or "rowsperstrip": n; "compression": none or zlib;
                                      "bigtiff": true/false); OUT.raw holds all pages' samples (little-endian,
                                      C order: page, y, x, (rgb))
"""
import json
import sys

import numpy as np
import tifffile


def samples(spec, rng):
    h, w = spec["height"], spec["width"]
    shape = (h, w, 3) if spec.get("rgb") else (h, w)
    dtype = spec["dtype"]
    if dtype == "uint8":
        return rng.randint(0, 256, shape).astype(np.uint8)
    if dtype == "uint16":
        return rng.randint(0, 65536, shape).astype(np.uint16)
    if dtype == "float32":
        a = (rng.standard_normal(shape) * 1000).astype(np.float32)
        flat = a.reshape(-1)
        flat[:4] = [np.nan, -0.0, np.inf, 1e-42]
        return a
    raise ValueError(dtype)


def write(spec_path, out_path, raw_path):
    with open(spec_path) as f:
        spec = json.load(f)
    rng = np.random.RandomState(spec.get("seed", 3))
    pages = [samples(spec, rng) for _ in range(spec["pages"])]
    kwargs = {}
    if spec.get("tile"):
        kwargs["tile"] = tuple(spec["tile"])
    if spec.get("rowsperstrip"):
        kwargs["rowsperstrip"] = spec["rowsperstrip"]
    compression = spec.get("compression", "none")
    if compression != "none":
        kwargs["compression"] = compression
    photometric = "rgb" if spec.get("rgb") else "minisblack"
    with tifffile.TiffWriter(out_path, bigtiff=spec.get("bigtiff", False)) as tif:
        for a in pages:
            tif.write(a, photometric=photometric, contiguous=False, **kwargs)
    stack = np.stack(pages)
    stack.astype(stack.dtype.newbyteorder("<")).tofile(raw_path)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "write":
        write(*sys.argv[2:5])
    else:
        raise SystemExit("unknown command " + command)
