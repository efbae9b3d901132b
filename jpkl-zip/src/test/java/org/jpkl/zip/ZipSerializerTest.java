package org.jpkl.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.OpenOptions;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.container.HeaderJson;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractContainerSerializerTest;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;

/**
 * The ZIP container: the serializer contract (every codec through it: jpkl-tests
 * CodecSerializerMatrixTest), zip-tool interoperability, ZIP64, damage.
 */
class ZipSerializerTest extends AbstractContainerSerializerTest {
    @Override
    protected ZipSerializer serializer() {
        return new ZipSerializer();
    }

    @Override
    protected double minRejectedShare() {
        return 0.5;
    }

    private final Jpkl jpkl = Jpkl.builder().codecs(codecs()).build();

    private static WriteOptions zip(String codec) {
        return WriteOptions.builder().serializer(ZipSerializer.ID).codec(codec).build();
    }

    static NdArray sample(DType dtype, int... shape) {
        Random r = new Random(dtype.ordinal() * 31L + shape.length);
        return NdArray.generate(dtype, shape, i -> {
            double smooth = (i % 97) / 97.0;
            switch (dtype) {
                case UINT8:
                    return Math.min(255, Math.round(40 + 150 * smooth + r.nextInt(8)));
                case UINT16:
                    return Math.round(1000 + 50000 * smooth + r.nextInt(100));
                case INT16:
                    return Math.round(-20000 + 40000 * smooth + r.nextInt(100));
                case INT32:
                    return Math.round(-1e8 + 2e8 * smooth + r.nextInt(1000));
                default:
                    return -500 + 1000 * smooth + r.nextGaussian();
            }
        });
    }

