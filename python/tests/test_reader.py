"""The reader on files built by tests/jpkl_files.py (no Java needed): indexing, laziness, levels, errors."""
import json
import os
import struct
import tempfile
import unittest
from unittest import mock

import numpy as np

import jpkl
from jpkl import _codecs
from tests.jpkl_files import build, deflate_plane


class ReaderTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name, data):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def open(self, name, data, **options):
        a = jpkl.open(self.write(name, data), **options)
        self.addCleanup(a.close)
        return a

    def test_metadata_and_whole_read(self):
        source = np.arange(6 * 7 * 3 * 2, dtype=np.int16).reshape(6, 7, 3, 2) - 100
        a = self.open("a.jpkl", build(source))
        self.assertEqual((6, 7, 3, 2), a.shape)
        self.assertEqual(np.dtype("int16"), a.dtype)
        self.assertEqual(4, a.ndim)
        self.assertEqual(source.size, a.size)
        self.assertEqual(("a0", "a1", "a2", "a3"), a.axis_names)
        self.assertEqual("deflate", a.codec)
        self.assertEqual({"level": "1", "filter": "none"}, a.codec_params)
        self.assertEqual({}, a.metadata)
        self.assertEqual((1, 0), a.version)
        self.assertIsNone(a.tile_shape)
        self.assertEqual(1, a.level_count)
        np.testing.assert_array_equal(source, np.asarray(a))
        np.testing.assert_array_equal(source.astype(np.float64), np.asarray(a, dtype=np.float64))

    def test_decodes_only_the_touched_slices_and_tiles(self):
        source = np.arange(40 * 50 * 4 * 3, dtype=np.uint16).reshape(40, 50, 4, 3)
        for tile in (None, (16, 16)):
            a = self.open("t%s.jpkl" % (tile,), build(source, tile=tile))
            decoded = []
            real = _codecs.DECODERS["deflate"]

            def counting(data, dtype, h, w, c, params):
                decoded.append((h, w))
                return real(data, dtype, h, w, c, params)

            with mock.patch.dict(_codecs.DECODERS, {"deflate": counting}):
                np.testing.assert_array_equal(source[3:20, 5, 2, ::2], a[3:20, 5, 2, ::2])
            # two slices; untiled: two whole planes; tiled: rows 3..19 touch tile rows 0 and 1, column 5 tile column 0
            self.assertEqual([(40, 50)] * 2 if tile is None else [(16, 16)] * 4, decoded)

    def test_random_selections_match_numpy_on_tiled_and_untiled_files(self):
        from tests.test_cross import random_key
        import random
        rnd = random.Random(11)
        source = np.random.default_rng(3).integers(0, 60000, (45, 38, 3, 2, 3)).astype(np.uint16)
        files = [self.open("u.jpkl", build(source, rgb=True)), self.open("t.jpkl", build(source, tile=(16, 7), rgb=True)),
                 self.open("p.jpkl", build(source, tile=(16, 7), rgb=True), threads=4)]
        for _ in range(300):
            key = random_key(rnd, source.shape)
            try:
                want = source[key]
            except IndexError as e:
                for a in files:
                    with self.assertRaises(IndexError) as cm:
                        a[key]
                    self.assertEqual(str(e), str(cm.exception))
                continue
            for a in files:
                got = a[key]
                self.assertEqual(want.shape, got.shape, key)
                np.testing.assert_array_equal(want, got, str(key))

    def test_numpy_errors_for_what_numpy_refuses(self):
        a = self.open("e.jpkl", build(np.zeros((4, 5, 6), np.uint8)))
        cases = [((9,), IndexError, "index 9 is out of bounds for axis 0 with size 4"),
                 ((0, 0, -7), IndexError, "index -7 is out of bounds for axis 2 with size 6"),
                 ((0, 0, 0, 0), IndexError, "too many indices for array: array is 3-dimensional, but 4 were indexed"),
                 ((Ellipsis, 0, Ellipsis), IndexError, "an index can only have a single ellipsis ('...')"),
                 ((slice(None, None, 0),), ValueError, "slice step cannot be zero"),
                 (([0, 1],), TypeError, "index ([0, 1],): list is not supported; only basic indexing"),
                 ((True,), TypeError, "index (True,): boolean indexing is not supported"),
                 ((slice(0.5, 2),), TypeError, "slice indices must be integers or None or have an __index__ method")]
        for key, kind, message in cases:
            with self.assertRaises(kind) as cm:
                a[key]
            self.assertIn(message, str(cm.exception))
        self.assertEqual((5, 1), a[np.int64(1), :, np.int32(2), None].shape)  # as NumPy: (5, 1)

    def test_levels(self):
        # a 3.0 file with two reduced levels, built level by level
        base = np.arange(9 * 7 * 2, dtype=np.float32).reshape(9, 7, 2)
        l1 = base[::2, ::2] * 2
        l2 = l1[::2, ::2] * 3
        chunks = [deflate_plane(p[:, :, k]) for p in (base, l1, l2) for k in range(2)]
        a = self.open("l.jpkl", build(base, chunks=chunks, version=3, header_extra={"levels": 2, "downsampling": "mean"}))
        self.assertEqual(3, a.level_count)
        self.assertEqual("mean", a.downsampling)
        self.assertIs(a, a.level(0))
        self.assertEqual((5, 4, 2), a.level(1).shape)
        self.assertEqual((3, 2, 2), a.level(2).shape)
        np.testing.assert_array_equal(l1, a.level(1)[...])
        np.testing.assert_array_equal(l2[:, 1], a.level(2)[:, 1])
        with self.assertRaises(IndexError) as cm:
            a.level(3)
        self.assertIn("level 3 is out of range [0, 3)", str(cm.exception))

    def test_opens_a_10_gb_file_reading_only_preamble_header_footer_and_index(self):
        # a sparse 10 GB file: 1000 slices of 10 MB each (a hole), indexed like a real one
        n, slice_bytes = 1000, 10_000_000
        shape = [4000, 2500, n]
        header = json.dumps({"shape": shape, "dtype": "uint8", "layout": {"y": 0, "x": 1}, "axis_names": ["y", "x", "z"],
                             "codec": {"id": "deflate", "params": {"filter": "none"}}, "metadata": {}}).encode()
        from jpkl._crc32c import crc32c
        start = 16 + len(header) + 4
        index = b"".join(struct.pack("<QQI", start + k * slice_bytes, slice_bytes, 0) for k in range(n))
        index_offset = start + n * slice_bytes
        foot = struct.pack("<QQI", index_offset, n, crc32c(index))
        path = os.path.join(self.tmp.name, "big.jpkl")
        with open(path, "wb") as f:
            f.write(b"\x89JPKL\r\n\x1a" + struct.pack("<HHI", 1, 0, len(header)) + header + struct.pack("<I", crc32c(header)))
            f.seek(index_offset)
            f.write(index + foot + struct.pack("<I", crc32c(foot)) + b"JPKLEND\x1a")
        self.assertGreater(os.path.getsize(path), 10 ** 10)
        read = []
        real = os.pread
        with mock.patch("os.pread", lambda fd, k, at: read.append(k) or real(fd, k, at)):
            a = jpkl.open(path)
        self.addCleanup(a.close)
        self.assertEqual((4000, 2500, 1000), a.shape)
        self.assertEqual([16, len(header) + 4, 32, 20 * n], read)
        with self.assertRaises(jpkl.JpklError) as cm:
            a[:, :, 999]
        self.assertEqual("slice 999 (key (999,))", cm.exception.region)
        self.assertIn("CRC32C mismatch", cm.exception.detail)

    def test_index_read_entry_by_entry_when_large(self):
        source = np.arange(5 * 6 * 4, dtype=np.int32).reshape(5, 6, 4)
        data = bytearray(build(source))
        index_offset = struct.unpack("<Q", data[-32:-24])[0]
        with mock.patch("jpkl._array.EAGER_INDEX_BYTES", 0):
            np.testing.assert_array_equal(source[:, 2:, 1:3], self.open("lazy.jpkl", bytes(data))[:, 2:, 1:3])
            data[index_offset + 20 * 2 + 8:index_offset + 20 * 2 + 16] = struct.pack("<Q", 10 ** 9)  # slice 2's length
            a = self.open("lazy-bad.jpkl", bytes(data))  # the index CRC is not checked at open then
            np.testing.assert_array_equal(source[:, :, 1], a[:, :, 1])
            with self.assertRaises(jpkl.JpklError) as cm:
                a[:, :, 2]
        self.assertEqual("index entry for slice 2 (key (2,))", cm.exception.region)
        self.assertIn("offset %d and length 1000000000 do not lie in the data region" % (
            struct.unpack("<Q", data[index_offset + 40:index_offset + 48])[0]), cm.exception.detail)

    def test_dask(self):
        import dask.array as da
        source = np.arange(20 * 30 * 5, dtype=np.float64).reshape(20, 30, 5)
        a = self.open("d.jpkl", build(source, tile=(16, 16)))
        d = jpkl.to_dask(a)
        self.assertEqual(((16, 4), (16, 14), (1,) * 5), d.chunks)
        np.testing.assert_array_equal(source.sum(axis=2), d.sum(axis=2).compute())
        np.testing.assert_array_equal(source, da.from_array(a, chunks=(7, 30, 2)).compute())

    def test_pickles_by_path_for_worker_processes(self):
        import pickle
        base = np.arange(9 * 7 * 2, dtype=np.uint16).reshape(9, 7, 2)
        l1 = base[::2, ::2]
        chunks = [deflate_plane(p[:, :, k]) for p in (base, l1) for k in range(2)]
        a = self.open("p.jpkl", build(base, chunks=chunks, version=3, header_extra={"levels": 1}), verify=False, threads=2)
        copy = pickle.loads(pickle.dumps(a.level(1)))
        self.addCleanup(copy.close)
        self.assertEqual((a.path, 1, False, 2), (copy.path, copy.level_index, copy._verify, copy._threads))
        np.testing.assert_array_equal(l1, copy[...])

    def test_missing_codec_module_names_codec_and_package(self):
        a = self.open("z.jpkl", build(np.zeros((3, 4, 2), np.uint8), header_extra={"codec": {"id": "zstd", "params": {}}}))
        with mock.patch.dict("sys.modules", {"zstandard": None}), mock.patch.dict(_codecs._MODULES, clear=True):
            with self.assertRaises(jpkl.MissingCodecError) as cm:
                a[:, :, 1]
        self.assertEqual("%s: slice 1 (key (1,)): codec 'zstd' needs the Python module 'zstandard', which is not "
                         "installed (pip install zstandard, or apt-get install python3-zstandard)" % a.path,
                         str(cm.exception))
        with self.assertRaises(jpkl.MissingCodecError) as cm:
            self.open("q.jpkl", build(np.zeros((3, 4), np.uint8), header_extra={"codec": {"id": "qoi", "params": {}}}))
        self.assertIn("q.jpkl: codec 'qoi' is not known to this reader; known: deflate, jpeg, png, zstd",
                      str(cm.exception))

    def assertFormatError(self, data, region, detail, name="bad.jpkl", read=None, **options):
        path = self.write(name, data)
        with self.assertRaises(jpkl.JpklError) as cm:
            with jpkl.open(path, **options) as a:
                a[read if read is not None else Ellipsis]
        self.assertEqual(path, cm.exception.source)
        self.assertEqual(region, cm.exception.region)
        self.assertIn(detail, cm.exception.detail)
        self.assertTrue(str(cm.exception).startswith("%s: %s: " % (path, region)), str(cm.exception))

    def test_damaged_files_raise_one_error_naming_file_and_region(self):
        source = np.arange(8 * 9 * 3, dtype=np.uint8).reshape(8, 9, 3)
        good = build(source)
        damaged = bytearray(good)
        first = struct.unpack("<Q", good[-32:-24])[0]  # index offset; slice 0 starts right after the header
        slice0 = struct.unpack("<Q", good[first:first + 8])[0]
        damaged[slice0 + 20] ^= 1
        self.assertFormatError(bytes(damaged), "slice 0 (key (0,))", "CRC32C mismatch at offset %d" % slice0)
        np.testing.assert_array_equal(source[:, :, 1:], self.open("nv.jpkl", bytes(damaged), verify=False)[:, :, 1:])
        self.assertFormatError(good[:10], "preamble", "file is 10 bytes; a jpkl file has at least 52 (truncated?)")
        self.assertFormatError(b"GIF89a" + good[6:], "preamble", "not a jpkl file: magic bytes are 474946383961")
        self.assertFormatError(good[:8] + struct.pack("<H", 4) + good[10:], "preamble",
                               "format version 4.0 is not supported; this reader reads versions 1.x to 3.x")
        self.assertFormatError(good[:-1], "footer", "end magic is")
        self.assertFormatError(good + b"\0", "footer", "end magic is")
        header_byte = bytearray(good)
        header_byte[20] ^= 0x20
        self.assertFormatError(bytes(header_byte), "header", "CRC32C mismatch")
        self.assertFormatError(build(source, header_extra={"tile_shape": [4, 4]}, version=1), "header",
                               "'tile_shape' needs format version 2.0 or later; the file says 1.0")
        self.assertFormatError(build(source, header_extra={"levels": 1}, version=2, chunks=[]), "header",
                               "'levels' needs format version 3.0 or later; the file says 2.0")
        self.assertFormatError(build(source, chunks=[deflate_plane(source[:, :, 0])] * 2), "footer",
                               "slice count 2 does not match the header's shape [8, 9, 3], which has 3 chunks")
        wrong = [deflate_plane(source[:, :, 0]), deflate_plane(source[:, :, 1].astype(np.uint16)),
                 deflate_plane(source[:, :, 2])]
        self.assertFormatError(build(source, chunks=wrong), "slice 1 (key (1,))",
                               "codec 'deflate': plane of dtype code 2, 8x9x1 does not match the expected uint8 8x9x1")
        truncated = [deflate_plane(source[:, :, 0])[:-3]] + wrong[:1] * 2
        self.assertFormatError(build(source, chunks=truncated), "slice 0 (key (0,))", "codec 'deflate': zlib stream")

    def test_strict_header(self):
        source = np.zeros((2, 3), np.uint8)

        def with_header(text):
            return build(source, header_bytes=text.encode("utf-8") if isinstance(text, str) else text)

        good_header = json.loads(build(source)[16:16 + struct.unpack("<I", build(source)[12:16])[0]])
        np.testing.assert_array_equal(source, self.open("ok.jpkl", with_header(json.dumps(good_header)))[...])
        dup = json.dumps(good_header)[:-1] + ', "dtype": "uint16"}'
        self.assertFormatError(with_header(dup), "header", "header repeats the key 'dtype'")
        self.assertFormatError(with_header(json.dumps(good_header).encode() + b" x"), "header", "header is not valid JSON")
        self.assertFormatError(with_header(b'{"a": "\xff"}'), "header", "header is not valid UTF-8: byte(s) at offset 7")
        nan = dict(good_header, metadata={"v": float("nan")})
        self.assertFormatError(with_header(json.dumps(nan)), "header", "NaN is not a JSON number")
        for key, value, detail in [("dtype", "complex64", "dtype 'complex64' is not supported; allowed: uint8"),
                                   ("shape", [2], "shape [2] has 1 axes; a container needs 2 to 32"),
                                   ("axis_names", ["y", "y"], "a name appears twice"),
                                   ("layout", {"y": 0, "x": 0}, "plane axes must be distinct"),
                                   ("levels", 0, "'levels' 0 is out of range [1, 31]")]:
            self.assertFormatError(with_header(json.dumps(dict(good_header, **{key: value}))), "header", detail)
        deep = dict(good_header, metadata={"a": json.loads("[" * 90 + "]" * 90)})
        self.assertFormatError(with_header(json.dumps(deep)), "header", "nesting deeper than 80 levels")


