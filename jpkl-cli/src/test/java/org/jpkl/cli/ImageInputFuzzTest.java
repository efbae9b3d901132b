package org.jpkl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageWriterSpi;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageOutputStream;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneSpec;
import org.jpkl.cli.input.StackInput;
import org.jpkl.cli.input.StackInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the image-input path of {@code encode} ({@link StackInputs}, without writing) with a few hundred deterministic mutants of a small
 * PNG, JPEG and TIFF (plain and LZW): truncations at many points, random byte changes, and headers
 * whose dimensions, strip offsets or directory offsets lie. Each mutant must either be read (a
 * truncated file only with exactly the original pixels) or be refused with the errors the command
 * line reports as bad data (exit 1): {@link JpklFormatException} or a data {@link CliException},
 * one line starting with the file's name, no object identity or bare "null" in the message.
 */
class ImageInputFuzzTest {
    private static final long SEED = 20261205L;
    /** Lying dimensions stay small in memory: the limit refuses anything larger before allocation. */
    private static final long MAX_PIXELS = 100_000;

    @TempDir
    Path dir;

    @Test
    void mutantsOfEveryImageFormatEncodeExactlyOrFailCleanly() throws IOException {
        Map<String, byte[]> originals = new LinkedHashMap<>();
        originals.put("png", png());
        originals.put("jpg", jpeg());
        originals.put("tif", tiff(null));
        originals.put("lzw.tif", tiff("LZW"));
        Random random = new Random(SEED);
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        int total = 0;
        for (Map.Entry<String, byte[]> e : originals.entrySet()) {
            String ext = e.getKey();
            byte[] original = e.getValue();
            Planes reference = read(write("original." + ext, original));
            assertEquals(ext.endsWith("tif") ? 2 : 1, reference.planes().size(), ext);
            List<Mutant> mutants = new ArrayList<>();
            for (int cut : cuts(original.length)) {
                mutants.add(new Mutant("truncated to " + cut, java.util.Arrays.copyOf(original, cut), true));
            }
            for (int i = 0; i < 50; i++) {
                byte[] m = original.clone();
                int changes = 1 + random.nextInt(3);
                StringBuilder what = new StringBuilder("bytes changed:");
                for (int k = 0; k < changes; k++) {
                    int at = random.nextInt(m.length);
                    m[at] = (byte) random.nextInt(256);
                    what.append(' ').append(at);
                }
                mutants.add(new Mutant(what.toString(), m, false));
            }
            mutants.addAll(lyingHeaders(ext, original));
            for (Mutant m : mutants) {
                Path file = write("mutant." + ext, m.bytes);
                String outcome = check(file, m, reference);
                outcomes.merge(ext + " " + outcome, 1, Integer::sum);
                total++;
            }
        }
        assertTrue(total >= 300, "only " + total + " mutants");
        for (String ext : originals.keySet()) {
            assertTrue(outcomes.containsKey(ext + " refused") && outcomes.containsKey(ext + " read"), outcomes.toString());
        }
        System.out.println("ImageInputFuzzTest: " + total + " mutants: " + outcomes);
    }

    private record Mutant(String what, byte[] bytes, boolean truncated) {
    }

    /**
     * Reads a mutant through the image-input path (what encode reads); returns "encoded" or
     * "refused", failing on anything else.
     */
    private String check(Path file, Mutant m, Planes reference) {
        String context = file.getFileName() + " " + m.what;
        Planes back;
        try {
            back = read(file);
        } catch (JpklFormatException | CliException e) {
            if (e instanceof CliException) {
                assertEquals(CliException.DATA, ((CliException) e).exitCode(), context + ": " + e);
            }
            String message = e.getMessage();
            assertTrue(message.startsWith(file.toString() + ": ") || message.startsWith(file + " page "), "the message names the file first: " + context + ": " + message);
            assertFalse(message.matches("(?s).*[\\w$]@[0-9a-f]{4,}.*"), "no object identities: " + context + ": " + message);
            assertFalse(message.endsWith(": null") || message.contains("null;") || message.contains(" null "),
                    "no bare null: " + context + ": " + message);
            assertFalse(message.contains("\n"), "one line: " + context + ": " + message);
            return "refused";
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("not a clean data error (exit 1): " + context, e);
        }
        if (m.truncated) {
            assertEquals(reference, back, "a truncated file may be read only with the original pixels; " + context);
        }
        return "read";
    }

    /** The planes an input yields, by slice number, with the input's shape. */
    private record Planes(String shape, Map<Long, NdArray> planes) {
    }