    @Test
    void anyZipToolListsAndExtractsItAndImageSlicesOpenAsImages() throws IOException {
        NdArray rgb = sample(DType.UINT8, 24, 32, 3, 2, 3);
        Path file = dir.resolve("rgb.zip");
        jpkl.save(rgb, file, zip("jpeg").toBuilder().layout(PlaneLayout.jpkl(true)).build());
        try (ZipFile jdk = new ZipFile(file.toFile())) {
            List<String> names = new ArrayList<>();
            jdk.stream().forEach(e -> names.add(e.getName()));
            assertEquals("jpkl.json", names.get(0));
            assertEquals(7, names.size());
            assertTrue(names.contains("slices/1/2.jpg"), names.toString());
            jdk.stream().forEach(e -> assertEquals(ZipEntry.STORED, e.getMethod(), e.getName() + " is stored"));
            ContainerHeader header = HeaderJson.fromBytes(jdk.getInputStream(jdk.getEntry("jpkl.json")).readAllBytes());
            assertArrayEquals(rgb.shape(), header.shape());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jdk.getInputStream(jdk.getEntry("slices/1/2.jpg")).readAllBytes()));
            assertEquals(32, image.getWidth());
            assertEquals(24, image.getHeight());
        }
        if (Files.isExecutable(Path.of("/usr/bin/unzip"))) {
            Process p = new ProcessBuilder("/usr/bin/unzip", "-t", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, exit(p), out);
            assertTrue(out.contains("No errors detected"), out);
        } else {
            System.out.println("unzip not installed: checked with java.util.zip only");
        }
        NdArray plane = sample(DType.UINT8, 5, 6);
        jpkl.save(plane, dir.resolve("plane.zip"), zip("jpeg"));
        try (ZipFile jdk = new ZipFile(dir.resolve("plane.zip").toFile())) {
            assertTrue(jdk.getEntry("slices/plane.jpg") != null, "an array without key axes has slices/plane.jpg");
        }
        try (JpklArray opened = jpkl.open(dir.resolve("plane.zip"))) {
            assertArrayEquals(new int[] {5, 6}, opened.shape());
        }
    }

    private static int exit(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aZipWrittenByTheJdksZipOutputStreamWithTheSameLayoutOpens() throws IOException {
        NdArray array = sample(DType.UINT16, 9, 11, 2, 3);
        Path reference = dir.resolve("reference.jpkl");
        jpkl.save(array, reference, WriteOptions.builder().codec(IdentityCodec.ID).axisNames("y", "x", "c0", "c1").build());
        for (int method : new int[] {ZipEntry.DEFLATED, ZipEntry.STORED}) {
            Path file = dir.resolve("jdk-" + method + ".zip");
            try (JpklArray ref = jpkl.open(reference); OutputStream os = Files.newOutputStream(file);
                 ZipOutputStream out = new ZipOutputStream(os)) {
                TestZips.put(out, "jpkl.json", HeaderJson.toBytes(ref.header()), method);
                out.putNextEntry(new ZipEntry("slices/"));
                out.closeEntry();
                List<Long> order = new ArrayList<>();
                for (long n = 0; n < ref.sliceCount(); n++) {
                    order.add(n);
                }
                Collections.shuffle(order, new Random(method));
                for (long n : order) {
                    int[] key = ref.header().keySpace().key(n);
                    TestZips.put(out, "slices/" + key[0] + "/" + key[1] + ".raw", toArray(ref.readEncodedSlice(n)), method);
                }
                TestZips.put(out, "README.txt", "made with java.util.zip".getBytes(), method);
            }
            try (JpklArray ref = jpkl.open(reference); JpklArray opened = jpkl.open(file)) {
                assertEquals(ZipSerializer.ID, opened.serializerId());
                assertEquals(ref.header(), opened.header());
                assertEquals(array, opened.get("..."));
                assertEquals(0, opened.verify().problems().size());
            }
        }
    }


    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    @Test
    void moreThan65535EntriesUseZip64AndStillOpenEverywhere() throws IOException {
        int count = 70_000;
        NdArray array = NdArray.generate(DType.UINT8, new int[] {1, 2, count}, i -> i % 251);
        Path file = dir.resolve("many.zip");
        long t0 = System.nanoTime();
        jpkl.save(array, file, zip(IdentityCodec.ID));
        long t1 = System.nanoTime();
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(indexOf(bytes, new byte[] {'P', 'K', 6, 6}) > 0, "a ZIP64 end of central directory record is present");
        try (JpklArray opened = jpkl.open(file)) {
            long t2 = System.nanoTime();
            assertEquals(array.get(":, :, 69999"), opened.get(":, :, 69999"));
            assertEquals(array.get(":, :, 12345:12350"), opened.get(":, :, 12345:12350"));
            System.out.printf("ZIP64 with %d entries (%d bytes): write %.0f ms, open %.0f ms%n", count + 1, bytes.length,
                    (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        }
        try (ZipFile jdk = new ZipFile(file.toFile())) {
            assertEquals(count + 1, jdk.size());
        }
    }

    /**
     * Over 4 GiB: ZIP64 offsets. Slow (writes 4.3 GB), so run on demand:
     * {@code mvn -pl jpkl-zip verify -Djpkl.zip.bigTest=true -Dtest=ZipSerializerTest#archivesOver4GiB*}.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "jpkl.zip.bigTest", matches = "true")
    void archivesOver4GiBUseZip64OffsetsAndStillOpenEverywhere() throws IOException {
        int side = 8192;
        int count = 66;
        ContainerHeader header = new ContainerHeader(new int[] {side, side, count}, DType.UINT8, PlaneLayout.jpkl(false), List.of(),
                IdentityCodec.ID, Map.of(), Map.of());
        SliceCodec identity = new IdentityCodec();
        org.jpkl.api.PlaneBuffer plane = org.jpkl.api.PlaneBuffer.allocate(header.planeSpec());
        new Random(3).nextBytes(plane.bytes());
        byte[] encoded;
        try (var encoder = identity.newEncoder(identity.params(Map.of()), header.planeSpec())) {
            encoded = encoder.encode(plane);
        }
        Path file = dir.resolve("big.zip");
        long t0 = System.nanoTime();
        try (var writer = new ZipSerializer().openWriter(file, header)) {
            for (int n = 0; n < count; n++) {
                writer.writeSlice(n, ByteBuffer.wrap(encoded));
            }
            writer.commit();
        }
        long t1 = System.nanoTime();
        assertTrue(Files.size(file) > (4L << 30), "archive is " + Files.size(file) + " bytes");
        try (JpklArray opened = jpkl.open(file)) {
            long t2 = System.nanoTime();
            assertEquals(ByteBuffer.wrap(encoded), opened.readEncodedSlice(count - 1));
            System.out.printf("ZIP64 over 4 GiB (%d bytes): write %.1f s, open %.0f ms%n", Files.size(file), (t1 - t0) / 1e9,
                    (t2 - t1) / 1e6);
        }
        try (ZipFile jdk = new ZipFile(file.toFile())) {
            ZipEntry last = jdk.getEntry("slices/" + (count - 1) + ".test-identity");
            byte[] head = new byte[64];
            try (var in = jdk.getInputStream(last)) {
                assertEquals(64, in.readNBytes(head, 0, 64));
            }
            assertArrayEquals(Arrays.copyOf(encoded, 64), head);
        }
        Files.delete(file);
    }

    private static int firstIndexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The last occurrence of {@code needle}. */
    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void onlyZipsWhoseFirstEntryIsTheHeaderAreClaimed() throws IOException {
        NdArray array = sample(DType.UINT8, 4, 4, 2);
        Path native_ = dir.resolve("a.jpkl");
        jpkl.save(array, native_, WriteOptions.builder().codec(IdentityCodec.ID).build());
        Path other = dir.resolve("other.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(other))) {
            TestZips.put(out, "hello.txt", "hi".getBytes(), ZipEntry.DEFLATED);
            TestZips.put(out, "jpkl.json", "{}".getBytes(), ZipEntry.DEFLATED);
        }
        Path ours = dir.resolve("ours.zip");
        jpkl.save(array, ours, zip(IdentityCodec.ID));
        ZipSerializer format = new ZipSerializer();
        try (RandomAccessSource a = RandomAccessSource.open(native_); RandomAccessSource b = RandomAccessSource.open(other);
             RandomAccessSource c = RandomAccessSource.open(ours)) {
            assertFalse(format.canRead(a));
            assertFalse(format.canRead(b));
            assertTrue(format.canRead(c));
        }
        assertFalse(format.canRead(RandomAccessSource.of("tiny", new byte[] {'P', 'K', 3, 4})));
    }

    @Test
    void damagedSlicesFailTheirCrcAndMissingEntriesAreNamed() throws IOException {
        NdArray array = sample(DType.UINT8, 16, 16, 3);
        Path file = dir.resolve("d.zip");
        jpkl.save(array, file, zip(IdentityCodec.ID));
        byte[] bytes = Files.readAllBytes(file);
        byte[] damaged = bytes.clone();
        byte[] entryName = "slices/1.test-identity".getBytes();
        int nameAt = firstIndexOf(bytes, entryName);
        int extra = ByteBuffer.wrap(bytes, nameAt - 2, 2).order(java.nio.ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
        damaged[nameAt + entryName.length + extra + 100] ^= 0x10;
        try (JpklArray opened = jpkl.open(RandomAccessSource.of("damaged.zip", damaged))) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> opened.get(":, :, 1"));
            assertTrue(e.getMessage().contains("slice (1,) (entry slices/1.test-identity): CRC-32 mismatch"), e.getMessage());
            assertEquals(array.get(":, :, 0"), opened.get(":, :, 0"));
        }
        try (JpklArray opened = jpkl.open(RandomAccessSource.of("damaged.zip", damaged),
                OpenOptions.builder().verifyChecksums(false).build())) {
            assertNotEquals(array.get(":, :, 1"), opened.get(":, :, 1"), "without verification the damage is returned");
            assertEquals(1, opened.verify().problems().size(), "verify() still checks");
        }

        Path missing = dir.resolve("missing.zip");
        try (JpklArray ref = jpkl.open(file); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(missing))) {
            TestZips.put(out, "jpkl.json", HeaderJson.toBytes(ref.header()), ZipEntry.STORED);
            TestZips.put(out, "slices/0.bin", toArray(ref.readEncodedSlice(0)), ZipEntry.STORED);
            TestZips.put(out, "slices/2.bin", toArray(ref.readEncodedSlice(2)), ZipEntry.STORED);
        }
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> jpkl.open(missing));
        assertTrue(e.getMessage().contains("slice (1,): has no entry (expected 'slices/1.test-identity'); the archive holds 2 of the 3"),
                e.getMessage());
    }

}
