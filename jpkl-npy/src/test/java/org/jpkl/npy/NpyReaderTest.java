package org.jpkl.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.KeySpace;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.testing.HeapUse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NpyReader}, {@link NpyPlanes} and the writers against each other: every dtype, C and
 * Fortran order, both byte orders, whole arrays, leading-index ranges and planes of every axis
 * placement with small and large budgets; files, sources and streams; hostile headers and
 * truncated files refused with exact messages. {@link NpyNumpyCrossTest} checks the same against
 * NumPy itself.
 */
class NpyReaderTest {
    @TempDir
    Path dir;

    /** A deterministic array whose elements differ (modulo the dtype's range), with negative values where signed. */
    static NdArray ramp(DType dtype, int... shape) {
        return NdArray.generate(dtype, shape, i -> {
            switch (dtype) {
                case UINT8:
                    return i * 7 % 256;
                case UINT16:
                    return i * 37 % 65536;
                case INT16:
                    return i * 311 % 65536 - 32768;
                case INT32:
                    return i * 99991 - 1_000_000;
                case FLOAT32:
                    return i * 0.5 - 40;
                default:
                    return i / 3.0 - 7;
            }
        });
    }

    private byte[] npyBytes(NdArray a, ByteOrder order, boolean fortran) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyWriter.write(a, order, fortran, out);
        return out.toByteArray();
    }

    @Test
    void everyDtypeOrderAndByteOrderRoundTripsThroughFilesSourcesAndStreams() throws IOException {
        for (DType d : DType.values()) {
            NdArray a = ramp(d, 3, 4, 5);
            for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                for (boolean fortran : new boolean[] {false, true}) {
                    String what = d + " " + order + (fortran ? " F" : " C");
                    Path file = dir.resolve("a.npy");
                    NpyWriter.write(a, order, fortran, file);
                    try (NpyReader r = NpyReader.open(file)) {
                        assertEquals(d, r.header().dtype(), what);
                        assertEquals(d == DType.UINT8 ? ByteOrder.LITTLE_ENDIAN : order, r.header().byteOrder(), what);
                        assertEquals(fortran, r.header().fortranOrder(), what);
                        assertArrayEquals(new int[] {3, 4, 5}, r.header().shape());
                        assertEquals(128, r.dataOffset());
                        assertEquals(60L * d.byteSize(), r.header().dataBytes());
                        assertEquals(0, r.trailingBytes());
                        assertTrue(r.endsAfterData());
                        assertEquals(a, r.readAll(), what);
                        assertEquals(a.get("1:3"), r.read(1, 2), what);
                        assertEquals(a.get("2:2"), r.read(2, 0), what);
                    }
                    byte[] bytes = Files.readAllBytes(file);
                    try (RandomAccessSource source = RandomAccessSource.of("mem.npy", bytes); NpyReader r = NpyReader.open(source)) {
                        assertEquals(a.get("0:1"), r.read(0, 1), what);
                        assertEquals(a.get("2:3"), r.read(2, 1), what);
                    }
                    NpyReader s = NpyReader.open(new ByteArrayInputStream(bytes), "stdin");
                    assertFalse(s.seekable());
                    assertEquals(-1, s.trailingBytes());
                    if (fortran) {
                        // Each range of a Fortran-order array spans every column: a stream gives one.
                        assertEquals(a, s.readAll(), what);
                    } else {
                        assertEquals(a.get("0:1"), s.read(0, 1), what);
                        assertEquals(a.get("1:3"), s.read(1, 2), what);
                    }
                    assertTrue(s.endsAfterData());
                }
            }
        }
    }

    @Test
    void rangesAreTheSameWhateverTheChunkSize() throws IOException {
        NdArray a = ramp(DType.FLOAT64, 50, 7, 3);
        for (boolean fortran : new boolean[] {false, true}) {
            Path file = dir.resolve("r.npy");
            NpyWriter.write(a, ByteOrder.BIG_ENDIAN, fortran, file);
            // 64 bytes: pieces of 8 elements; 4096: several whole columns per read; 8 MiB: the default.
            for (int chunk : new int[] {64, 4096, 8 << 20}) {
                try (NpyReader r = NpyReader.open(file)) {
                    r.chunkBytes(chunk);
                    String what = (fortran ? "F" : "C") + " chunk " + chunk;
                    assertEquals(a.get("5:45"), r.read(5, 40), what);
                    assertEquals(a.get("49:50"), r.read(49, 1), what);
                    assertEquals(a, r.readAll(), what);
                }
            }
        }
    }

    @Test
    void scalarsVectorsAndEmptyArrays() throws IOException {
        NdArray scalar = NdArray.wrapFloat64(new double[] {2.5});
        NdArray vector = ramp(DType.INT16, 7);
        NdArray empty = NdArray.zeros(DType.UINT16, 0, 3);
        for (NdArray a : List.of(scalar, vector, empty)) {
            for (boolean fortran : new boolean[] {false, true}) {
                Path file = dir.resolve("x.npy");
                NpyWriter.write(a, ByteOrder.BIG_ENDIAN, fortran, file);
                try (NpyReader r = NpyReader.open(file)) {
                    assertEquals(a, r.readAll());
                }
            }
        }
        try (NpyReader s = NpyReader.open(writeTo("s.npy", scalar))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.read(0, 1));
            assertEquals(dir.resolve("s.npy") + ": a 0-dimensional array has no leading index; use readAll()", e.getMessage());
        }
        try (NpyReader r = NpyReader.open(dir.resolve("x.npy"))) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> r.read(0, 1));
            assertEquals(dir.resolve("x.npy") + ": range [0, 1) is outside the leading axis of length 0", e.getMessage());
        }
    }

    private Path writeTo(String name, NdArray a) throws IOException {
        Path p = dir.resolve(name);
        NpyWriter.write(a, p);
        return p;
    }

    @Test
    void planesOfEveryAxisPlacementOrderAndBudgetEqualTheArraysPlanes() throws IOException {
        NdArray base = ramp(DType.UINT16, 3, 40, 50, 12);
        for (String axes : List.of("c,y,x,z", "z,y,x,c", "y,c,z,x", "x,z,c,y", "y,x,z,t", "t,z,y,x")) {
            int[] shape = axisShape(axes, 12);
            NdArray a = NdArray.wrapUint16(base.toShortArray(), shape);
            PlaneLayout layout = axisLayout(axes);
            KeySpace keys = new KeySpace(shape, layout);
            for (boolean fortran : new boolean[] {false, true}) {
                for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                    Path file = dir.resolve("p.npy");
                    NpyWriter.write(a, order, fortran, file);
                    for (long budget : new long[] {64 << 10, 256 << 20}) {
                        String what = axes + (fortran ? " F " : " C ") + order + " budget " + budget;
                        try (NpyReader r = NpyReader.open(file)) {
                            NpyPlanes planes = r.planes(layout, budget);
                            assertEquals(keys.sliceCount(), planes.sliceCount());
                            boolean[] seen = new boolean[(int) keys.sliceCount()];
                            planes.readAll((n, plane) -> {
                                assertFalse(seen[(int) n], what + " slice " + n + " twice");
                                seen[(int) n] = true;
                                assertEquals(expectedPlane(a, layout, n), plane.toNdArray(), what + " slice " + n);
                            });
                            for (boolean s : seen) {
                                assertTrue(s, what);
                            }
                            PlaneBuffer one = PlaneBuffer.allocate(planes.spec());
                            long last = keys.sliceCount() - 1;
                            planes.read(last, one);
                            assertEquals(expectedPlane(a, layout, last), one.toNdArray(), what);
                            planes.read(1, one);
                            assertEquals(expectedPlane(a, layout, 1), one.toNdArray(), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void readingPlanesOneByOneReusesItsBuffers() throws IOException {
        // 200 x 300 uint16 planes (120,000 bytes): stored contiguously (z, y, x), and transposed (y, x, z).
        NdArray a = ramp(DType.UINT16, 6, 200, 300);
        Path file = writeTo("reuse.npy", a);
        NdArray t = NdArray.wrapUint16(ramp(DType.UINT16, 200, 300, 6).toShortArray(), new int[] {200, 300, 6});
        Path transposed = writeTo("reuse-yxz.npy", t);
        for (Object[] c : List.of(new Object[] {file, PlaneLayout.of(1, 2), a}, new Object[] {transposed, PlaneLayout.jpkl(false), t})) {
            PlaneLayout layout = (PlaneLayout) c[1];
            try (NpyReader r = NpyReader.open((Path) c[0])) {
                NpyPlanes planes = r.planes(layout, 256 << 10);
                PlaneBuffer one = PlaneBuffer.allocate(planes.spec());
                planes.read(0, one);
                long before = HeapUse.threadAllocatedBytes();
                for (long n = 1; n < 6; n++) {
                    planes.read(n, one);
                }
                long perPlane = (HeapUse.threadAllocatedBytes() - before) / 5;
                assertTrue(perPlane < 2_000, layout + ": " + perPlane + " bytes allocated per plane read (a plane is 120,000)");
                assertEquals(expectedPlane((NdArray) c[2], layout, 5), one.toNdArray(), layout.toString());
            }
        }
    }

    @Test
    void bandsOfRowsOfEveryAxisPlacementOrderAndBudgetEqualThePlanesRows() throws IOException {
        NdArray base = ramp(DType.UINT16, 3, 40, 50, 6);
        for (String axes : List.of("z,y,x,c", "c,y,x,z", "y,c,z,x", "x,z,c,y", "y,x,z,t", "t,z,y,x")) {
            int[] shape = axisShape(axes, 6);
            NdArray a = NdArray.wrapUint16(base.toShortArray(), shape);
            PlaneLayout layout = axisLayout(axes);
            KeySpace keys = new KeySpace(shape, layout);
            for (boolean fortran : new boolean[] {false, true}) {
                Path file = dir.resolve("rows.npy");
                NpyWriter.write(a, ByteOrder.BIG_ENDIAN, fortran, file);
                for (long budget : new long[] {64 << 10, 256 << 20}) {
                    for (int bandHeight : new int[] {1, 16, 40, 64}) {
                        String what = axes + (fortran ? " F" : " C") + " budget " + budget + " bands of " + bandHeight;
                        try (NpyReader r = NpyReader.open(file)) {
                            NpyPlanes planes = r.planes(layout, budget);
                            int[] nextBand = new int[(int) keys.sliceCount()];
                            planes.readAllRows(bandHeight, (n, band, rows) -> {
                                assertEquals(nextBand[(int) n]++, band, what + " slice " + n + " band order");
                                int y0 = band * bandHeight;
                                int h = Math.min(bandHeight, 40 - y0);
                                assertEquals(h, rows.spec().height(), what);
                                NdArray plane = expectedPlane(a, layout, n);
                                assertEquals(plane.get(y0 + ":" + (y0 + h) + ", ..."), rows.toNdArray(), what + " slice " + n + " band " + band);
                            });
                            for (int count : nextBand) {
                                assertEquals((40 + bandHeight - 1) / bandHeight, count, what);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void bandsOfAStreamNeedContiguousRowsAndPlanesLargerThanAnArrayAreReadInBandsOnly() throws IOException {
        byte[] bytes = npyBytes(ramp(DType.UINT8, 100, 100, 10), ByteOrder.LITTLE_ENDIAN, false);
        NpyPlanes yxz = NpyReader.open(new ByteArrayInputStream(bytes), "standard input").planes(PlaneLayout.jpkl(false), 1 << 20);
        assertFalse(yxz.rowsContiguous());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> yxz.readAllRows(16, (n, b, rows) -> { }));
        assertEquals("standard input: reading a stream in bands of rows needs the plane axes innermost in the file (NumPy's ..., y, x"
                + " in C order); read from a file", e.getMessage());
        NpyPlanes zyx = NpyReader.open(new ByteArrayInputStream(bytes), "standard input").planes(PlaneLayout.of(1, 2), 1 << 20);
        assertTrue(zyx.rowsContiguous());
        long[] rows = {0};
        zyx.readAllRows(16, (n, b, band) -> rows[0] += band.spec().height());
        assertEquals(100 * 100, rows[0]);

        // 50,000 x 50,000 uint8: 2.5 GB, more than one Java array; the header alone (the data is never read here).
        Path big = dir.resolve("huge.npy");
        Files.write(big, header("{'descr': '|u1', 'fortran_order': False, 'shape': (50000, 50000), }"));
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(f.length() + 2_500_000_000L);
        }
        try (NpyReader r = NpyReader.open(big)) {
            NpyPlanes planes = r.planes(PlaneLayout.of(0, 1), 256 << 20);
            IllegalStateException whole = assertThrows(IllegalStateException.class, () -> planes.readAll((n, p) -> { }));
            assertEquals(big + ": planes of uint8 50000x50000 grey (2500000000 bytes) are too large to read whole (at most 2 GB per"
                    + " plane); read them in bands of rows (readAllRows)", whole.getMessage());
            IllegalArgumentException tall = assertThrows(IllegalArgumentException.class, () -> planes.readAllRows(50_000, (n, b, p) -> { }));
            assertEquals(big + ": a band of 50000 rows of uint8 50000x50000 grey has 2500000000 bytes, more than one Java array holds; read"
                    + " fewer rows at a time", tall.getMessage());
        }
    }

    /** The shape of 4 axes named e.g. {@code "z,y,x,c"}: c 3, y 40, x 50, t 3, others {@code otherSize}. */
    private static int[] axisShape(String axes, int otherSize) {
        String[] names = axes.split(",");
        int[] shape = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            shape[i] = names[i].equals("c") || names[i].equals("t") ? 3 : names[i].equals("y") ? 40 : names[i].equals("x") ? 50 : otherSize;
        }
        return shape;
    }

    /** The plane layout of axes named e.g. {@code "z,y,x,c"} (y, x and the colour axis c). */
    private static PlaneLayout axisLayout(String axes) {
        List<String> names = List.of(axes.split(","));
        return names.contains("c") ? PlaneLayout.of(names.indexOf("y"), names.indexOf("x"), names.indexOf("c"))
                : PlaneLayout.of(names.indexOf("y"), names.indexOf("x"));
    }

    private static NdArray expectedPlane(NdArray a, PlaneLayout layout, long n) {
        int[] s = a.shape();
        PlaneBuffer p = PlaneBuffer.allocate(new org.jpkl.api.PlaneSpec(a.dtype(), s[layout.yAxis()], s[layout.xAxis()],
                layout.channels()));
        a.copyPlane(layout, n, p);
        return p.toNdArray();
    }

    @Test
    void strategyAndMemoryFollowTheLayoutAndBudget() throws IOException {
        NdArray a = ramp(DType.UINT8, 64, 48, 40);
        Path file = writeTo("yxz.npy", a);
        try (NpyReader r = NpyReader.open(file)) {
            assertEquals("plane by plane, one sequential pass", r.planes(PlaneLayout.of(1, 2), 1 << 20).strategy());
            NpyPlanes block = r.planes(PlaneLayout.jpkl(false), 1 << 20);
            assertEquals("1 block(s) of 122.9 kB with 40 planes each, one pass", block.strategy());
            NpyPlanes passes = r.planes(PlaneLayout.jpkl(false), 64 << 10);
            assertEquals("4 pass(es) over each of 1 block(s) of 122.9 kB (10 planes per pass, chunks of 17 rows): the plane axes are"
                    + " not contiguous in the file; a larger buffer means fewer passes", passes.strategy());
            // 17 rows of 40 x 48 bytes, 10 planes in the pass and the one handed out.
            assertEquals(17 * 1920 + 11 * 3072, passes.memoryBound());
        }
    }

    @Test
    void aStreamRefusesALayoutThatNeedsSeveralPasses() throws IOException {
        byte[] bytes = npyBytes(ramp(DType.UINT8, 100, 100, 10), ByteOrder.LITTLE_ENDIAN, false);
        NpyReader s = NpyReader.open(new ByteArrayInputStream(bytes), "standard input");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.planes(PlaneLayout.jpkl(false), 64 << 10));
        assertEquals("reading standard input needs blocks of 100.0 kB in memory (the plane axes are not the innermost in the file)"
                + " and a stream cannot be re-read; read from a file, or allow more than 133.3 kB of buffer", e.getMessage());
        NpyPlanes planes = s.planes(PlaneLayout.jpkl(false), 1 << 20);
        long[] count = {0};
        planes.readAll((n, p) -> count[0]++);
        assertEquals(10, count[0]);
        assertThrows(IllegalStateException.class, () -> planes.readAll((n, p) -> { }));
    }

    @Test
    void rawArraysAtAnOffsetAndWhatFollows() throws IOException {
        NdArray a = ramp(DType.FLOAT32, 4, 5, 6);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(new byte[100]);
        NpyWriter.writeRaw(a, ByteOrder.BIG_ENDIAN, data);
        data.write(new byte[7]);
        byte[] bytes = data.toByteArray();
        try (RandomAccessSource src = RandomAccessSource.of("cam.raw", bytes);
             NpyReader r = NpyReader.raw(src, 100, DType.FLOAT32, ByteOrder.BIG_ENDIAN, false, 4, 5, 6)) {
            assertTrue(r.isRaw());
            assertEquals(580, r.dataEnd());
            assertEquals(7, r.trailingBytes());
            assertFalse(r.endsAfterData());
            assertEquals(a, r.readAll());
        }
        NpyReader s = NpyReader.raw(new ByteArrayInputStream(bytes), "pipe", 100, DType.FLOAT32, ByteOrder.BIG_ENDIAN, false, 4, 5, 6);
        assertEquals(a, s.readAll());
        assertFalse(s.endsAfterData());
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> NpyReader.raw(RandomAccessSource.of("cam.raw", bytes), 101,
                DType.FLOAT32, ByteOrder.BIG_ENDIAN, false, 4, 5, 7));
        assertEquals("cam.raw: data: has 587 bytes; shape (4, 5, 7) of float32 needs 661 (560 after the first 101); check the shape,"
                + " dtype, offset and file", e.getMessage());
    }

    @Test
    void truncatedFilesAndStreamsAreRefusedNamingTheBytesTheyHaveAndNeed() throws IOException {
        byte[] whole = npyBytes(ramp(DType.UINT16, 2, 3, 4), ByteOrder.LITTLE_ENDIAN, false);
        Path cut = Files.write(dir.resolve("cut.npy"), Arrays.copyOf(whole, whole.length - 10));
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> NpyReader.open(cut));
        assertEquals(cut + ": data: has 166 bytes; shape (2, 3, 4) of uint16 needs 176 (48 after the 128-byte header); the file is"
                + " truncated", e.getMessage());
        NpyReader s = NpyReader.open(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 10)), "standard input");
        e = assertThrows(JpklFormatException.class, s::readAll);
        assertEquals("standard input: data: the stream ended after 166 bytes; shape (2, 3, 4) of uint16 needs 176 (48 after the"
                + " 128-byte header)", e.getMessage());
        Path inHeader = Files.write(dir.resolve("head.npy"), Arrays.copyOf(whole, 60));
        e = assertThrows(JpklFormatException.class, () -> NpyReader.open(inHeader));
        assertEquals(inHeader + ": npy header: states a header of 128 bytes; the file has 60", e.getMessage());
    }

    @Test
    void hostileHeadersAreRefusedBeforeAllocating() throws IOException {
        assertEquals("h.npy: npy header: header length 4294967295 exceeds 1048576 bytes",
                refused(withLength(2, 0xFFFFFFFFL, "{}")));
        assertEquals("h.npy: npy header: states a header of 1000012 bytes; the file has 14",
                refused(withLength(2, 1_000_000, "{}")));
        assertEquals("h.npy: npy header: shape [-1, 2]: axis 0 length -1 is not in [0, 2147483647]",
                refused(header("{'descr': '<u2', 'fortran_order': False, 'shape': (-1, 2), }")));
        assertEquals("h.npy: npy header: shape [2147483647, 2147483647, 2147483647] has more than 9223372036854775807 elements",
                refused(header("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }")));
        assertEquals("h.npy: shape: shape (2147483647, 2147483647, 2) of float64 has more bytes than a file can hold",
                refused(header("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2), }")));
        assertEquals("h.npy: data: has 128 bytes; shape (65536, 65536) of uint8 needs 4294967424 (4294967296 after the 128-byte"
                + " header); the file is truncated",
                refused(header("{'descr': '|u1', 'fortran_order': False, 'shape': (65536, 65536), }")));
        StringBuilder many = new StringBuilder("{'descr': '|u1', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < 33; i++) {
            many.append("1, ");
        }
        assertEquals("h.npy: shape: shape has 33 axes; at most 32 are supported", refused(header(many + "), }")));
        assertTrue(refused(header("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }"))
                .startsWith("h.npy: npy header: NumPy dtype '<i8' is not supported"));
    }

    private static String refused(byte[] file) {
        return assertThrows(JpklFormatException.class, () -> NpyReader.open(RandomAccessSource.of("h.npy", file))).getMessage();
    }

    /** A version-1.0 header padded to 128 bytes, with no data. */
    private static byte[] header(String dict) {
        StringBuilder d = new StringBuilder(dict);
        while ((10 + d.length() + 1) % 64 != 0) {
            d.append(' ');
        }
        return withLength(1, d.length() + 1, d + "\n");
    }

    private static byte[] withLength(int major, long length, String text) {
        byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
        int prefix = major == 1 ? 10 : 12;
        byte[] out = new byte[prefix + t.length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = (byte) major;
        for (int i = 0; i < prefix - 8; i++) {
            out[8 + i] = (byte) (length >>> (8 * i));
        }
        System.arraycopy(t, 0, out, prefix, t.length);
        return out;
    }

    @Test
    void streamWriterWritesPiecesAtomicallyAndChecksTheCount() throws IOException {
        NdArray a = ramp(DType.INT32, 5, 6, 7);
        Path target = dir.resolve("s.npy");
        try (NpyStreamWriter w = NpyStreamWriter.create(target, DType.INT32, ByteOrder.BIG_ENDIAN, 5, 6, 7)) {
            for (int z = 0; z < 5; z++) {
                w.append(a.get(z + ", ..."));
                assertFalse(Files.exists(target));
            }
            w.commit();
        }
        try (NpyReader r = NpyReader.open(target)) {
            assertEquals(ByteOrder.BIG_ENDIAN, r.header().byteOrder());
            assertEquals(a, r.readAll());
        }
        Path short_ = dir.resolve("short.npy");
        try (NpyStreamWriter w = NpyStreamWriter.create(short_, DType.INT32, ByteOrder.LITTLE_ENDIAN, 5, 6, 7)) {
            w.append(a.get("0, ..."));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.append(a));
            assertEquals("210 more elements would pass the 210 of shape (5, 6, 7) (42 written)", e.getMessage());
            assertEquals("a float32 piece cannot go into a int32 array",
                    assertThrows(IllegalArgumentException.class, () -> w.append(ramp(DType.FLOAT32, 2))).getMessage());
            IllegalStateException s = assertThrows(IllegalStateException.class, w::commit);
            assertEquals(short_.toAbsolutePath() + ": shape (5, 6, 7) needs 210 elements; 42 were appended", s.getMessage());
        }
        assertFalse(Files.exists(short_));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".partial")).toList());
        }
    }
}
