package org.jpkl.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerWriter;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.testing.AbstractContainerSerializerTest;
import org.jpkl.api.io.CountingSource;
import org.junit.jupiter.api.Test;

/**
 * The single-file format: the serializer contract ({@link AbstractContainerSerializerTest}), its
 * registry position, exact bytes read at open, checksums and every kind of damage at open.
 */
class JpklFileSerializerTest extends AbstractContainerSerializerTest {
    private final JpklFileSerializer format = new JpklFileSerializer();

    @Override
    protected JpklFileSerializer serializer() {
        return new JpklFileSerializer();
    }

    /**
     * Besides the slices the generic offsets find: each preamble field, the header's end and its
     * checksum's, each index entry's slice bounds, the index and every footer field.
     */
    @Override
    protected List<Integer> structuralOffsets(byte[] file, List<byte[]> slices) {
        List<Integer> b = new ArrayList<>(super.structuralOffsets(file, slices));
        b.addAll(List.of(0, FileLayout.MAGIC.length, 10, 12, FileLayout.PREAMBLE_BYTES));
        ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int headerEnd = FileLayout.PREAMBLE_BYTES + bb.getInt(12);
        b.add(headerEnd);
        b.add(headerEnd + FileLayout.HEADER_CRC_BYTES);
        int footer = file.length - FileLayout.FOOTER_BYTES;
        long indexOffset = bb.getLong(footer);
        long count = bb.getLong(footer + 8);
        for (long n = 0; n < count && n < 1000; n++) {
            int e = Math.toIntExact(indexOffset + n * FileLayout.INDEX_ENTRY_BYTES);
            b.add(Math.toIntExact(bb.getLong(e)));
            b.add(Math.toIntExact(bb.getLong(e) + bb.getLong(e + 8)));
        }
        b.add(Math.toIntExact(indexOffset));
        for (int off = 0; off <= FileLayout.FOOTER_BYTES; off += 4) {
            b.add(footer + off);
        }
        return b;
    }

    private static ContainerHeader rawHeader(int... keyDims) {
        int[] shape = new int[2 + keyDims.length];
        shape[0] = 4;
        shape[1] = 5;
        System.arraycopy(keyDims, 0, shape, 2, keyDims.length);
        return new ContainerHeader(shape, DType.UINT16, PlaneLayout.jpkl(false), List.of(), "test-identity", Map.of("k", "v"),
                Map.of("pixel_size_um", 0.25, "note", "ünïcødé", "nested", Map.of("list", List.of(1L, 2.5, true))));
    }

