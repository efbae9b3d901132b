package org.jpkl.jpeg;

import static org.jpkl.jpeg.JpegSharedTablesTest.codecs;
import static org.jpkl.jpeg.JpegSharedTablesTest.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.testing.OptionalPieces;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coding=arithmetic}: the QM-coder ({@link JpegArithmetic}) writes exactly the scan that
 * libjpeg-turbo's {@code jpegtran -arithmetic} writes for the same Huffman JPEG, and its decoder gives
 * back the Huffman scan byte for byte.
 *
 * <p>{@code jpegtran} (Debian {@code libjpeg-turbo-progs}) is found through the system property
 * {@value #JPEGTRAN_PROPERTY}, else the environment variable {@value #JPEGTRAN_ENV}, else on the
 * {@code PATH}; where it is missing the comparison is skipped with a message (failed under {@code CI=true}).
 */
class JpegArithmeticTest {
    /** System property naming the jpegtran executable. */
    static final String JPEGTRAN_PROPERTY = "jpkl.test.jpegtran";
    /** Environment variable naming the jpegtran executable. */
    static final String JPEGTRAN_ENV = "JPKL_JPEGTRAN";

    /** The jpegtran executable, or why there is none. */
    private static Optional<Path> jpegtran() {
        String named = System.getProperty(JPEGTRAN_PROPERTY, System.getenv(JPEGTRAN_ENV));
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named)).filter(Files::isExecutable);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "jpegtran"))) {
                return Optional.of(Path.of(dir, "jpegtran"));
            }
        }
        return Optional.empty();
    }

    private static Path requireJpegtran() {
        Optional<Path> found = jpegtran();
        String named = System.getProperty(JPEGTRAN_PROPERTY, System.getenv(JPEGTRAN_ENV));
        OptionalPieces.require("jpegtran", found.isPresent() ? Optional.empty() : Optional.of(named != null && !named.isBlank()
                ? named + " (from " + JPEGTRAN_PROPERTY + " or " + JPEGTRAN_ENV + ") is not executable"
                : "no jpegtran on the PATH (or name it with -D" + JPEGTRAN_PROPERTY + " or " + JPEGTRAN_ENV + ")"), "libjpeg-turbo-progs");
        return found.orElseThrow();
    }

    static PlaneBuffer constant(PlaneSpec spec, double value) {
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        for (int i = 0; i < spec.sampleCount(); i++) {
            TestPlanes.set(plane, i, value);
        }
        return plane;
    }

    /** The entropy-coded data of a stream's only scan: after its SOS segment, before the final EOI. */
    static byte[] scanData(byte[] stream) {
        int at = 2;
        while (true) {
            int marker = stream[at + 1] & 0xFF;
            int length = ((stream[at + 2] & 0xFF) << 8) | (stream[at + 3] & 0xFF);
            if (marker == 0xDA) {
                return Arrays.copyOfRange(stream, at + 2 + length, stream.length - 2);
            }
            at += 2 + length;
        }
    }

    private static byte[] run(Path jpegtran, Path dir, byte[] jpeg) throws IOException, InterruptedException {
        Path in = dir.resolve("in.jpg");
        Path out = dir.resolve("out.jpg");
        Files.write(in, jpeg);
        Process p = new ProcessBuilder(jpegtran.toString(), "-arithmetic", "-outfile", out.toString(), in.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !said.isEmpty()) {
            throw new IOException(jpegtran + " failed: " + said);
        }
        return Files.readAllBytes(out);
    }

    /**
     * The arithmetic scan of every plane kind (grey, YCbCr 4:2:0 and 4:4:4; sizes with partial MCUs;
     * smooth, noisy and constant content, mid-grey giving an empty scan; qualities 1..100) is byte for byte jpegtran's, and decodes
     * back to the Huffman scan it came from.
     */
    @Test
    void theArithmeticScanIsJpegtransByteForByte(@TempDir Path dir) throws IOException, InterruptedException {
        Path jpegtran = requireJpegtran();
        JpegCodec codec = codecs().get(0);
        int checked = 0;
        for (ChannelLayout channels : ChannelLayout.values()) {
            for (int[] size : new int[][] {{37, 53}, {64, 64}, {9, 17}, {1, 1}, {128, 96}}) {
                for (String subsampling : channels == ChannelLayout.RGB ? new String[] {"420", "444"} : new String[] {"420"}) {
                    for (int quality : new int[] {1, 50, 75, 90, 100}) {
                        for (int content = 0; content < 4; content++) {
                            PlaneSpec spec = new PlaneSpec(DType.UINT8, size[0], size[1], channels);
                            PlaneBuffer plane = content == 0 ? TestPlanes.smooth(spec, 7, true, false)
                                    : content == 1 ? TestPlanes.noise(spec, 3) : constant(spec, content == 2 ? 77 : 128); // 128: all coefficients 0, an empty arithmetic scan
                            String what = spec + " " + subsampling + " quality " + quality + " content " + content;
                            CodecParams p = codec.params(Map.of("quality", Integer.toString(quality), "subsampling", subsampling,
                                    "tables", "header"));
                            byte[] slice = encode(codec, p, plane);
                            JpegHeader header = JpegHeader.of(spec, (JpegParams) p);
                            byte[] full = new byte[header.completeLength(slice.length)];
                            header.rebuild(ByteBuffer.wrap(slice), full);
                            JpegScanTranscoder scans = new JpegScanTranscoder(spec.width(), spec.height(), channels.samplesPerPixel(),
                                    subsampling.equals("420"));
                            JpegArithmetic arithmetic = new JpegArithmetic(scans);
                            JpegHuffman standard = JpegHuffman.standard(channels.samplesPerPixel());
                            byte[] ours = arithmetic.encode(slice, 1, standard);
                            int check = JpegArithmetic.CHECK_BYTES;
                            assertArrayEquals(scanData(run(jpegtran, dir, full)), Arrays.copyOfRange(ours, 1 + check, ours.length), what);
                            assertArrayEquals(slice, arithmetic.toHuffman(ours, 1 + check, standard), what + ": back to Huffman");
                            checked++;
                        }
                    }
                }
            }
        }
        assertEquals(300, checked);
    }
}
