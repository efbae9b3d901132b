"""Python side of jpkl-tiff's cross tests: multi-page TIFFs written by Pillow, a writer other than ours.

    write-tiff SPEC.json OUT.tif OUT.raw   pages of mode 'L' (uint8), 'I;16' (uint16) or 'RGB', with an
                                           optional ImageDescription; OUT.raw holds all pages' samples
                                           (little-endian, C order: page, y, x, (rgb))
    read-tiff IN.tif OUT.json [OUT.raw]    page count, each page's mode and size, and the first page's
                                           ImageDescription, as Pillow sees them; OUT.raw, if given,
                                           gets all pages' samples as Pillow decodes them (little-endian,
                                           C order)
"""
import json
import sys

import numpy as np
from PIL import Image, ImageSequence


def write_tiff(spec_path, out_path, raw_path):
    with open(spec_path) as f:
        spec = json.load(f)
    mode, pages, h, w = spec["mode"], spec["pages"], spec["height"], spec["width"]
    rng = np.random.RandomState(spec.get("seed", 2))
    images = []
    samples = []
    for _ in range(pages):
        if mode == "L":
            a = rng.randint(0, 256, (h, w)).astype(np.uint8)
            images.append(Image.fromarray(a, mode="L"))
        elif mode == "I;16":
            a = rng.randint(0, 65536, (h, w)).astype(np.uint16)
            images.append(Image.frombytes("I;16", (w, h), a.astype("<u2").tobytes()))
        elif mode == "RGB":
            a = rng.randint(0, 256, (h, w, 3)).astype(np.uint8)
            images.append(Image.fromarray(a, mode="RGB"))
        else:
            raise ValueError(mode)
        samples.append(a)
    kwargs = {}
    if "description" in spec:
        kwargs["description"] = spec["description"]
    images[0].save(out_path, format="TIFF", save_all=True, append_images=images[1:], **kwargs)
    stack = np.stack(samples)
    stack.astype(stack.dtype.newbyteorder("<")).tofile(raw_path)


def read_tiff(in_path, json_path, raw_path=None):
    samples = []
    with Image.open(in_path) as im:
        description = im.tag_v2.get(270)
        pages = []
        for p in ImageSequence.Iterator(im):
            pages.append({"mode": p.mode, "size": list(p.size)})
            if raw_path is not None:
                samples.append(np.array(p))
    if raw_path is not None:
        stack = np.stack(samples)
        stack.astype(stack.dtype.newbyteorder("<")).tofile(raw_path)
    with open(json_path, "w") as f:
        json.dump({"pages": pages, "description": description}, f)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"write-tiff": write_tiff, "read-tiff": read_tiff}[command](*args)
