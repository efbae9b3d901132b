"""Reads a TIFF with tifffile and prints what a hyperstack reader sees, as JSON."""
import json
import sys

import numpy
import tifffile

path, values_out = sys.argv[1], sys.argv[2]
with tifffile.TiffFile(path) as tif:
    series = tif.series[0]
    data = series.asarray()
    page = tif.pages[0]
    tags = page.tags
    info = {
        "is_imagej": tif.is_imagej,
        "is_bigtiff": tif.is_bigtiff,
        "axes": series.axes,
        "shape": list(data.shape),
        "dtype": str(data.dtype),
        "imagej": {k: v for k, v in (tif.imagej_metadata or {}).items() if isinstance(v, (int, float, str, bool))},
        "x_resolution": list(tags["XResolution"].value) if "XResolution" in tags else None,
        "y_resolution": list(tags["YResolution"].value) if "YResolution" in tags else None,
        "pages": len(tif.pages),
        "strip_offsets": [int(o) for p in tif.pages for o in p.dataoffsets],
        "strip_counts": [int(c) for p in tif.pages for c in p.databytecounts],
        "sample_format": int(page.sampleformat),
        "bits_per_sample": int(page.bitspersample),
        "compression": int(page.compression),
        "predictor": int(page.predictor),
    }
# The samples in C order, little-endian, for the Java side to compare.
numpy.ascontiguousarray(data).astype(data.dtype.newbyteorder("<")).tofile(values_out)
print(json.dumps(info))