    private static byte[] sliceBytes(long n) {
        byte[] b = new byte[(int) (n % 7) + 1];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (n * 31 + i);
        }
        return b;
    }

    private Path writeRaw(ContainerHeader header, List<Long> order) throws IOException {
        Path file = dir.resolve("c.jpkl");
        try (ContainerWriter w = format.openWriter(file, header)) {
            for (long n : order) {
                w.writeSlice(n, ByteBuffer.wrap(sliceBytes(n)));
            }
            w.commit();
        }
        return file;
    }

    @Test
    void detectedByTheDefaultRegistry() throws IOException {
        Path file = writeRaw(rawHeader(2), inOrder(2));
        ContainerSerializers all = ContainerSerializers.load();
        assertEquals(List.of("jpkl"), all.ids().subList(0, 1));
        assertEquals("jpkl", all.detect(RandomAccessSource.open(file)).orElseThrow().id());
    }

    @Test
    void zeroSlicesAreAValidContainer() throws IOException {
        Path file = writeRaw(rawHeader(0, 3), List.of());
        try (ContainerReader r = format.openReader(RandomAccessSource.open(file))) {
            assertEquals(0, r.header().sliceCount());
        }
    }

    @Test
    void openingReadsOnlyPreambleHeaderFooterAndIndex() throws IOException {
        int keys = 10_000;
        Path file = writeRaw(rawHeader(100, 100), inOrder(keys));
        long headerBytes = HeaderJson.toBytes(rawHeader(100, 100)).length;
        CountingSource counting = new CountingSource(RandomAccessSource.open(file));
        try (ContainerReader r = format.openReader(counting)) {
            long expected = FileLayout.PREAMBLE_BYTES + headerBytes + FileLayout.HEADER_CRC_BYTES + FileLayout.FOOTER_BYTES
                    + (long) keys * FileLayout.INDEX_ENTRY_BYTES;
            assertEquals(expected, counting.bytesRead(), "bytes read at open");
            assertEquals(3, counting.reads(), "reads at open: preamble, header, footer with index (one read, its length known from the header)");
            assertArrayEquals(new long[] {Files.size(file) - FileLayout.FOOTER_BYTES - (long) keys * FileLayout.INDEX_ENTRY_BYTES,
                FileLayout.FOOTER_BYTES + (long) keys * FileLayout.INDEX_ENTRY_BYTES}, counting.regions().get(2));
            long dataBytes = Files.size(file) - expected;
            assertTrue(dataBytes > 30_000, "the slices (" + dataBytes + " bytes) were not read");
            r.readSlice(4321);
            assertEquals(expected + sliceBytes(4321).length, counting.bytesRead(), "one slice read = its length");
        }
    }

    @Test
    void aSliceIsReadStraightIntoTheSuppliedBufferAndAnUnfitBufferIsRefused() throws IOException {
        Path file = writeRaw(rawHeader(5), inOrder(5));
        byte[] expected = sliceBytes(3);
        try (ContainerReader r = format.openReader(RandomAccessSource.open(file))) {
            ByteBuffer mine = ByteBuffer.allocateDirect(expected.length + 10);
            ByteBuffer got = r.readSlice(3, true, length -> mine);
            assertTrue(got == mine, "the slice comes back in the supplied buffer");
            assertEquals(expected.length, got.limit());
            byte[] read = new byte[expected.length];
            got.get(read);
            assertArrayEquals(expected, read);
            for (ByteBuffer unfit : new ByteBuffer[] {ByteBuffer.allocate(expected.length - 1), ByteBuffer.allocate(expected.length + 1).position(1),
                ByteBuffer.allocate(expected.length).asReadOnlyBuffer()}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.readSlice(3, false, length -> unfit));
                assertEquals("the buffer supplier gave " + unfit + " for " + expected.length + " bytes; it must give a writable buffer at"
                        + " position 0 with room for them", e.getMessage());
            }
        }
    }

    @Test
    void rejectsWrongMagicEmptyAndTooShortFiles() throws IOException {
        assertFormatError(RandomAccessSource.of("empty", new byte[0]), "empty: preamble: file is 0 bytes, too short to be a jpkl file (at least 52)");
        assertFormatError(RandomAccessSource.of("text", "PK\u0003\u0004 this is a zip, not jpkl".getBytes(StandardCharsets.ISO_8859_1)),
                "text: preamble: not a jpkl file: magic bytes are 504b030420746869, expected 894a504b4c0d0a1a");
        byte[] shortFile = java.util.Arrays.copyOf(FileLayout.MAGIC, 20);
        assertFormatError(RandomAccessSource.of("short", shortFile), "short: preamble: file is 20 bytes; a jpkl file has at least 52 (truncated?)");
    }

    @Test
    void rejectsANewerMajorVersion() throws IOException {
        byte[] bytes = Files.readAllBytes(writeRaw(rawHeader(2), inOrder(2)));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 4);
        assertFormatError(RandomAccessSource.of("v4", bytes),
                "v4: preamble: format version 4.0 is not supported; this library reads versions 1.x to 3.x");
    }

    @Test
    void detectsADamagedHeaderIndexFooterOrSlice() throws IOException {
        byte[] good = Files.readAllBytes(writeRaw(rawHeader(3), inOrder(3)));
        int headerLength = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        int indexOffset = good.length - FileLayout.FOOTER_BYTES - 3 * FileLayout.INDEX_ENTRY_BYTES;

        assertFormatError(RandomAccessSource.of("h", flip(good, 16 + headerLength / 2)), "h: header: CRC32C mismatch");
        assertFormatError(RandomAccessSource.of("i", flip(good, indexOffset + 3)), "i: index: CRC32C mismatch");
        assertFormatError(RandomAccessSource.of("f", flip(good, good.length - 20)), "f: footer: CRC32C mismatch");
        assertFormatError(RandomAccessSource.of("e", flip(good, good.length - 1)), "e: footer: end magic is");

        byte[] damagedSlice = flip(good, 16 + headerLength + 4);
        try (ContainerReader r = format.openReader(RandomAccessSource.of("s", damagedSlice))) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> r.readSlice(0));
            assertEquals("slice (0,)", e.region());
            assertTrue(e.getMessage().startsWith("s: slice (0,): CRC32C mismatch at offset " + (16 + headerLength + 4)), e.getMessage());
            r.readSlice(1);
        }
        try (ContainerReader r = format.openReader(RandomAccessSource.of("s", damagedSlice), false)) {
            assertEquals(sliceBytes(0).length, r.readSlice(0).remaining(), "checksums off: damaged bytes come back unverified");
        }
    }

    @Test
    void headerThatIsValidJsonButInconsistentIsRejectedNamingTheProblem() throws IOException {
        String json = "{\"shape\":[4,5,-2],\"dtype\":\"uint8\",\"layout\":{\"y\":0,\"x\":1},\"axis_names\":[],"
                + "\"codec\":{\"id\":\"jpeg\",\"params\":{}},\"metadata\":{}}";
        assertFormatError(RandomAccessSource.of("neg", fileWithHeader(json)),
                "neg: header: shape (4, 5, -2): axis 2 has negative length -2");
        String badDtype = json.replace("[4,5,-2]", "[4,5,2]").replace("uint8", "complex128");
        assertFormatError(RandomAccessSource.of("dt", fileWithHeader(badDtype)),
                "dt: header: dtype 'complex128' is not supported; allowed: [uint8, uint16, int16, int32, float32, float64]");
        String overflow = json.replace("[4,5,-2]", "[4,5,2147483647,2147483647,2147483647]");
        assertFormatError(RandomAccessSource.of("big", fileWithHeader(overflow)), "big: header: shape [4, 5, 2147483647, 2147483647, 2147483647] has more than 9223372036854775807 elements");
        assertFormatError(RandomAccessSource.of("junk", fileWithHeader("{\"shape\":")), "junk: header: header is not valid JSON");
        String deep = "{\"metadata\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertFormatError(RandomAccessSource.of("deep", fileWithHeader(deep)), "deep: header: header is not valid JSON: Nesting limit 80 reached");
        assertFormatError(RandomAccessSource.of("array", fileWithHeader("[".repeat(5000) + "]".repeat(5000))),
                "array: header: header is not a JSON object");
    }

    @Test
    void headerJsonThatTwoReadersCouldReadDifferentlyIsRejected() throws IOException {
        String json = "{\"shape\":[4,5,0],\"dtype\":\"uint8\",\"layout\":{\"y\":0,\"x\":1},\"axis_names\":[],"
                + "\"codec\":{\"id\":\"jpeg\",\"params\":{}},\"metadata\":{\"note\":\"caf\u00e9\",\"list\":[{\"a\":1}]}}";
        try (ContainerReader r = format.openReader(RandomAccessSource.of("ok", fileWithHeader(json)))) {
            assertEquals("caf\u00e9", r.header().metadata().get("note"), "the valid header opens");
        }
        try (ContainerReader r = format.openReader(RandomAccessSource.of("ws", fileWithHeader(" \n" + json + " \r\n\t")))) {
            assertArrayEquals(new int[] {4, 5, 0}, r.header().shape(), "whitespace around the object is allowed");
        }
        // Duplicate keys: Python's json keeps the last 'shape', a first-wins reader the first.
        assertFormatError(RandomAccessSource.of("dup", fileWithHeader(json.replace("{\"shape\":[4,5,0],",
                "{\"shape\":[4,5,0],\"shape\":[1000,1000,9],"))),
                "dup: header: header repeats the key 'shape' in the object at $; each key may appear once");
        assertFormatError(RandomAccessSource.of("dup2", fileWithHeader(json.replace("\"params\":{}", "\"params\":{\"q\":\"1\",\"q\":\"2\"}"))),
                "dup2: header: header repeats the key 'q' in the object at $.codec.params; each key may appear once");
        assertFormatError(RandomAccessSource.of("dup3", fileWithHeader(json.replace("{\"a\":1}", "{\"a\":1,\"b\":2,\"a\":1}"))),
                "dup3: header: header repeats the key 'a' in the object at $.metadata.list[0]; each key may appear once");
        // Anything but whitespace after the object.
        assertFormatError(RandomAccessSource.of("tail", fileWithHeader(json + "x")),
                "tail: header: header has data after the end of its JSON object at line 1 column " + (json.length() + 2)
                        + " path $; only whitespace may follow it");
        assertFormatError(RandomAccessSource.of("two", fileWithHeader(json + json)), "two: header: header has data after the end of its JSON object");
        assertFormatError(RandomAccessSource.of("nul", fileWithHeader(json + "\0")), "nul: header: header has data after the end of its JSON object");
        // Invalid UTF-8 is refused, not replaced by U+FFFD.
        byte[] valid = json.getBytes(StandardCharsets.UTF_8);
        int e9 = indexOf(valid, new byte[] {(byte) 0xC3, (byte) 0xA9});
        byte[] lone = valid.clone();
        lone[e9 + 1] = 'x';
        assertFormatError(RandomAccessSource.of("utf8", fileWithHeader(lone)),
                "utf8: header: header is not valid UTF-8: 1 byte(s) at offset " + e9 + " do not form a character");
        byte[] overlong = valid.clone();
        overlong[e9] = (byte) 0xC0;
        overlong[e9 + 1] = (byte) 0xA9;
        assertFormatError(RandomAccessSource.of("overlong", fileWithHeader(overlong)),
                "overlong: header: header is not valid UTF-8: 1 byte(s) at offset " + e9 + " do not form a character");
        byte[] cut = java.util.Arrays.copyOf(valid, valid.length + 1);
        cut[valid.length] = (byte) 0xE2;
        assertFormatError(RandomAccessSource.of("cut", fileWithHeader(cut)),
                "cut: header: header is not valid UTF-8: 1 byte(s) at offset " + valid.length + " do not form a character");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** A file with a given header text, no slices, and a consistent footer for zero slices. */
    private static byte[] fileWithHeader(String json) {
        return fileWithHeader(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A file with given header bytes, no slices, and a consistent footer for zero slices. */
    private static byte[] fileWithHeader(byte[] h) {
        ByteBuffer b = ByteBuffer.allocate(16 + h.length + 4 + 32).order(ByteOrder.LITTLE_ENDIAN);
        b.put(FileLayout.MAGIC).putShort((short) 1).putShort((short) 0).putInt(h.length).put(h).putInt(FileLayout.crc32c(h, 0, h.length));
        int footerAt = b.position();
        b.putLong(footerAt).putLong(0).putInt(FileLayout.crc32c(new byte[0], 0, 0));
        b.putInt(FileLayout.crc32c(b.array(), footerAt, 20));
        b.put(FileLayout.END_MAGIC);
        return b.array();
    }

    private static byte[] flip(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x10;
        return copy;
    }

    private void assertFormatError(RandomAccessSource source, String messageStart) {
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> format.openReader(source).close());
        assertTrue(e.getMessage().startsWith(messageStart), "message: " + e.getMessage() + "\nexpected start: " + messageStart);
    }
}
