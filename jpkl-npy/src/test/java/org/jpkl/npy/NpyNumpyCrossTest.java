package org.jpkl.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.testing.OptionalPieces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NpyReader} and the writers against NumPy itself (python3-numpy; skipped when absent, a
 * failure under {@code CI=true}): for every dtype jpkl stores, C and Fortran order, little- and
 * big-endian, {@code numpy.save}'s files read back element for element, and the files jpkl writes
 * loaded by {@code numpy.load} with the dtype, byte order and order they state.
 */
class NpyNumpyCrossTest {
    private static final List<String> CODES = List.of("u1", "u2", "i2", "i4", "f4", "f8");
    /** The values of {@link NpyReaderTest#ramp}, in NumPy, by type code. */
    private static final String RAMP = String.join("\n",
            "import numpy as np, sys, os",
            "def ramp(code, shape):",
            "    i = np.arange(int(np.prod(shape)), dtype=np.int64)",
            "    v = {'u1': i * 7 % 256, 'u2': i * 37 % 65536, 'i2': i * 311 % 65536 - 32768, 'i4': i * 99991 - 1000000,",
            "         'f4': i * 0.5 - 40, 'f8': i / 3.0 - 7}[code]",
            "    return v.astype(code).reshape(shape)",
            "d = sys.argv[1]",
            "");
    private static final int[] SHAPE = {3, 4, 5};

    @TempDir
    static Path dir;

    @BeforeAll
    static void needsNumpy() {
        OptionalPieces.python("numpy");
    }

    private static DType dtype(String code) {
        return NumpyType.parse(code).dtype();
    }

    private static String name(String code, String order, boolean fortran) {
        return code + (order.equals("<") ? "_le" : "_be") + (fortran ? "_F" : "_C") + ".npy";
    }

    @Test
    void readsWhatNumpySavesForEveryDtypeOrderAndByteOrder() throws IOException, InterruptedException {
        OptionalPieces.runCode(dir, "save", RAMP + String.join("\n",
                "for code in " + pythonList(CODES) + ":",
                "    for order in '<>':",
                "        for fortran in (False, True):",
                "            a = ramp(code, (3, 4, 5)).astype(order + code)",
                "            a = np.asfortranarray(a) if fortran else np.ascontiguousarray(a)",
                "            name = code + ('_le' if order == '<' else '_be') + ('_F' if fortran else '_C') + '.npy'",
                "            np.save(os.path.join(d, name), a)",
                ""), dir.toString());
        int checked = 0;
        for (String code : CODES) {
            NdArray expected = NpyReaderTest.ramp(dtype(code), SHAPE);
            for (String order : List.of("<", ">")) {
                for (boolean fortran : new boolean[] {false, true}) {
                    String name = name(code, order, fortran);
                    try (NpyReader r = NpyReader.open(dir.resolve(name))) {
                        NpyHeader h = r.header();
                        assertEquals(dtype(code), h.dtype(), name);
                        assertEquals(fortran, h.fortranOrder(), name);
                        if (!code.equals("u1")) {
                            assertEquals(order.equals("<") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN, h.byteOrder(), name);
                        }
                        assertArrayEquals(SHAPE, h.shape(), name);
                        assertEquals(expected, r.readAll(), name);
                        assertEquals(expected.get("1:3"), r.read(1, 2), name);
                        int[] planes = {0};
                        r.planes(PlaneLayout.of(1, 2), 64 << 10).readAll((n, plane) -> {
                            assertEquals(expected.get(n + ", ..."), plane.toNdArray(), name + " plane " + n);
                            planes[0]++;
                        });
                        assertEquals(3, planes[0]);
                        checked++;
                    }
                }
            }
        }
        assertEquals(24, checked);
    }

    @Test
    void numpyLoadsWhatJpklWritesForEveryDtypeOrderAndByteOrder() throws IOException, InterruptedException {
        for (String code : CODES) {
            NdArray a = NpyReaderTest.ramp(dtype(code), SHAPE);
            for (String order : List.of("<", ">")) {
                ByteOrder bo = order.equals("<") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                for (boolean fortran : new boolean[] {false, true}) {
                    NpyWriter.write(a, bo, fortran, dir.resolve("j_" + name(code, order, fortran)));
                }
                try (NpyStreamWriter w = NpyStreamWriter.create(dir.resolve("s_" + name(code, order, false)), a.dtype(), bo, SHAPE)) {
                    for (int z = 0; z < SHAPE[0]; z++) {
                        w.append(a.get(z + ", ..."));
                    }
                    w.commit();
                }
            }
        }
        String out = OptionalPieces.runCode(dir, "load", RAMP + String.join("\n",
                "checks = 0",
                "for code in " + pythonList(CODES) + ":",
                "    want = ramp(code, (3, 4, 5))",
                "    for order in '<>':",
                "        for prefix, fortrans in (('j_', (False, True)), ('s_', (False,))):",
                "            for fortran in fortrans:",
                "                name = prefix + code + ('_le' if order == '<' else '_be') + ('_F' if fortran else '_C') + '.npy'",
                "                got = np.load(os.path.join(d, name))",
                "                expected_dtype = np.dtype(order + code) if code != 'u1' else np.dtype('u1')",
                "                assert got.dtype == expected_dtype, (name, got.dtype, expected_dtype)",
                "                assert got.flags['F_CONTIGUOUS'] == fortran or got.ndim < 2, (name, got.flags)",
                "                assert got.flags['C_CONTIGUOUS'] == (not fortran), (name, got.flags)",
                "                assert got.shape == (3, 4, 5), (name, got.shape)",
                "                assert np.array_equal(got, want), name",
                "                checks += 1",
                "print('checks', checks)",
                ""), dir.toString());
        assertTrue(out.contains("checks 36"), out);
    }

    private static String pythonList(List<String> items) {
        return "['" + String.join("', '", items) + "']";
    }
}
