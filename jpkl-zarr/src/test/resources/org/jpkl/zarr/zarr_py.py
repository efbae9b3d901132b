"""Cross-implementation checks of jpkl's OME-Zarr export and import against zarr-python and dask.

  zarr_py.py check ZARR MANIFEST   open jpkl's export with zarr (and dask): shapes, axes, every value of every level
  zarr_py.py write DIR             write datasets with zarr-python and dask, with their expected values, and DIR/manifest.json
"""
import json
import os
import sys

import numpy as np
import zarr
import numcodecs
import dask.array as da


def check(path, manifest_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    group = zarr.open_group(path, mode="r")
    attrs = group.attrs.asdict()
    ms = attrs["multiscales"][0]
    assert ms["version"] == "0.4", ms["version"]
    assert ms["axes"] == manifest["axes"], (ms["axes"], manifest["axes"])
    assert [d["path"] for d in ms["datasets"]] == [str(k) for k in range(len(manifest["levels"]))]
    for k, level in enumerate(manifest["levels"]):
        scale = ms["datasets"][k]["coordinateTransformations"][0]["scale"]
        assert scale == level["scale"], (k, scale, level["scale"])
        arr = group[str(k)]
        expected = np.fromfile(level["file"], dtype=np.dtype(manifest["dtype"]).newbyteorder("<"))
        expected = expected.reshape(level["container_shape"]).transpose(manifest["order"])
        assert arr.shape == expected.shape, (k, arr.shape, expected.shape)
        assert arr.dtype == expected.dtype, (arr.dtype, expected.dtype)
        assert arr.chunks == tuple(level["chunks"]), (arr.chunks, level["chunks"])
        assert arr.compressor == (numcodecs.get_codec(manifest["compressor"]) if manifest["compressor"] else None), arr.compressor
        got = arr[...]
        assert got.tobytes() == expected.tobytes(), "level %d differs at %s" % (k, np.argwhere(got != expected)[:5])
        lazy = da.from_zarr(path, component=str(k))
        assert lazy.chunksize == tuple(level["chunks"]), lazy.chunksize
        assert lazy.compute().tobytes() == expected.tobytes(), "dask level %d differs" % k
    print("ok", path, len(manifest["levels"]), "levels")


def save(out, name, levels, **info):
    """Writes each level's expected values as little-endian C-order bytes; returns the manifest entry."""
    files = []
    for k, a in enumerate(levels):
        f = os.path.join(out, "%s-%d.bin" % (name, k))
        np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tofile(f)
        files.append({"file": f, "shape": list(a.shape)})
    entry = {"name": name, "path": os.path.join(out, name + ".zarr"), "dtype": levels[0].dtype.newbyteorder("<").str,
             "levels": files}
    entry.update(info)
    return entry


def pyramid(a, n):
    levels = [a]
    for _ in range(n - 1):
        levels.append(levels[-1][..., ::2, ::2])  # y and x halved, rounding up, as jpkl's levels
    return levels


def write(out):
    rng = np.random.default_rng(15)
    entries = []

    # zarr-python's default compressor: Blosc(cname='lz4', shuffle=1); edge chunks on every axis.
    a = rng.integers(0, 65536, size=(5, 67, 90), dtype=np.uint16)
    z = zarr.open_array(os.path.join(out, "default.zarr"), mode="w", shape=a.shape, chunks=(2, 32, 40), dtype=a.dtype)
    assert z.compressor.cname == "lz4" and z.compressor.shuffle == 1, z.compressor
    z[...] = a
    entries.append(save(out, "default", [a]))

    # zlib, big-endian int16, Fortran order.
    b = rng.integers(-32768, 32768, size=(3, 20, 30), dtype=np.int16).astype(">i2")
    z = zarr.open_array(os.path.join(out, "zlib-f.zarr"), mode="w", shape=b.shape, chunks=(2, 7, 16), dtype=">i2", order="F",
                        compressor=numcodecs.Zlib(level=3))
    z[...] = b
    entries.append(save(out, "zlib-f", [b]))

    # zstd float32 with a NaN fill value and chunks never written.
    c = np.full((4, 30, 30), np.nan, dtype=np.float32)
    z = zarr.open_array(os.path.join(out, "zstd-fill.zarr"), mode="w", shape=c.shape, chunks=(1, 16, 16), dtype="<f4",
                        compressor=numcodecs.Zstd(level=3), fill_value=float("nan"))
    c[1:3, 0:16, 16:30] = rng.standard_normal((2, 16, 14)).astype(np.float32)
    c[0, 5, 5] = -0.0
    z[1:3, 0:16, 16:30] = c[1:3, 0:16, 16:30]
    z[0, 0:16, 0:16] = c[0, 0:16, 0:16]
    entries.append(save(out, "zstd-fill", [c]))

    # gzip float64, "/" separated keys.
    d = rng.standard_normal((2, 25, 19))
    z = zarr.open_array(zarr.storage.NestedDirectoryStore(os.path.join(out, "gzip-nested.zarr")), mode="w", shape=d.shape,
                        chunks=(1, 10, 10), dtype="<f8", compressor=numcodecs.GZip(level=5))
    z[...] = d
    entries.append(save(out, "gzip-nested", [d]))

    # Blosc zstd without shuffle (int32), Blosc zlib with shuffle (uint8), Blosc lz4hc (big-endian float32).
    e = rng.integers(-2**31, 2**31, size=(3, 40, 33), dtype=np.int32)
    z = zarr.open_array(os.path.join(out, "blosc-zstd.zarr"), mode="w", shape=e.shape, chunks=(2, 40, 20), dtype=e.dtype,
                        compressor=numcodecs.Blosc(cname="zstd", clevel=3, shuffle=numcodecs.Blosc.NOSHUFFLE))
    z[...] = e
    entries.append(save(out, "blosc-zstd", [e]))
    f = (np.arange(2 * 300 * 20) % 251).astype(np.uint8).reshape(2, 300, 20)
    z = zarr.open_array(os.path.join(out, "blosc-zlib.zarr"), mode="w", shape=f.shape, chunks=(2, 300, 20), dtype=f.dtype,
                        compressor=numcodecs.Blosc(cname="zlib", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE))
    z[...] = f
    entries.append(save(out, "blosc-zlib", [f]))
    g = (rng.standard_normal((2, 64, 64)) * 100).astype(">f4")
    z = zarr.open_array(os.path.join(out, "blosc-lz4hc.zarr"), mode="w", shape=g.shape, chunks=(1, 64, 64), dtype=">f4",
                        compressor=numcodecs.Blosc(cname="lz4hc", clevel=9, shuffle=numcodecs.Blosc.SHUFFLE))
    z[...] = g
    entries.append(save(out, "blosc-lz4hc", [g]))

    # An OME-Zarr 0.4 multiscale image of 3 levels (t, c, z, y, x), as ome-zarr-py lays it out.
    h = rng.integers(0, 4096, size=(2, 2, 3, 65, 47), dtype=np.uint16)
    levels = pyramid(h, 3)
    root = zarr.open_group(os.path.join(out, "ome.zarr"), mode="w")
    datasets = []
    for k, lv in enumerate(levels):
        root.create_dataset(str(k), data=lv, chunks=(1, 1, 1, 32, 32), dimension_separator="/")
        datasets.append({"path": str(k), "coordinateTransformations": [
            {"type": "scale", "scale": [60.0, 1.0, 2.0, 0.25 * 2 ** k, 0.25 * 2 ** k]}]})
    axes = [{"name": "t", "type": "time", "unit": "second"}, {"name": "c", "type": "channel"},
            {"name": "z", "type": "space", "unit": "micrometer"}, {"name": "y", "type": "space", "unit": "micrometer"},
            {"name": "x", "type": "space", "unit": "micrometer"}]
    root.attrs["multiscales"] = [{"version": "0.4", "name": "ome", "axes": axes, "datasets": datasets}]
    entries.append(save(out, "ome", levels, axes=[x["name"] for x in axes],
                        metadata={"spacing": {"t": 60.0, "z": 2.0, "y": 0.25, "x": 0.25}, "unit": "micrometer",
                                  "time_unit": "second", "pixel_size_um": 0.25}))

    # dask: a lazily computed array written with to_zarr (zarr's default compressor), as a plain array,
    # and a 2-level multiscale whose levels dask computes and writes.
    lazy = da.from_array(rng.integers(0, 255, size=(4, 50, 70), dtype=np.uint8), chunks=(1, 25, 35))
    lazy = (lazy // 2 + 3).astype(np.uint8)
    lazy.to_zarr(os.path.join(out, "dask.zarr"))
    entries.append(save(out, "dask", [lazy.compute()]))
    base = da.from_array(rng.standard_normal((3, 41, 57)).astype(np.float32), chunks=(1, 20, 20))
    dlevels = [base, base[:, ::2, ::2]]
    group = zarr.open_group(os.path.join(out, "dask-ms.zarr"), mode="w")
    for k, lv in enumerate(dlevels):
        lv.rechunk((1, 20, 20)).to_zarr(os.path.join(out, "dask-ms.zarr"), component=str(k))
    group.attrs["multiscales"] = [{"version": "0.4", "axes": [{"name": "z", "type": "space"}, {"name": "y", "type": "space"},
                                                               {"name": "x", "type": "space"}],
                                   "datasets": [{"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [1, 1, 1]}]},
                                                {"path": "1", "coordinateTransformations": [{"type": "scale", "scale": [1, 2, 2]}]}]}]
    entries.append(save(out, "dask-ms", [lv.compute() for lv in dlevels], axes=["z", "y", "x"]))

    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(entries, f)
    print("wrote", len(entries), "datasets")


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    else:
        write(sys.argv[2])
