package org.jpkl.cli;

import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jpkl.api.testing.OptionalPieces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against NumPy itself (python3-numpy, installed by .ci/run; skipped when absent, except
 * under CI ({@code CI=true}), where that fails): arrays
 * written by {@code numpy.save} in C and Fortran order and both byte orders are encoded, selections
 * are read back with {@code jpkl get}, and {@code numpy.load} must read every output and find
 * exactly {@code a[EXPR]} — NumPy's own indexing of the original.
 */
class NumpyInteropTest {
    private static final List<String> EXPRESSIONS = List.of("...", "0", "-1, ...", "..., ::-2", ":, 1:3, None, ::2", "1, ..., 2",
            "0:0, ...", "::-1, -2:, 1", "None, ..., None");

    /** Debian's interpreter, where python3-numpy installs (another python3 may come first on the PATH). */
    private static final String PYTHON = OptionalPieces.PYTHON;

    @TempDir
    static Path dir;

    @BeforeAll
    static void needsNumpy() {
        OptionalPieces.python("numpy");
    }

    private static String python(String script, String... args) throws IOException, InterruptedException {
        Path file = dir.resolve("script.py");
        Files.writeString(file, script);
        List<String> cmd = new ArrayList<>(List.of(PYTHON, file.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void numpyFilesInAndOut() throws IOException, InterruptedException {
        python(String.join("\n",
                "import numpy as np, sys, os",
                "d = sys.argv[1]",
                "np.save(os.path.join(d, 'c_u2.npy'), (np.arange(3*4*5*6) * 37 % 65536).astype('<u2').reshape(3, 4, 5, 6))",
                "np.save(os.path.join(d, 'f_f4.npy'), np.asfortranarray((np.arange(5*6*7) * 0.5 - 40).astype('>f4').reshape(5, 6, 7)))",
                "np.save(os.path.join(d, 'c_i2.npy'), (np.arange(4*5*6) * 311 % 65536 - 32768).astype('>i2').reshape(4, 5, 6))",
                "np.save(os.path.join(d, 'yxz_f8.npy'), (np.arange(6*7*5) / 3.0).reshape(6, 7, 5))",
                "np.save(os.path.join(d, 'rgb_u1.npy'), (np.arange(2*8*9*3) % 256).astype('u1').reshape(2, 8, 9, 3))",
                "np.save(os.path.join(d, 'c_i4.npy'), (np.arange(2*3*4) * 99991 - 10**6).astype('<i4').reshape(2, 3, 4))"),
                dir.toString());
        String[][] inputs = {{"c_u2", "t,z,y,x"}, {"f_f4", "z,y,x"}, {"c_i2", "z,y,x"}, {"yxz_f8", "y,x,z"}, {"rgb_u1", "z,y,x,rgb"},
            {"c_i4", "z,y,x"}};
        for (String[] in : inputs) {
            Path file = dir.resolve(in[0] + ".jpkl");
            ok(Cli.run("encode", dir.resolve(in[0] + ".npy").toString(), "--axes", in[1], "-o", file.toString(), "--codec", "test-identity",
                    "--buffer", "64K"));
            List<String> args = new ArrayList<>(List.of("get", file.toString()));
            for (int i = 0; i < EXPRESSIONS.size(); i++) {
                args.addAll(List.of(EXPRESSIONS.get(i), "-o", dir.resolve(in[0] + "_" + i + ".npy").toString()));
            }
            ok(Cli.run(args.toArray(new String[0])));
            Files.write(dir.resolve(in[0] + "_stdout.npy"), ok(Cli.run("get", file.toString(), "0, ...", "-o", "-")).out());
        }
        StringBuilder names = new StringBuilder();
        for (String[] in : inputs) {
            names.append(in[0]).append(' ');
        }
        String out = python(String.join("\n",
                "import numpy as np, sys, os",
                "d, names, exprs = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(';')",
                "checks = 0",
                "for n in names:",
                "    a = np.load(os.path.join(d, n + '.npy'))",
                "    for i, e in enumerate(exprs):",
                "        path = os.path.join(d, '%s_%d.npy' % (n, i))",
                "        with open(path, 'rb') as f:",
                "            version = np.lib.format.read_magic(f)",
                "            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)",
                "        assert version == (1, 0) and not fortran, (path, version, fortran)",
                "        got = np.load(path)",
                "        want = eval('a[' + e + ']')",
                "        assert got.dtype == want.dtype.newbyteorder('=') or got.dtype == want.dtype, (n, e, got.dtype, want.dtype)",
                "        assert got.shape == want.shape, (n, e, got.shape, want.shape)",
                "        assert np.array_equal(got, want), (n, e)",
                "        checks += 1",
                "    got = np.load(os.path.join(d, n + '_stdout.npy'))",
                "    assert np.array_equal(got, a[0, ...]) and got.shape == a[0, ...].shape, n",
                "    checks += 1",
                "print('all %d checks passed' % checks)"),
                dir.toString(), names.toString().strip(), String.join(";", EXPRESSIONS));
        assertTrue(out.contains("all " + inputs.length * (EXPRESSIONS.size() + 1) + " checks passed"), out);
    }
}