class CodecTest(unittest.TestCase):
    def test_deflate_stream_must_hold_exactly_the_plane(self):
        import zlib
        plane = np.arange(12, dtype=np.uint8).reshape(3, 4)
        good = deflate_plane(plane)
        np.testing.assert_array_equal(plane, _codecs.decode_deflate(good, "uint8", 3, 4, 1, {"filter": "none"}))
        for data, message in [(good + b"xx", "2 bytes of trailing data after the zlib stream"),
                              (good[:-2], "zlib stream ends early: 12 of the plane's 12 bytes and no end of stream"),
                              (good[:16] + zlib.compress(bytes(13)), "zlib stream holds more than the plane's 12 bytes"),
                              (good[:16] + zlib.compress(bytes(11)), "zlib stream holds 11 bytes; the plane has 12"),
                              (good[:10], "10 bytes, shorter than the 16-byte plane header")]:
            with self.assertRaises(_codecs.CodecError) as cm:
                _codecs.decode_deflate(data, "uint8", 3, 4, 1, {"filter": "none"})
            self.assertEqual(message, str(cm.exception))
        with self.assertRaises(_codecs.CodecError) as cm:
            _codecs.decode_deflate(good, "uint8", 3, 4, 1, {"filter": "delta"})
        self.assertEqual("filter code 0 does not match the parameters' filter delta", str(cm.exception))

    def test_jpeg_shared_and_header_slices_rebuild_pillows_stream_byte_for_byte(self):
        # Pillow's encoder is libjpeg's with the standard tables, as jpkl-jpeg's: cut its streams as jpkl-jpeg stores
        # them (docs/FORMAT.md) and rebuild. Grey only at 4:4:4: Pillow writes 2x2 sampling for a grey 4:2:0 image.
        import io
        from PIL import Image
        rng = np.random.default_rng(1)
        for mode, c, subsamplings in (("L", 1, ((0, "444"),)), ("RGB", 3, ((2, "420"), (0, "444")))):
            for pillow_subsampling, subsampling in subsamplings:
                for quality in (1, 10, 49, 50, 51, 75, 90, 100):
                    what = "%s %s quality %d" % (mode, subsampling, quality)
                    pixels = (rng.random((37, 53, c)) * 255).astype(np.uint8)
                    out = io.BytesIO()
                    Image.fromarray(pixels[:, :, 0] if c == 1 else pixels, mode).save(out, "JPEG", quality=quality,
                                                                                      subsampling=pillow_subsampling)
                    full = out.getvalue()
                    sof, sos, dqt_count, dht_count = _codecs._jpeg_scan_header(full)
                    self.assertEqual((c - c // 2, 2 * (c - c // 2)), (dqt_count, dht_count), what)
                    dqt, dht = _codecs.jpeg_tables(quality, c)
                    self.assertEqual(dqt, full[sof - len(dqt):sof], what)
                    self.assertEqual(dht, full[sos - len(dht):sos], what)
                    abbreviated = full[:sof - len(dqt)] + full[sof:sos - len(dht)] + full[sos:]
                    params = {"quality": str(quality), "subsampling": subsampling}
                    self.assertEqual(full, _codecs.complete_jpeg(abbreviated, "uint8", 37, 53, c, dict(params, tables="shared")),
                                     what)
                    scan = sos + 2 + ((full[sos + 2] << 8) | full[sos + 3])
                    stored = full[12:13] + full[scan:-2]
                    self.assertEqual(full, _codecs.complete_jpeg(stored, "uint8", 37, 53, c, dict(params, tables="header")), what)
                    self.assertTrue(np.array_equal(_codecs.decode_jpeg(full, "uint8", 37, 53, c, {}),
                                                   _codecs.decode_jpeg(stored, "uint8", 37, 53, c, dict(params, tables="header"))),
                                    what)

    def test_jpeg_slices_of_another_kind_and_unknown_tables_are_refused(self):
        header = {"quality": "90", "tables": "header"}
        for data, dtype, params, message in (
                (b"\xff\xd8\xff\xd9", "uint8", {"tables": "scan"}, "codec 'jpeg': tables (scan) must be one of [inline, shared, header]"),
                (b"\xff\xd8\xff\xd9", "uint8", dict(header, subsampling="422"),
                 "codec 'jpeg': subsampling (422) must be one of [420, 444]"),
                (b"\xff\xd8\xff\xd9", "uint8", {"quality": "101", "tables": "shared"},
                 "codec 'jpeg': quality (101) must be an integer in [0, 100]"),
                (b"\x01", "uint8", header, "JPEG slice of 1 bytes is too short for tables=header, which stores the JFIF minor"
                                          " version (1 byte) and at least 1 byte of scan data"),
                (bytes(17), "uint16", header, "JPEG slice of 17 bytes is too short for tables=header, which stores the JFIF minor"
                                             " version (1 byte), the 8-bit mapping's window (16 bytes) and at least 1 byte of"
                                             " scan data"),
                (b"\xff\xd8\xff\xd9", "uint8", header, "JPEG slice starts with FF, which is no JFIF minor version (0..2) as"
                                                       " tables=header stores first"),
                (b"\xff\xd8\xff\xdb\x00\x04\x00\x00\xff\xda\x00\x02", "uint8", {"tables": "shared"},
                 "JPEG slice has tables of its own (1 DQT and 0 DHT segments), but its container stores them once (tables=shared)"),
                (b"\xff\xd8\xff\xe0\x00\x09", "uint8", {"tables": "shared"},
                 "JPEG segment 0xFFE0 at byte 2 has length 9 beyond the data")):
            with self.assertRaises(_codecs.CodecError) as cm:
                _codecs.decode_jpeg(data, dtype, 16, 16, 1, params)
            self.assertEqual(message, str(cm.exception))

    def test_jpeg_huffman_tables_are_validated_as_java_does(self):
        # The container's own Huffman tables (huffman=<base64 of DHT segments>, jpkl-jpeg JpegHuffman): the standard
        # ones are valid tables and rebuild the standard header; damaged ones are refused with Java's messages.
        import base64
        _, good = _codecs.jpeg_tables(90, 1)
        self.assertEqual(good, _codecs.jpeg_huffman(base64.b64encode(good).decode(), 1))

        def changed(at, value):
            b = bytearray(good)
            b[at] = value
            return base64.b64encode(bytes(b)).decode()
        prefix = "codec 'jpeg': huffman (%s) must be standard, optimized or Huffman tables (base64 of the DHT segments DC 0," \
                 " AC 0[, DC 1, AC 1]): %s"
        swapped = base64.b64encode(good[33:] + good[:33]).decode()
        for text, detail in (
                ("QUI", "not in canonical base64 (RFC 4648 with padding, no line breaks)"),
                ("QUJD", "byte 0 of 3 does not start a DHT segment (FFC4 and its length)"),
                (changed(2, 0x10), "the DHT segment at byte 0 has length 4127, which does not fit in the 216 bytes or holds"
                                   " no table"),
                (changed(4, 0x20), "the DHT segment at byte 0 is for table class 2 id 0; baseline tables are class 0 (DC) or"
                                   " 1 (AC), id 0 or 1"),
                (changed(32, 12), "DC table 0 has symbol 0x0C, which baseline DC coding (categories 0..11) never uses"),
                (changed(14, 1), "DC table 0: its code length counts add up to 13 symbols, but its segment holds 12"),
                (swapped, "the DHT segments must come in the order DC 0, AC 0, DC 1, AC 1; AC table 0 is segment 1"),
                (base64.b64encode(good[:33]).decode(), "the DHT segments must hold DC table 0 and AC table 0")):
            shown = text if len(text) <= 40 else "%s... (%d characters)" % (text[:40], len(text))
            with self.assertRaises(_codecs.CodecError) as cm:
                _codecs.jpeg_huffman(text, 1)
            self.assertEqual(prefix % (shown, detail), str(cm.exception))
        b = bytearray(good)
        b[6], b[7] = 4, 2  # four 2-bit codes: no room left, the last one all ones
        with self.assertRaises(_codecs.CodecError) as cm:
            _codecs.jpeg_huffman(base64.b64encode(bytes(b)).decode(), 1)
        self.assertTrue(str(cm.exception).endswith("DC table 0 has more codes of 2 bits or less than a prefix code holds (the"
                                                   " all-ones code is not allowed)"), str(cm.exception))
        with self.assertRaises(_codecs.CodecError) as cm:
            _codecs.complete_jpeg(b"\x01\x00", "uint8", 8, 8, 1, {"tables": "header", "huffman": "optimized"})
        self.assertEqual("codec 'jpeg': huffman=optimized was never bound to tables (a writer stores the tables it built)",
                         str(cm.exception))

    def test_jpeg_arithmetic_coding_rebuilds_an_sof9_header_and_is_validated_as_java_does(self):
        import base64
        # coding=arithmetic (jpkl-jpeg JpegArithmetic): SOF9 in place of SOF0, no DHT, 2 check bytes before the scan data
        huffman = _codecs.complete_jpeg(b"\x01\x12\x34", "uint8", 8, 8, 1, {"tables": "header"})
        arithmetic = _codecs.complete_jpeg(b"\x01\xAB\xCD\x12\x34", "uint8", 8, 8, 1, {"tables": "header", "coding": "arithmetic"})
        _, dht = _codecs.jpeg_tables(90, 1)
        self.assertEqual(huffman.replace(dht, b"").replace(b"\xff\xc0", b"\xff\xc9"), arithmetic)
        self.assertEqual(arithmetic[:-4], _codecs.complete_jpeg(b"\x01\xAB\xCD", "uint8", 8, 8, 1,
                                                                {"tables": "header", "coding": "arithmetic"})[:-2])
        for params, message in (
                ({"tables": "header", "coding": "arith"}, "codec 'jpeg': coding (arith) must be one of [huffman, arithmetic]"),
                ({"tables": "shared", "coding": "arithmetic"}, "codec 'jpeg': coding=arithmetic needs tables=header (the container"
                                                               " rebuilds the arithmetic-coded frame's header), not tables=shared"),
                ({"tables": "header", "coding": "arithmetic", "huffman": base64.b64encode(dht).decode()},
                 "codec 'jpeg': coding=arithmetic codes the scans without Huffman tables, so huffman must be standard, not"
                 " <tables>")):
            with self.assertRaises(_codecs.CodecError) as cm:
                _codecs.complete_jpeg(b"\x01\x00\x00\x00", "uint8", 8, 8, 1, params)
            self.assertEqual(message, str(cm.exception))
        with self.assertRaises(_codecs.CodecError) as cm:
            _codecs.complete_jpeg(b"\x01\x00", "uint8", 8, 8, 1, {"tables": "header", "coding": "arithmetic"})
        self.assertEqual("JPEG slice of 2 bytes is too short for tables=header, which stores the JFIF minor version (1 byte) and"
                         " the check value of the arithmetic-coded coefficients (2 bytes) before the scan data", str(cm.exception))

    def test_jpeg_level_table_is_java_level_mapping(self):
        # LevelMapping.value and Math.round: the window 0:1000 linear puts level 1 at 3.92... -> 4, level 128 at 501.96 -> 502
        t = _codecs.level_table("uint16", 0, 0.0, 1000.0)
        self.assertEqual([0, 4, 502, 1000], [int(t[q]) for q in (0, 1, 128, 255)])
        # sqrt: LO + (q sqrt(R) / 255)^2
        t = _codecs.level_table("float64", 1, 10.0, 110.0)
        self.assertAlmostEqual(10.0 + (128 * 10.0 / 255) ** 2, float(t[128]), places=12)
        self.assertEqual(110.0, float(t[255]))
        self.assertEqual(-3, _codecs._java_round(-3.5))  # Math.round rounds half up, not to even
        self.assertEqual(3, _codecs._java_round(2.5))
        self.assertEqual(0, _codecs._java_round(0.49999999999999994))
