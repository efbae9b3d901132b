"""Cross-implementation tests over files written by the Java library (jpkl-tests' PythonReaderCrossTest).

Skipped unless JPKL_CROSS_DIR names the folder that test wrote (run_tests.py sets it from its argument).
"""
import json
import os
import random
import time
import unittest

import numpy as np

import jpkl

CROSS = os.environ.get("JPKL_CROSS_DIR")

JAVA_TO_NUMPY = {"uint8": "uint8", "uint16": "uint16", "int16": "int16", "int32": "int32", "float32": "float32",
                 "float64": "float64"}


def random_key(rnd, shape):
    """A random basic index: per axis an int (some out of range), ':' or a slice of either step sign."""
    items = []
    for n in shape:
        r = rnd.randrange(5)
        if r == 0:
            items.append(rnd.randrange(-n, n) if n else 0)
        elif r == 1:
            items.append(slice(None))
        else:
            step = rnd.choice([-1, 1]) * (1 + rnd.randrange(3 if rnd.random() < 0.5 else 40))
            start = None if rnd.random() < 0.25 else rnd.randrange(-n - 2, n + 2)
            stop = None if rnd.random() < 0.25 else rnd.randrange(-n - 2, n + 2)
            items.append(slice(start, stop, step))
    if rnd.random() < 0.2:
        items.insert(rnd.randrange(len(items) + 1), None)
    return tuple(items)


@unittest.skipUnless(CROSS, "JPKL_CROSS_DIR is not set (run through jpkl-tests' PythonReaderCrossTest)")
class CrossTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(CROSS, "manifest.json")) as f:
            cls.manifest = json.load(f)

    def path(self, name):
        return os.path.join(CROSS, name)

    def test_files_written_by_java(self):
        worst = {}
        for entry in self.manifest["files"]:
            with self.subTest(entry["file"]):
                a = jpkl.open(self.path(entry["file"]))
                self.assertEqual(tuple(entry["shape"]), a.shape)
                self.assertEqual(np.dtype(JAVA_TO_NUMPY[entry["dtype"]]), a.dtype)
                self.assertEqual(tuple(entry["axis_names"]), a.axis_names)
                self.assertEqual(entry["codec"], a.codec)
                self.assertEqual(entry["params"], a.codec_params)
                self.assertEqual(entry["metadata"], a.metadata)
                self.assertEqual(entry["tiled"], a.tile_shape is not None)
                self.assertEqual(len(entry["expected"]), a.level_count)
                rnd = random.Random(entry["file"])
                for k, npy in enumerate(entry["expected"]):
                    level = a.level(k)
                    expected = np.load(self.path(npy))
                    got = np.asarray(level)
                    self.assertEqual(expected.shape, got.shape)
                    self.assertEqual(expected.dtype, got.dtype)
                    if entry["lossless"] or expected.size == 0:
                        np.testing.assert_array_equal(expected, got)
                    else:
                        diff = np.max(np.abs(expected.astype(np.float64) - got.astype(np.float64)))
                        worst[entry["file"]] = diff
                        self.assertEqual(0, diff, "max abs difference to the Java decode")
                    if not entry["lossless"]:
                        self.assertTrue(np.array_equal(expected, got))
                    for _ in range(40):
                        key = random_key(rnd, level.shape)
                        try:
                            want = expected[key]
                        except IndexError:
                            self.assertRaises(IndexError, level.__getitem__, key)
                            continue
                        np.testing.assert_array_equal(want, level[key], "%s level %d %r" % (entry["file"], k, key))
                    if k == 0:
                        threaded = jpkl.open(self.path(entry["file"]), threads=3)
                        np.testing.assert_array_equal(expected, threaded[...])
                        threaded.close()
                        np.testing.assert_array_equal(expected, jpkl.to_dask(level).compute())
                a.close()
        print("cross: %d files read as Java reads them (JPEG: max abs difference to Java's TurboJPEG decode %s over %d "
              "files)" % (len(self.manifest["files"]), max(worst.values()) if worst else "n/a", len(worst)))

    def test_index_expressions_as_java(self):
        from jpkl._indexing import resolve
        import tempfile
        from tests.jpkl_files import build
        from tests.test_indexing import key_of
        checked = errors = via_file = 0
        with open(self.path(self.manifest["index_cases"])) as f:
            cases = [json.loads(line) for line in f]
        files = {}
        with tempfile.TemporaryDirectory() as tmp:
            for n, c in enumerate(cases):
                shape = tuple(c["shape"])
                expr = c["expression"]
                key = key_of(expr)
                where = "case %d: a%s[%s]" % (n, list(shape), expr)
                source = np.arange(int(np.prod(shape)), dtype=c["dtype"]).reshape(shape)
                target = source
                if len(shape) >= 2 and shape[0] > 0 and shape[1] > 0:
                    tile = (1 + n % 3, 1 + n % 2) if n % 2 else None
                    name = "%s-%s-%s.jpkl" % ("x".join(map(str, shape)), c["dtype"], tile)
                    target = files.get(name)
                    if target is None:
                        path = os.path.join(tmp, name)
                        with open(path, "wb") as out:
                            out.write(build(source, tile=tile))
                        target = files[name] = jpkl.open(path)
                    via_file += 1
                if "error" in c:
                    with self.assertRaises((IndexError, ValueError, TypeError), msg=where) as cm:
                        target[key]
                    out_of_bounds = isinstance(cm.exception, IndexError) and "out of bounds" in str(cm.exception)
                    self.assertEqual(c["error"] == "IndexOutOfBoundsException", out_of_bounds,
                                     where + ": Java %s, Python %r" % (c["error"], cm.exception))
                    errors += 1
                else:
                    try:
                        got = target[key]
                    except Exception as e:
                        self.fail(where + " raised %r" % e)
                    self.assertEqual(tuple(c["result_shape"]), got.shape, where)
                    self.assertEqual(c["values"], [int(v) for v in got.ravel()], where)
                    self.assertEqual(tuple(c["result_shape"]), resolve(key, shape).shape, where)
                    checked += 1
            for a in files.values():
                a.close()
        print("cross: %d index expressions give Java's results (%d results, %d errors; %d through %d files)" % (
            len(cases), checked, errors, via_file, len(files)))

    def test_mutants(self):
        outcomes = {}
        unchecked = {}
        for m in self.manifest["mutants"]:
            path = self.path(m["file"])
            expected = np.load(self.path(m["expected"]))
            try:
                with jpkl.open(path) as a:
                    got = a[...]
                self.assertTrue(np.array_equal(expected, got, equal_nan=True),
                                "%s: different data returned without an error (Java: %s)" % (m["file"], m["java"]))
                python = "read intact"
            except jpkl.JpklError as e:
                self.assertTrue(str(e).startswith(path + ": "), str(e))
                python = "rejected"
            java = "read intact" if m["java"] == "read intact" else "rejected"
            outcomes[(java, python)] = outcomes.get((java, python), 0) + 1
            # without checksums damaged bytes reach the codecs: data (maybe changed) or JpklError, nothing else
            try:
                with jpkl.open(path, verify=False) as a:
                    a[...]
                unchecked["read"] = unchecked.get("read", 0) + 1
            except jpkl.JpklError as e:
                self.assertTrue(str(e).startswith(path + ": "), str(e))
                unchecked["rejected"] = unchecked.get("rejected", 0) + 1
        print("cross: %d mutants, outcomes (Java, Python): %s; Python without checksums: %s" % (
            len(self.manifest["mutants"]), outcomes, unchecked))
        self.assertEqual(0, sum(v for (j, p), v in outcomes.items() if j != p), outcomes)