    private static Planes read(Path file) throws IOException {
        StackInputs.Options o = new StackInputs.Options();
        o.maxImagePixels = MAX_PIXELS;
        try (StackInput input = StackInputs.open(List.of(file.toString()), o)) {
            Map<Long, NdArray> planes = new java.util.TreeMap<>();
            input.readPlanes((n, plane) -> {
                PlaneSpec spec = plane.spec();
                Object copy = java.lang.reflect.Array.newInstance(plane.array().getClass().getComponentType(), spec.sampleCount());
                System.arraycopy(plane.array(), plane.offset(), copy, 0, spec.sampleCount());
                int[] shape = spec.channels().samplesPerPixel() == 1 ? new int[] {spec.height(), spec.width()}
                        : new int[] {spec.height(), spec.width(), spec.channels().samplesPerPixel()};
                planes.put(n, NdArray.wrap(copy, spec.dtype(), shape));
            });
            return new Planes(java.util.Arrays.toString(input.shape()) + " " + input.dtype(), planes);
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Every length in the first 64 bytes, the last 16, and 40 more spread over the rest. */
    private static List<Integer> cuts(int length) {
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
        for (int i = 0; i < Math.min(64, length); i++) {
            cuts.add(i);
        }
        for (int i = Math.max(0, length - 16); i < length; i++) {
            cuts.add(i);
        }
        for (int i = 1; i < 40; i++) {
            cuts.add((int) ((long) length * i / 40));
        }
        return new ArrayList<>(cuts);
    }

    private static byte[] png() throws IOException {
        NdArray plane = NdArray.generate(DType.UINT8, new int[] {24, 32}, i -> (i * 37 + i / 7) % 256);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertTrue(ImageIO.write(TestFiles.image(plane), "png", out));
        return out.toByteArray();
    }

    private static byte[] jpeg() throws IOException {
        NdArray plane = NdArray.generate(DType.UINT8, new int[] {24, 32, 3}, i -> (i * 13 + i / 96 * 40) % 256);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertTrue(ImageIO.write(TestFiles.image(plane), "jpg", out));
        return out.toByteArray();
    }

    /** Two uint16 pages, uncompressed or with the given TIFF compression. */
    private byte[] tiff(String compression) throws IOException {
        Path file = dir.resolve("source.tif");
        ImageWriter writer = new TIFFImageWriterSpi().createWriterInstance();
        try (FileImageOutputStream out = new FileImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (compression != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(compression);
            }
            writer.prepareWriteSequence(null);
            for (int p = 0; p < 2; p++) {
                int k = p;
                NdArray plane = NdArray.generate(DType.UINT16, new int[] {10, 12}, i -> (i * 997 + k * 5000) % 65536);
                writer.writeToSequence(new IIOImage(TestFiles.image(plane), null, null), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.delete(file);
        return bytes;
    }

    /** Headers whose sizes, offsets or counts lie. */
    private static List<Mutant> lyingHeaders(String ext, byte[] original) {
        List<Mutant> out = new ArrayList<>();
        int[][] sizes = {{0, 24}, {32, 0}, {40000, 40000}, {65535, 65535}, {33, 24}, {32, 25}, {1, 1}, {300, 300}, {3200, 2400}};
        if (ext.equals("png")) {
            for (int[] s : sizes) {
                for (boolean fixCrc : new boolean[] {true, false}) {
                    byte[] m = original.clone();
                    ByteBuffer b = ByteBuffer.wrap(m);
                    b.putInt(16, s[0]).putInt(20, s[1]);
                    if (fixCrc) {
                        CRC32 crc = new CRC32();
                        crc.update(m, 12, 17);
                        b.putInt(29, (int) crc.getValue());
                    }
                    out.add(new Mutant("IHDR " + s[0] + "x" + s[1] + (fixCrc ? "" : " bad CRC"), m, false));
                }
            }
            byte[] m = original.clone();
            ByteBuffer.wrap(m).putInt(8, 0x7FFFFFF0);
            out.add(new Mutant("IHDR length 2^31", m, false));
        } else if (ext.equals("jpg")) {
            int sof = -1;
            for (int i = 0; i + 1 < original.length; i++) {
                if ((original[i] & 0xFF) == 0xFF && ((original[i + 1] & 0xFF) == 0xC0 || (original[i + 1] & 0xFF) == 0xC2)) {
                    sof = i;
                    break;
                }
            }
            assertTrue(sof > 0, "no SOF marker");
            for (int[] s : sizes) {
                byte[] m = original.clone();
                ByteBuffer.wrap(m).putShort(sof + 5, (short) s[1]).putShort(sof + 7, (short) s[0]);
                out.add(new Mutant("SOF " + s[0] + "x" + s[1], m, false));
                out.add(new Mutant("SOF " + s[0] + "x" + s[1] + ", cut to half", java.util.Arrays.copyOf(m, m.length / 2), true));
            }
        } else {
            ByteOrder order = original[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            ByteBuffer b = ByteBuffer.wrap(original).order(order);
            int ifd = b.getInt(4);
            long[] lies = {0, 1, 7, 40000, 65535, 0x7FFFFFFFL, 0xFFFFFFFFL, original.length, original.length - 2, original.length + 100};
            for (long v : lies) {
                byte[] m = original.clone();
                ByteBuffer.wrap(m).order(order).putInt(4, (int) v);
                out.add(new Mutant("first IFD offset " + v, m, false));
            }
            int entries = b.getShort(ifd) & 0xFFFF;
            for (int e = 0; e < entries; e++) {
                int at = ifd + 2 + 12 * e;
                int tag = b.getShort(at) & 0xFFFF;
                int type = b.getShort(at + 2) & 0xFFFF;
                if (tag == 256 || tag == 257 || tag == 258 || tag == 273 || tag == 277 || tag == 278 || tag == 279 || tag == 262
                        || tag == 259) {
                    for (long v : lies) {
                        byte[] m = original.clone();
                        ByteBuffer mb = ByteBuffer.wrap(m).order(order);
                        if (type == 3) {
                            mb.putShort(at + 8, (short) v);
                        } else {
                            mb.putInt(at + 8, (int) v);
                        }
                        out.add(new Mutant("tag " + tag + " = " + v, m, false));
                    }
                    byte[] m = original.clone();
                    ByteBuffer.wrap(m).order(order).putInt(at + 4, 0x10000000);
                    out.add(new Mutant("tag " + tag + " count 2^28", m, false));
                }
            }
        }
        return out;
    }
}
