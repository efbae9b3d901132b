package org.jpkl.api.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.Downsampling;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.CountingSource;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.ContainerWriter;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.spi.SliceEncoder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link ContainerSerializer} must meet, ours or a third party's, checked through
 * the SPI alone (no library facade, so it lives in jpkl-api's test-jar and a serializer's author
 * needs nothing else). A serializer's test extends this class and supplies the serializer, and when
 * it holds only some codecs or dtypes, a codec, its parameters and a dtype it can hold; every check
 * here then runs on it. Slices are real encodings of {@link TestPlanes} planes by that codec, but
 * only their bytes are compared: decoding them through the library, with every codec, dtype and
 * channel layout, is jpkl-tests' {@code CodecSerializerMatrixTest}. Format-specific checks stay in the
 * subclass.
 *
 * <p>Checked: discovery by {@link java.util.ServiceLoader} under its id, file extensions without a
 * dot, sniffing by content ({@link ContainerSerializer#canRead} claims its own files whatever their
 * name, not text or empty files, and no other installed serializer claims them); a header with axis
 * names and metadata, and slices written in order or shuffled, read back equal, with their lengths
 * and the file size; a plane without key axes is one slice; slice numbers outside the key space give
 * {@link IndexOutOfBoundsException} with the exact message, from reader and writer; a closed reader
 * refuses reads with {@link IllegalStateException} naming the container; readers on several threads
 * agree; the writer refuses a slice written twice, anything after commit or close, a commit with a
 * missing slice (naming it) and leaves no file; an aborted write or a failed commit leaves an
 * existing file untouched and no temporary file; every truncation is refused at open with a
 * {@link JpklFormatException} naming the file; a reader that says it has slice checksums
 * ({@link ContainerReader#hasSliceChecksums}) detects a damaged slice, and
 * {@link ContainerReader#verifyStructure} passes on an intact file; the {@link ContainerFuzzer}'s
 * mutants are refused cleanly or read back (exactly, when checksums are on); opening reads a small
 * part of the file and one slice costs at most its length plus {@link #sliceReadOverhead()} bytes.
 *
 * <p>Tiles ({@link ContainerHeader#tiling()}): a serializer whose {@link ContainerSerializer#supportsTiles()}
 * is true round-trips a tiled header (tiling included) and every chunk (tile) exactly, written in
 * order or shuffled, refuses chunk numbers outside {@link ContainerHeader#chunkCount()} with the
 * exact exception, and passes the fuzz pass on a tiled file; one whose {@code supportsTiles()} is
 * false refuses a tiled header in {@code openWriter} with an {@link IllegalArgumentException} naming
 * the tiles, and creates no file.
 *
 * <p>Resolution levels ({@link ContainerHeader#levelCount()}): a serializer whose
 * {@link ContainerSerializer#supportsLevels()} is true round-trips a header with levels (their
 * number and downsampling included), tiled and untiled, and every chunk of every level exactly,
 * written in order or shuffled; refuses chunk numbers beyond the last level's with the exact
 * exception, names a missing level chunk at commit, and passes the fuzz pass on a file with levels.
 */
public abstract class AbstractContainerSerializerTest {
    /** Plane height of the generic checks. */
    protected static final int HEIGHT = 16;
    /** Plane width of the generic checks. */
    protected static final int WIDTH = 24;

    /** A fresh directory per test; the checks count the files in it. */
    @TempDir
    protected Path dir;

    /** The serializer under test (a fresh instance made with its public no-argument constructor). */
    protected abstract ContainerSerializer serializer();

    /** The codec the generic checks encode their slices with; it must be in {@link #codecs()}. */
    protected String codecId() {
        return IdentityCodec.ID;
    }

    /** The codec parameters of the generic checks (validated by the codec). */
    protected Map<String, String> codecParams() {
        return Map.of();
    }

    /** The dtype of the generic checks; one the serializer can hold with {@link #codecId()}. */
    protected DType dtype() {
        return DType.UINT16;
    }

    /** Codecs the checks may use: those the serializer's class loader finds, plus {@link IdentityCodec}. */
    protected SliceCodecs codecs() {
        List<SliceCodec> all = new ArrayList<>(SliceCodecs.load(serializer().getClass().getClassLoader()).all());
        if (all.stream().noneMatch(c -> c.id().equals(IdentityCodec.ID))) {
            all.add(new IdentityCodec());
        }
        return SliceCodecs.of(all.toArray(new SliceCodec[0]));
    }

    /**
     * The exact message of the commit refused because slice {@code (0, 1)} of 6 (key axes 2, 3) is
     * missing; the default is the one of the built-in writers ({@link org.jpkl.api.spi.support.SliceSlots}).
     */
    protected String missingSliceMessage() {
        return "slice (0, 1) (number 1) was never written; every one of the 6 slices must be written before commit";
    }

    /** The least share of fuzz mutants that must be refused (the rest read back the original, or changed data without checksums). */
    protected double minRejectedShare() {
        return 1.0 / 3;
    }

    /** The number of fuzz mutants. */
    protected int fuzzMutants() {
        return ContainerFuzzer.mutantCount(600);
    }

    /** The bytes reading one slice may cost beyond its length (e.g. a local header to skip). */
    protected long sliceReadOverhead() {
        return 200;
    }

    /**
     * Offsets in a valid file of this format worth cutting at; the default finds the slices by
     * content ({@link ContainerFuzzer#structuralOffsets}). A format test may add its own structures.
     */
    protected List<Integer> structuralOffsets(byte[] file, List<byte[]> slices) {
        return ContainerFuzzer.structuralOffsets(file, slices);
    }

    /** The header of the generic checks: plane HEIGHT x WIDTH, key axes {@code keyDims}, axis names and metadata. */
    protected ContainerHeader header(int... keyDims) {
        return sizedHeader(HEIGHT, WIDTH, keyDims);
    }

    /** As {@link #header(int...)} with planes of {@code height} x {@code width}. */
    protected ContainerHeader sizedHeader(int height, int width, int... keyDims) {
        int[] shape = new int[2 + keyDims.length];
        shape[0] = height;
        shape[1] = width;
        System.arraycopy(keyDims, 0, shape, 2, keyDims.length);
        List<String> names = new ArrayList<>(List.of("y", "x"));
        for (int a = 0; a < keyDims.length; a++) {
            names.add("k" + a);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("pixel_size_um", 0.25);
        metadata.put("note", "ünïcødé");
        metadata.put("nested", Map.of("list", List.of(1L, 2.5, true)));
        return new ContainerHeader(shape, dtype(), PlaneLayout.jpkl(false), names, codecId(), params().toMap(), metadata);
    }

    private SliceCodec codec() {
        return codecs().require(codecId());
    }

    private CodecParams params() {
        return codec().params(codecParams());
    }

    /**
     * Slice (chunk) {@code n} of {@code header}, encoded with the codec: a whole plane, or when the
     * header is tiled, tile {@code n} of its size ({@link ContainerHeader#chunkSpec}).
     */
    protected byte[] encodedSlice(ContainerHeader header, long n) throws IOException {
        try (SliceEncoder encoder = codec().newEncoder(params(), header.chunkSpec(n))) {
            return encoder.encode(TestPlanes.smooth(header.chunkSpec(n), 100 + n, false, false));
        }
    }

    /** Every slice (chunk, when tiled) of {@code header}, in number order. */
    protected List<byte[]> encodedSlices(ContainerHeader header) throws IOException {
        List<byte[]> slices = new ArrayList<>();
        for (long n = 0; n < header.chunkCount(); n++) {
            slices.add(encodedSlice(header, n));
        }
        return slices;
    }

    /** Opens a writer of the serializer under test, with the codec's parameters. */
    protected ContainerWriter writer(Path file, ContainerHeader header) throws IOException {
        return serializer().openWriter(file, header, params());
    }

    /** Writes every slice of {@code header} in {@code order} and commits. */
    protected Path write(String name, ContainerHeader header, List<Long> order) throws IOException {
        Path file = dir.resolve(name);
        try (ContainerWriter w = writer(file, header)) {
            for (long n : order) {
                w.writeSlice(n, ByteBuffer.wrap(encodedSlice(header, n)));
            }
            w.commit();
        }
        return file;
    }

    /** Slice numbers {@code 0 .. count-1} in order. */
    protected static List<Long> inOrder(long count) {
        List<Long> l = new ArrayList<>();
        for (long n = 0; n < count; n++) {
            l.add(n);
        }
        return l;
    }

    /** {@code base} with the serializer's first file extension. */
    protected String fileName(String base) {
        return base + "." + serializer().fileExtensions().get(0);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private long fileCount() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    /** The installed serializers as the library would see them, with the one under test in place of any of its id. */
    private ContainerSerializers installed() {
        ContainerSerializer s = serializer();
        List<ContainerSerializer> all = new ArrayList<>(ContainerSerializers.load(s.getClass().getClassLoader()).all());
        all.removeIf(other -> other.id().equals(s.id()));
        all.add(s);
        return ContainerSerializers.of(all.toArray(new ContainerSerializer[0]));
    }

    @Test
    void foundByServiceLoaderUnderItsIdWithExtensionsWithoutADot() {
        ContainerSerializer s = serializer();
        ContainerSerializers found = ContainerSerializers.load(s.getClass().getClassLoader());
        ContainerSerializer discovered = found.find(s.id()).orElseThrow(() -> new AssertionError("serializer '" + s.id()
                + "' is not registered in META-INF/services/" + ContainerSerializer.class.getName() + "; found " + found.ids()
                + ", problems " + found.problems()));
        assertSame(s.getClass(), discovered.getClass());
        assertFalse(s.description().isBlank());
        assertFalse(s.fileExtensions().isEmpty());
        for (String ext : s.fileExtensions()) {
            assertFalse(ext.isEmpty() || ext.startsWith("."), "extension '" + ext + "'");
        }
    }

    @ParameterizedTest(name = "shuffled {0}")
    @ValueSource(booleans = {false, true})
    void headerAxisNamesMetadataAndSlicesWrittenInOrderOrShuffledReadBackEqual(boolean shuffled) throws IOException {
        ContainerHeader h = header(3, 4);
        List<Long> order = inOrder(12);
        if (shuffled) {
            Collections.shuffle(order, new Random(1));
        }
        Path file = write(fileName("order"), h, order);
        try (RandomAccessSource source = RandomAccessSource.open(file)) {
            assertTrue(serializer().canRead(source), "canRead of its own file");
        }
        try (ContainerReader r = serializer().openReader(RandomAccessSource.open(file))) {
            assertEquals(serializer().id(), r.serializerId());
            assertEquals(file.toString(), r.name());
            assertArrayEquals(h.shape(), r.header().shape());
            assertEquals(h.dtype(), r.header().dtype());
            assertEquals(h.layout(), r.header().layout());
            assertEquals(h.axisNames(), r.header().axisNames());
            assertEquals(h.codecId(), r.header().codecId());
            assertEquals(h.metadata(), r.header().metadata());
            assertEquals(h.codecParams(), r.header().codecParams());
            assertReadsBack(r, h, file);
        }
    }

    /** The reader's header is {@code h}, its size the file's, every slice (chunk) reads back exactly with its length, the structure verifies. */
    private void assertReadsBack(ContainerReader r, ContainerHeader h, Path file) throws IOException {
        assertEquals(h, r.header());
        assertEquals(Files.size(file), r.byteSize());
        for (long n = 0; n < h.chunkCount(); n++) {
            byte[] expected = encodedSlice(h, n);
            assertArrayEquals(expected, bytes(r.readSlice(n)), "slice " + n);
            assertArrayEquals(expected, bytes(r.readVerifiedSlice(n)), "verified slice " + n);
            for (boolean verify : new boolean[] {false, true}) {
                int[] asked = {-1};
                ByteBuffer into = r.readSlice(n, verify, length -> {
                    assertEquals(-1, asked[0], "the buffer supplier is called at most once");
                    asked[0] = length;
                    return ByteBuffer.allocateDirect(length + 3);
                });
                assertEquals(0, into.position(), "position of the buffer readSlice(n, " + verify + ", buffers) returns");
                assertArrayEquals(expected, bytes(into), "slice " + n + " read into a supplied buffer, verify " + verify);
                assertTrue(asked[0] == -1 || asked[0] == expected.length, "the supplier was asked for " + asked[0] + " bytes, not "
                        + expected.length);
            }
            assertEquals(expected.length, r.sliceLength(n), "length of slice " + n);
        }
        r.verifyStructure();
    }

    @Test
    void slicesBeyondTheKeySpaceAreRefusedByReaderAndWriterWithTheExactException() throws IOException {
        ContainerHeader h = header(3, 4);
        Path file = write(fileName("range"), h, inOrder(12));
        assertReaderRefusesBeyond(file, 12);
        assertWriterRefusesBeyond(fileName("range-w"), header(2));
    }

    /** Reading or asking the length of slice numbers at or beyond {@code count} (or negative) gives the exact exception. */
    private void assertReaderRefusesBeyond(Path file, long count) throws IOException {
        try (ContainerReader r = serializer().openReader(RandomAccessSource.open(file))) {
            for (long n : new long[] {count, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32}) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> r.readSlice(n), "readSlice(" + n + ")");
                assertEquals("slice number " + n + " is out of range [0, " + count + ")", e.getMessage());
                e = assertThrows(IndexOutOfBoundsException.class, () -> r.sliceLength(n), "sliceLength(" + n + ")");
                assertEquals("slice number " + n + " is out of range [0, " + count + ")", e.getMessage());
            }
        }
    }

    /** Writing slice numbers at or beyond the header's chunk count (or negative) gives the exact exception. */
    private void assertWriterRefusesBeyond(String name, ContainerHeader h) throws IOException {
        long count = h.chunkCount();
        try (ContainerWriter w = writer(dir.resolve(name), h)) {
            for (long n : new long[] {count, -1, Long.MAX_VALUE, 1L << 32}) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                        () -> w.writeSlice(n, ByteBuffer.wrap(encodedSlice(h, 0))), "writeSlice(" + n + ")");
                assertEquals("slice number " + n + " is out of range [0, " + count + ")", e.getMessage());
            }
        }
    }

    @Test
    void aPlaneWithoutKeyAxesIsOneSlice() throws IOException {
        ContainerHeader h = header();
        Path file = write(fileName("plane"), h, inOrder(1));
        try (ContainerReader r = serializer().openReader(RandomAccessSource.open(file))) {
            assertEquals(h, r.header());
            assertEquals(1, r.header().sliceCount());
            assertArrayEquals(encodedSlice(h, 0), bytes(r.readSlice(0)));
        }
    }

    @Test
    void itsFilesAreDetectedByContentWhateverTheirNameAndTextIsNot() throws IOException {
        Path file = write("no-extension", header(2), inOrder(2));
        try (RandomAccessSource source = RandomAccessSource.open(file)) {
            assertTrue(serializer().canRead(source));
            assertEquals(serializer().id(), installed().detect(source).orElseThrow().id(), "detected among " + installed().ids());
        }
        assertFalse(serializer().canRead(RandomAccessSource.of("text", "hello world".getBytes(StandardCharsets.US_ASCII))));
        assertFalse(serializer().canRead(RandomAccessSource.of("empty", new byte[0])));
    }

    @Test
    void aClosedReaderRefusesReadsNamingTheContainer() throws IOException {
        Path file = write(fileName("closed"), header(2), inOrder(2));
        ContainerReader r = serializer().openReader(RandomAccessSource.open(file));
        r.readSlice(0);
        r.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.readSlice(1));
        assertEquals("container " + file + " is closed", e.getMessage());
        r.close();
    }

    @Test
    void readersOnSeveralThreadsAgree() throws Exception {
        ContainerHeader h = header(4, 4);
        Path file = write(fileName("threads"), h, inOrder(16));
        List<byte[]> slices = encodedSlices(h);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (ContainerReader r = serializer().openReader(RandomAccessSource.open(file))) {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < 50; i++) {
                        int n = rnd.nextInt(16);
                        assertArrayEquals(slices.get(n), bytes(r.readSlice(n)), "slice " + n + " on thread " + seed);
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void commitNamesTheFirstMissingSliceAndLeavesNothingBehind() throws IOException {
        ContainerHeader h = header(2, 3);
        Path file = dir.resolve(fileName("missing"));
        ContainerWriter w = writer(file, h);
        w.writeSlice(0, ByteBuffer.wrap(encodedSlice(h, 0)));
        w.writeSlice(2, ByteBuffer.wrap(encodedSlice(h, 2)));
        IllegalStateException e = assertThrows(IllegalStateException.class, w::commit);
        assertEquals(missingSliceMessage(), e.getMessage());
        w.close();
        assertFalse(Files.exists(file));
        assertEquals(0, fileCount(), "no temporary file may stay behind");
    }

    @Test
    void writingASliceTwiceOrAfterCommitOrCloseFails() throws IOException {
        ContainerHeader h = header(2);
        try (ContainerWriter w = writer(dir.resolve(fileName("twice")), h)) {
            w.writeSlice(1, ByteBuffer.wrap(encodedSlice(h, 1)));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.writeSlice(1, ByteBuffer.wrap(encodedSlice(h, 1))));
            assertEquals("slice (1,) was already written", e.getMessage());
        }
        assertEquals(0, fileCount(), "nothing left behind without a commit");

        ContainerWriter closed = writer(dir.resolve(fileName("closed")), h);
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.writeSlice(0, ByteBuffer.wrap(encodedSlice(h, 0))));
        assertThrows(IllegalStateException.class, closed::commit);
        closed.close();
        assertEquals(0, fileCount(), "a closed writer leaves nothing behind");

        Path file = dir.resolve(fileName("committed"));
        ContainerWriter committed = writer(file, h);
        committed.writeSlice(0, ByteBuffer.wrap(encodedSlice(h, 0)));
        committed.writeSlice(1, ByteBuffer.wrap(encodedSlice(h, 1)));
        committed.commit();
        byte[] published = Files.readAllBytes(file);
        assertThrows(IllegalStateException.class, () -> committed.writeSlice(0, ByteBuffer.wrap(encodedSlice(h, 0))));
        assertThrows(IllegalStateException.class, committed::commit);
        committed.close();
        assertArrayEquals(published, Files.readAllBytes(file), "closing after commit keeps the file");
        assertEquals(1, fileCount());
    }

    @Test
    void anAbortedWriteOrAFailedCommitLeavesAnExistingFileUntouched() throws IOException {
        Path file = write(fileName("existing"), header(2), inOrder(2));
        byte[] before = Files.readAllBytes(file);
        ContainerHeader bigger = header(5);
        try (ContainerWriter w = writer(file, bigger)) {
            w.writeSlice(0, ByteBuffer.wrap(encodedSlice(bigger, 0)));
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(1, fileCount(), "no temporary file may stay behind");
        try (ContainerWriter w = writer(file, bigger)) {
            w.writeSlice(4, ByteBuffer.wrap(encodedSlice(bigger, 4)));
            assertThrows(IllegalStateException.class, w::commit);
        }
        assertArrayEquals(before, Files.readAllBytes(file), "a refused commit leaves the old file");
        assertEquals(1, fileCount(), "no temporary file may stay behind");
    }

    @Test
    void everyTruncationIsRefusedAtOpenNamingTheFile() throws IOException {
        byte[] good = Files.readAllBytes(write(fileName("cut"), header(3), inOrder(3)));
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            int at = length;
            JpklFormatException e = assertThrows(JpklFormatException.class,
                    () -> serializer().openReader(RandomAccessSource.of("cut", cut)).close(),
                    () -> "truncated to " + at + " of " + good.length + " bytes");
            assertTrue(e.getMessage().startsWith("cut: "), e.getMessage());
        }
    }

    @Test
    void aReaderWithSliceChecksumsDetectsADamagedSlice() throws IOException {
        ContainerHeader h = header(3);
        byte[] good = Files.readAllBytes(write(fileName("sums"), h, inOrder(3)));
        byte[] slice = encodedSlice(h, 1);
        int at = ContainerFuzzer.indexOf(good, slice, 0);
        boolean checksums;
        try (ContainerReader r = serializer().openReader(RandomAccessSource.of("good", good))) {
            checksums = r.hasSliceChecksums();
            r.verifyStructure();
        }
        if (at < 0) {
            System.out.println(serializer().id() + " does not store slices verbatim: damaged-slice check skipped (checksums "
                    + (checksums ? "on" : "off") + ")");
            return;
        }
        byte[] damaged = good.clone();
        damaged[at + slice.length / 2] ^= 0x10;
        try (ContainerReader r = serializer().openReader(RandomAccessSource.of("damaged", damaged), true)) {
            if (checksums) {
                JpklFormatException e = assertThrows(JpklFormatException.class, () -> r.readSlice(1));
                assertTrue(e.getMessage().startsWith("damaged: "), e.getMessage());
                e = assertThrows(JpklFormatException.class, () -> r.readVerifiedSlice(1));
                assertTrue(e.getMessage().startsWith("damaged: "), e.getMessage());
                e = assertThrows(JpklFormatException.class, () -> r.readSlice(1, false, ByteBuffer::allocateDirect));
                assertTrue(e.getMessage().startsWith("damaged: "), e.getMessage());
            } else {
                assertFalse(Arrays.equals(slice, bytes(r.readSlice(1))), "without checksums the damage is returned");
            }
            assertArrayEquals(encodedSlice(h, 0), bytes(r.readSlice(0)), "the other slices still read");
        }
        try (ContainerReader r = serializer().openReader(RandomAccessSource.of("damaged", damaged), false)) {
            assertFalse(Arrays.equals(slice, bytes(r.readSlice(1))), "checksums off: damaged bytes come back unverified");
            if (checksums) {
                assertThrows(JpklFormatException.class, () -> r.readVerifiedSlice(1), "readVerifiedSlice checks whatever the options");
                assertThrows(JpklFormatException.class, () -> r.readSlice(1, true, ByteBuffer::allocate),
                        "readSlice(n, true, buffers) checks whatever the options");
            }
        }
    }

    @Test
    void mutantsAreRefusedOrReadBackNamingTheFile() throws IOException {
        ContainerHeader h = header(2, 2);
        Path file = write(fileName("fuzz"), h, inOrder(4));
        ContainerFuzzer.Result result = assertMutantsAreRefusedOrReadBack(Files.readAllBytes(file), h, encodedSlices(h), 7);
        assertTrue(result.rejected() >= minRejectedShare() * result.mutants, result.toString());
    }

    /**
     * Runs {@link #fuzzMutants()} mutants of {@code valid} (a file of the serializer under test with
     * {@code header} and {@code slices}) through {@link ContainerFuzzer#serializerCheck}, with the
     * format's checksums when its reader has them, and requires no failure. For format tests with
     * files of their own (e.g. an older variant of the format).
     */
    protected ContainerFuzzer.Result assertMutantsAreRefusedOrReadBack(byte[] valid, ContainerHeader header, List<byte[]> slices,
            long seed) throws IOException {
        boolean checksums;
        try (ContainerReader r = serializer().openReader(RandomAccessSource.of("valid", valid))) {
            checksums = r.hasSliceChecksums();
        }
        ContainerFuzzer fuzzer = new ContainerFuzzer(valid, structuralOffsets(valid, slices), 10_000);
        ContainerFuzzer.Result result = fuzzer.run(ContainerFuzzer.serializerCheck(serializer(), header, slices, checksums),
                fuzzMutants(), seed);
        System.out.println(serializer().id() + " mutants (checksums " + (checksums ? "on" : "off") + "): " + result);
        assertEquals(List.of(), result.failures, result.toString());
        return result;
    }

    @Test
    void openingReadsLittleAndOneSliceCostsAboutItsLength() throws IOException {
        ContainerHeader h = sizedHeader(160, 200, 4, 5);
        Path file = write(fileName("lazy"), h, inOrder(20));
        long size = Files.size(file);
        CountingSource counting = new CountingSource(RandomAccessSource.open(file));
        try (ContainerReader r = serializer().openReader(counting)) {
            long atOpen = counting.bytesRead();
            assertTrue(atOpen < size / 10, "open read " + atOpen + " of " + size + " bytes");
            long before = counting.bytesRead();
            long length = r.sliceLength(13);
            r.readSlice(13);
            long read = counting.bytesRead() - before;
            assertTrue(read <= length + sliceReadOverhead(), "one slice of " + length + " bytes cost " + read + " bytes");
        }
    }

    /**
     * The header of the tiled checks: 3 planes of 40 x 70 in tiles of 16 x 32, so the last row of
     * tiles has 8 rows and the last column 6 columns; 9 tiles per plane, 27 chunks.
     */
    protected ContainerHeader tiledHeader() {
        return sizedHeader(40, 70, 3).withTiles(16, 32);
    }

    @ParameterizedTest(name = "shuffled {0}")
    @ValueSource(booleans = {false, true})
    void aTiledHeaderAndEveryTileWrittenInOrderOrShuffledReadBackEqual(boolean shuffled) throws IOException {
        Assumptions.assumeTrue(serializer().supportsTiles(), () -> serializer().id() + " does not hold tiles");
        ContainerHeader h = tiledHeader();
        assertEquals(27, h.chunkCount());
        assertEquals(8, h.chunkSpec(8).height(), "rows of the corner tile");
        assertEquals(6, h.chunkSpec(8).width(), "columns of the corner tile");
        List<Long> order = inOrder(h.chunkCount());
        if (shuffled) {
            Collections.shuffle(order, new Random(2));
        }
        Path file = write(fileName("tiled"), h, order);
        try (RandomAccessSource source = RandomAccessSource.open(file)) {
            assertTrue(serializer().canRead(source), "canRead of its own tiled file");
        }
        try (ContainerReader r = serializer().openReader(RandomAccessSource.open(file))) {
            assertEquals(h.tiling(), r.header().tiling());
            assertEquals(27, r.header().chunkCount());
            assertReadsBack(r, h, file);
        }
    }

    @Test
    void tiledChunkNumbersBeyondTheTilesAreRefusedByReaderAndWriterWithTheExactException() throws IOException {
        Assumptions.assumeTrue(serializer().supportsTiles(), () -> serializer().id() + " does not hold tiles");
        ContainerHeader h = tiledHeader();
        Path file = write(fileName("tiled-range"), h, inOrder(h.chunkCount()));
        assertReaderRefusesBeyond(file, 27);
        assertWriterRefusesBeyond(fileName("tiled-range-w"), h);
    }

    @Test
    void tiledMutantsAreRefusedOrReadBackNamingTheFile() throws IOException {
        Assumptions.assumeTrue(serializer().supportsTiles(), () -> serializer().id() + " does not hold tiles");
        ContainerHeader h = sizedHeader(20, 40, 2).withTiles(16, 32);
        assertEquals(8, h.chunkCount());
        Path file = write(fileName("tiled-fuzz"), h, inOrder(h.chunkCount()));
        ContainerFuzzer.Result result = assertMutantsAreRefusedOrReadBack(Files.readAllBytes(file), h, encodedSlices(h), 11);
        assertTrue(result.rejected() >= minRejectedShare() * result.mutants, result.toString());
    }

    @Test
    void withoutTileSupportOpenWriterRefusesATiledHeaderNamingTheTilesAndCreatesNoFile() throws IOException {
        Assumptions.assumeFalse(serializer().supportsTiles(), () -> serializer().id() + " holds tiles");
        Path target = dir.resolve(fileName("tiled-refused"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer(target, tiledHeader()).close());
        assertTrue(e.getMessage().contains("tiles"), e.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(0, fileCount(), "no temporary file may stay behind");
    }

    /**
     * The headers of the level checks: the tiled header with 2 levels (40 x 70, 20 x 35 and 10 x 18
     * planes: 9, 4 and 1 tiles, 42 chunks) and 3 planes of 16 x 24 with 3 levels (12 chunks).
     */
    protected List<ContainerHeader> levelledHeaders() {
        return List.of(tiledHeader().withLevels(2, Downsampling.MEAN), header(3).withLevels(3, Downsampling.NEAREST));
    }

    @ParameterizedTest(name = "shuffled {0}")
    @ValueSource(booleans = {false, true})
    void levelsAndEveryChunkOfEveryLevelWrittenInOrderOrShuffledReadBackEqual(boolean shuffled) throws IOException {
        Assumptions.assumeTrue(serializer().supportsLevels(), () -> serializer().id() + " does not hold levels");
        List<ContainerHeader> headers = levelledHeaders();
        assertEquals(42, headers.get(0).chunkCount());
        assertEquals(12, headers.get(1).chunkCount());
        for (int i = 0; i < headers.size(); i++) {
            ContainerHeader h = headers.get(i);
            List<Long> order = inOrder(h.chunkCount());
            if (shuffled) {
                Collections.shuffle(order, new Random(3 + i));
            }
            Path file = write(fileName("levels" + i), h, order);
            try (RandomAccessSource source = RandomAccessSource.open(file)) {
                assertTrue(serializer().canRead(source), "canRead of its own file with levels");
            }
            try (ContainerReader r = serializer().openReader(RandomAccessSource.open(file))) {
                assertEquals(h.levelCount(), r.header().levelCount());
                assertEquals(h.levelDownsampling(), r.header().levelDownsampling());
                assertReadsBack(r, h, file);
            }
        }
    }

    @Test
    void levelChunkNumbersBeyondTheLastLevelAreRefusedAndAMissingLevelChunkIsNamedAtCommit() throws IOException {
        Assumptions.assumeTrue(serializer().supportsLevels(), () -> serializer().id() + " does not hold levels");
        ContainerHeader h = levelledHeaders().get(0);
        Path file = write(fileName("levels-range"), h, inOrder(h.chunkCount()));
        assertReaderRefusesBeyond(file, 42);
        assertWriterRefusesBeyond(fileName("levels-range-w"), h);

        Path missing = dir.resolve(fileName("levels-missing"));
        try (ContainerWriter w = writer(missing, h)) {
            for (long n = 0; n < h.chunkCount(); n++) {
                if (n != 38) {
                    w.writeSlice(n, ByteBuffer.wrap(encodedSlice(h, n)));
                }
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, w::commit);
            assertTrue(e.getMessage().contains("level 1 (2,) tile (1, 1)"), e.getMessage());
        }
        assertFalse(Files.exists(missing));
    }

    @Test
    void levelMutantsAreRefusedOrReadBackNamingTheFile() throws IOException {
        Assumptions.assumeTrue(serializer().supportsLevels(), () -> serializer().id() + " does not hold levels");
        ContainerHeader h = sizedHeader(20, 40, 2).withTiles(16, 32).withLevels(1, Downsampling.MEAN);
        assertEquals(10, h.chunkCount());
        Path file = write(fileName("levels-fuzz"), h, inOrder(h.chunkCount()));
        ContainerFuzzer.Result result = assertMutantsAreRefusedOrReadBack(Files.readAllBytes(file), h, encodedSlices(h), 13);
        assertTrue(result.rejected() >= minRejectedShare() * result.mutants, result.toString());
    }
}
