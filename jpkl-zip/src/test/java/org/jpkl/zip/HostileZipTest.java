package org.jpkl.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.container.HeaderJson;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.HeapUse;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hand-made hostile ZIP containers: entries whose declared sizes lie (deflated or stored, small or
 * huge), duplicate entry names, encrypted entries and unreadable methods, plus a fuzz of declared
 * sizes. Each must give the original data or a {@link JpklFormatException} naming the archive, and
 * never allocate more than the bytes the archive really holds.
 */
class HostileZipTest {
    private static final String EXT = IdentityCodec.ID;
    /** The default codec bound for an 8x8 uint8 plane: 4 x 64 + 64 KiB (identity encodings are 80 bytes). */
    private static final long BOUND = 4 * 64 + (64 << 10);

    /** Everything on one thread, so the thread's allocation counter sees all the work. */
    private final Jpkl jpkl = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).serializers(ContainerSerializers.load())
            .parallelism(1).build();
    private final NdArray array = NdArray.generate(DType.UINT8, new int[] {8, 8, 3}, i -> (i * 37) % 251);
    private final ContainerHeader header = new ContainerHeader(new int[] {8, 8, 3}, DType.UINT8, PlaneLayout.jpkl(false),
            List.of("y", "x", "z"), IdentityCodec.ID, Map.of(), Map.of());

    @BeforeEach
    void allocationCounter() {
        HeapUse.threadAllocatedBytes(); // skips the test where the JVM cannot count
    }

    /** A valid archive: the header, the three slices and {@code padding} bytes of README, all with {@code method}. */
    private byte[] archive(int method, int padding) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            TestZips.put(out, "jpkl.json", HeaderJson.toBytes(header), method);
            for (int z = 0; z < 3; z++) {
                TestZips.put(out, "slices/" + z + "." + EXT, slice(z), method);
            }
            TestZips.put(out, "README.txt", new byte[padding], method);
        }
        return bytes.toByteArray();
    }

    /** Slice {@code z} encoded by the identity codec: 16 header bytes and 64 samples. */
    private byte[] slice(int z) throws IOException {
        IdentityCodec codec = new IdentityCodec();
        org.jpkl.api.PlaneBuffer plane = org.jpkl.api.PlaneBuffer.allocate(header.planeSpec());
        array.copyPlane(header.layout(), z, plane);
        return codec.newEncoder(codec.params(Map.of()), header.planeSpec()).encode(plane);
    }


    // Field offsets in a central directory record and in a local file header.
    private static final int CD_FLAGS = 8;
    private static final int CD_METHOD = 10;
    private static final int CD_COMPRESSED = 20;
    private static final int CD_SIZE = 24;
    private static final int LOCAL_FLAGS = 6;
    private static final int LOCAL_METHOD = 8;

    /** The offset of the central directory record (or, with {@code local}, the local header) of an entry. */
    private static int record(byte[] zip, String name, boolean local) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int signature = local ? 0x04034b50 : 0x02014b50;
        int nameAt = local ? 30 : 46;
        int lengthAt = local ? 26 : 28;
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + nameAt + n.length <= zip.length; i++) {
            if (b.getInt(i) == signature && (b.getShort(i + lengthAt) & 0xFFFF) == n.length
                    && Arrays.equals(Arrays.copyOfRange(zip, i + nameAt, i + nameAt + n.length), n)) {
                return i;
            }
        }
        throw new AssertionError("no " + (local ? "local header" : "central record") + " for " + name);
    }

    private static byte[] patch32(byte[] zip, String entry, int field, long value) {
        byte[] copy = zip.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(record(copy, entry, false) + field, (int) value);
        return copy;
    }

    private static byte[] patch16(byte[] zip, String entry, int centralField, int localField, int value) {
        byte[] copy = zip.clone();
        ByteBuffer b = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(record(copy, entry, false) + centralField, (short) value);
        b.putShort(record(copy, entry, true) + localField, (short) value);
        return copy;
    }

    private static byte[] rename(byte[] zip, String from, String to) {
        assertEquals(from.length(), to.length());
        byte[] copy = zip.clone();
        byte[] n = to.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, copy, record(zip, from, false) + 46, n.length);
        System.arraycopy(n, 0, copy, record(zip, from, true) + 30, n.length);
        return copy;
    }

    private void assertRefusedAtOpen(byte[] zip, String message) {
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> jpkl.open(RandomAccessSource.of("hostile.zip", zip)).close());
        assertEquals(message, e.getMessage());
    }

    @Test
    void theUnpatchedArchivesOpen() throws IOException {
        for (int method : new int[] {ZipEntry.STORED, ZipEntry.DEFLATED}) {
            try (JpklArray opened = jpkl.open(RandomAccessSource.of("ok.zip", archive(method, 100)))) {
                assertEquals(array, opened.get("..."));
                assertEquals(List.of(), opened.verify().problems());
            }
        }
    }

    @Test
    void aDeflatedEntryDeclaringGigabytesIsRefusedBeforeAnythingIsAllocated() throws IOException {
        String entry = "slices/1." + EXT;
        byte[] zip = patch32(archive(ZipEntry.DEFLATED, 100), entry, CD_SIZE, 2_000_000_000L);
        String expected = "hostile.zip: slice (1,): stored length 2000000000 bytes exceeds the " + BOUND
                + " bytes codec 'test-identity' can produce for a uint8 8x8 grey plane";
        try (JpklArray opened = jpkl.open(RandomAccessSource.of("hostile.zip", zip))) {
            long before = HeapUse.threadAllocatedBytes();
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> opened.get(":, :, 1"));
            long allocated = HeapUse.threadAllocatedBytes() - before;
            assertEquals(expected, e.getMessage());
            assertTrue(allocated < (1 << 20), "refusing the slice allocated " + allocated + " bytes");
            assertEquals(array.get(":, :, 2"), opened.get(":, :, 2"), "the honest slices still read");
            assertEquals(List.of("slice (1,): stored length 2000000000 bytes exceeds the " + BOUND
                            + " bytes codec 'test-identity' can produce for a uint8 8x8 grey plane"),
                    opened.verify().problems().stream().map(p -> p.message().substring("hostile.zip: ".length())).toList());
        }
    }

    @Test
    void inflatingNeverTrustsTheDeclaredSizeEvenWithoutACodecBound() throws IOException {
        String entry = "slices/1." + EXT;
        byte[] deflated = archive(ZipEntry.DEFLATED, 100);
        String region = "hostile.zip: slice (1,) (entry " + entry + "): ";
        // Straight through the container reader, which knows no codec: the buffer grows with the data.
        try (ContainerReader reader = new ZipSerializer().openReader(RandomAccessSource.of("hostile.zip",
                patch32(deflated, entry, CD_SIZE, 2_000_000_000L)))) {
            long before = HeapUse.threadAllocatedBytes();
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> reader.readSlice(1));
            long allocated = HeapUse.threadAllocatedBytes() - before;
            assertEquals(region + "entry data ends after 80 of the 2000000000 bytes the entry declares", e.getMessage());
            assertTrue(allocated < (1 << 20), "inflating 80 bytes declared as 2 GB allocated " + allocated + " bytes");
        }
        try (JpklArray opened = jpkl.open(RandomAccessSource.of("hostile.zip", patch32(deflated, entry, CD_SIZE, 81)))) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> opened.get(":, :, 1"));
            assertEquals(region + "entry data ends after 80 of the 81 bytes the entry declares", e.getMessage());
        }
        try (JpklArray opened = jpkl.open(RandomAccessSource.of("hostile.zip", patch32(deflated, entry, CD_SIZE, 79)))) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> opened.get(":, :, 1"));
            assertEquals(region + "entry data is longer than the 79 bytes the entry declares", e.getMessage());
        }
        byte[] lyingHeader = patch32(deflated, "jpkl.json", CD_SIZE, 10);
        assertRefusedAtOpen(lyingHeader, "hostile.zip: header: entry data is longer than the 10 bytes the entry declares");
    }

    @Test
    void storedEntriesThatLieAboutTheirSizeAreRefused() throws IOException {
        String entry = "slices/0." + EXT;
        byte[] stored = archive(ZipEntry.STORED, 100_000);
        long fileSize = stored.length;
        byte[] sizes = patch32(stored, entry, CD_SIZE, 70);
        assertRefusedAtOpen(sizes, "hostile.zip: entry " + entry + ": is stored, yet its size 70 differs from its compressed size 80");
        byte[] huge = patch32(patch32(stored, entry, CD_SIZE, 1_000_000_000L), entry, CD_COMPRESSED, 1_000_000_000L);
        assertRefusedAtOpen(huge, "hostile.zip: entry " + entry + ": size 1000000000 (compressed 1000000000) is not possible in a "
                + fileSize + "-byte archive (at most 2147483639 per slice)");
        byte[] beyondZip32 = patch32(stored, entry, CD_SIZE, 0xFFFF_FFF0L);
        assertRefusedAtOpen(beyondZip32, "hostile.zip: entry " + entry + ": size 4294967280 (compressed 80) is not possible in a "
                + fileSize + "-byte archive (at most 2147483639 per slice)");
        // Within the archive but beyond the codec's bound: refused before the 80,000 bytes are read.
        byte[] overBound = patch32(patch32(stored, entry, CD_SIZE, 80_000), entry, CD_COMPRESSED, 80_000);
        try (JpklArray opened = jpkl.open(RandomAccessSource.of("hostile.zip", overBound))) {
            long before = HeapUse.threadAllocatedBytes();
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> opened.get(":, :, 0"));
            long allocated = HeapUse.threadAllocatedBytes() - before;
            assertEquals("hostile.zip: slice (0,): stored length 80000 bytes exceeds the " + BOUND
                    + " bytes codec 'test-identity' can produce for a uint8 8x8 grey plane", e.getMessage());
            assertTrue(allocated < 40_000, "refusing the slice allocated " + allocated + " bytes");
        }
        // Within the bound: the extra bytes belong to the next entry, and the CRC-32 catches it.
        byte[] longer = patch32(patch32(stored, entry, CD_SIZE, 90), entry, CD_COMPRESSED, 90);
        try (JpklArray opened = jpkl.open(RandomAccessSource.of("hostile.zip", longer))) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> opened.get(":, :, 0"));
            assertTrue(e.getMessage().startsWith("hostile.zip: slice (0,) (entry " + entry + "): CRC-32 mismatch"), e.getMessage());
        }
    }

    @Test
    void aHeaderClaimingBillionsOfSlicesIsRefusedWithoutASliceTableOfThatSize() throws IOException {
        ContainerHeader billions = new ContainerHeader(new int[] {8, 8, 2_000_000_000}, DType.UINT8, PlaneLayout.jpkl(false),
                List.of("y", "x", "z"), IdentityCodec.ID, Map.of(), Map.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            TestZips.put(out, "jpkl.json", HeaderJson.toBytes(billions), ZipEntry.STORED);
            for (int z = 0; z < 3; z++) {
                TestZips.put(out, "slices/" + z + "." + EXT, slice(z), ZipEntry.STORED);
            }
        }
        long before = HeapUse.threadAllocatedBytes();
        assertRefusedAtOpen(bytes.toByteArray(), "hostile.zip: slice (3,): has no entry (expected 'slices/3." + EXT
                + "'); the archive holds 3 of the 2000000000 slices");
        long allocated = HeapUse.threadAllocatedBytes() - before;
        assertTrue(allocated < (8 << 20), "refusing a 2e9-slice header with 3 entries allocated " + allocated + " bytes");
    }

    @Test
    void theHeaderEntryIsParsedAsStrictlyAsTheDefaultFormatsHeader() throws IOException {
        String json = new String(HeaderJson.toBytes(header), StandardCharsets.UTF_8);
        String redefined = json.replaceFirst("\\{", "{\"shape\":[8,8,1],");
        String[][] cases = {
            {redefined, "hostile.zip: header: header repeats the key 'shape' in the object at $; each key may appear once"},
            {json + "{}", "hostile.zip: header: header has data after the end of its JSON object at line 1 column "
                    + (json.length() + 2) + " path $; only whitespace may follow it"},
        };
        for (String[] c : cases) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(bytes)) {
                TestZips.put(out, "jpkl.json", c[0].getBytes(StandardCharsets.UTF_8), ZipEntry.STORED);
                for (int z = 0; z < 3; z++) {
                    TestZips.put(out, "slices/" + z + "." + EXT, slice(z), ZipEntry.STORED);
                }
            }
            assertRefusedAtOpen(bytes.toByteArray(), c[1]);
        }
    }

    @Test
    void duplicateEntryNamesAreRefused() throws IOException {
        byte[] twoHeaders;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            TestZips.put(out, "jpkl.json", HeaderJson.toBytes(header), ZipEntry.STORED);
            for (int z = 0; z < 3; z++) {
                TestZips.put(out, "slices/" + z + "." + EXT, slice(z), ZipEntry.STORED);
            }
            ContainerHeader other = new ContainerHeader(new int[] {8, 8, 3}, DType.UINT8, PlaneLayout.jpkl(false),
                    List.of("a", "b", "c"), IdentityCodec.ID, Map.of(), Map.of());
            TestZips.put(out, "jpkl.jsoX", HeaderJson.toBytes(other), ZipEntry.STORED);
        }
        twoHeaders = rename(bytes.toByteArray(), "jpkl.jsoX", "jpkl.json");
        assertRefusedAtOpen(twoHeaders, "hostile.zip: entry jpkl.json: the archive has two entries named 'jpkl.json'; zip readers"
                + " disagree on which one counts, so each name may appear once");
        byte[] stored = archive(ZipEntry.STORED, 10);
        assertRefusedAtOpen(rename(stored, "slices/2." + EXT, "slices/1." + EXT), "hostile.zip: entry slices/1." + EXT
                + ": the archive has two entries named 'slices/1." + EXT + "'; zip readers disagree on which one counts, so each"
                + " name may appear once");
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(notes)) {
            TestZips.put(out, "jpkl.json", HeaderJson.toBytes(header), ZipEntry.STORED);
            for (int z = 0; z < 3; z++) {
                TestZips.put(out, "slices/" + z + "." + EXT, slice(z), ZipEntry.STORED);
            }
            TestZips.put(out, "notes.txt", "one".getBytes(StandardCharsets.UTF_8), ZipEntry.STORED);
            TestZips.put(out, "notes.txX", "two".getBytes(StandardCharsets.UTF_8), ZipEntry.STORED);
        }
        assertRefusedAtOpen(rename(notes.toByteArray(), "notes.txX", "notes.txt"), "hostile.zip: entry notes.txt: the archive has"
                + " two entries named 'notes.txt'; zip readers disagree on which one counts, so each name may appear once");
    }

    @Test
    void encryptedEntriesAndUnreadableMethodsAreNamedAsSuch() throws IOException {
        String entry = "slices/1." + EXT;
        for (int method : new int[] {ZipEntry.STORED, ZipEntry.DEFLATED}) {
            byte[] zip = archive(method, 10);
            int flags = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).getShort(record(zip, entry, false) + CD_FLAGS);
            assertRefusedAtOpen(patch16(zip, entry, CD_FLAGS, LOCAL_FLAGS, flags | 1),
                    "hostile.zip: entry " + entry + ": is encrypted; jpkl reads only unencrypted entries (stored or deflated)");
            int headerFlags = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).getShort(record(zip, "jpkl.json", false) + CD_FLAGS);
            assertRefusedAtOpen(patch16(zip, "jpkl.json", CD_FLAGS, LOCAL_FLAGS, headerFlags | 1),
                    "hostile.zip: entry jpkl.json: is encrypted; jpkl reads only unencrypted entries (stored or deflated)");
            assertRefusedAtOpen(patch16(zip, entry, CD_METHOD, LOCAL_METHOD, 12), "hostile.zip: entry " + entry
                    + ": uses compression method 12 (BZIP2), which cannot be read (stored and deflated entries can)");
        }
    }

    /**
     * Declared sizes fuzzed: random entries get random sizes and compressed sizes from a set of
     * telling values (zero, off by one, the codec's bound, the 2 GiB and 4 GiB edges, random).
     * Only the original data or a format error naming the archive may come back, and no attempt
     * may allocate more than a few MB.
     */
    @Test
    void fuzzedDeclaredSizesGiveTheDataOrAFormatErrorWithoutLargeAllocations() throws IOException {
        Random rnd = new Random(19);
        String[] entries = {"jpkl.json", "slices/0." + EXT, "slices/1." + EXT, "slices/2." + EXT, "README.txt"};
        long[] telling = {0, 1, 79, 80, 81, BOUND, BOUND + 1, 16 << 20, (16 << 20) + 1, Integer.MAX_VALUE - 8, Integer.MAX_VALUE,
            0x8000_0000L, 0xFFFF_FFFEL};
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (int method : new int[] {ZipEntry.STORED, ZipEntry.DEFLATED}) {
            byte[] valid = archive(method, 1000);
            for (int m = 0; m < 250; m++) {
                byte[] mutant = valid;
                for (int k = 1 + rnd.nextInt(2); k > 0; k--) {
                    String entry = entries[rnd.nextInt(entries.length)];
                    long value = rnd.nextInt(4) == 0 ? rnd.nextInt(valid.length * 2) : telling[rnd.nextInt(telling.length)];
                    switch (rnd.nextInt(3)) {
                        case 0:
                            mutant = patch32(mutant, entry, CD_SIZE, value);
                            break;
                        case 1:
                            mutant = patch32(mutant, entry, CD_COMPRESSED, value);
                            break;
                        default:
                            mutant = patch32(patch32(mutant, entry, CD_SIZE, value), entry, CD_COMPRESSED, value);
                            break;
                    }
                }
                String name = "sizes-" + method + "-" + m;
                long before = HeapUse.threadAllocatedBytes();
                String outcome;
                try (JpklArray opened = jpkl.open(RandomAccessSource.of(name, mutant))) {
                    try {
                        outcome = array.equals(opened.get("...")) ? "read intact" : "FAIL: different data";
                    } catch (JpklFormatException e) {
                        outcome = e.getMessage().startsWith(name + ": ") ? "rejected at read" : "FAIL: " + e.getMessage();
                    }
                    opened.verify();
                } catch (JpklFormatException e) {
                    outcome = e.getMessage().startsWith(name + ": ") ? "rejected at open" : "FAIL: " + e.getMessage();
                } catch (RuntimeException | Error e) {
                    outcome = "FAIL: " + e;
                }
                long allocated = HeapUse.threadAllocatedBytes() - before;
                if (allocated > (8 << 20)) {
                    outcome = "FAIL: allocated " + allocated + " bytes";
                }
                outcomes.merge(outcome.startsWith("FAIL") ? "FAIL" : outcome, 1, Integer::sum);
                if (outcome.startsWith("FAIL") && failures.size() < 10) {
                    failures.add(name + ": " + outcome);
                }
            }
        }
        System.out.println("zip declared-size fuzz: " + outcomes);
        assertEquals(List.of(), failures, outcomes.toString());
        assertTrue(outcomes.getOrDefault("rejected at open", 0) > 100 && outcomes.getOrDefault("rejected at read", 0) > 20,
                outcomes.toString());
    }
}
