package org.jpkl.testing;

import org.jpkl.api.testing.CountingSource;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.api.testing.TestPlanes;
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
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.ContainerWriter;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.spi.SliceEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link ContainerSerializer} must meet, ours or a third party's. A serializer's
 * test extends this class and supplies the serializer and a codec, dtype and channel layout it can
 * hold; every check here then runs on it. Format-specific checks stay in the subclass.
 *
 * <p>Checked: discovery by {@link java.util.ServiceLoader} under its id, file extensions without a
 * dot, sniffing by content ({@link ContainerSerializer#canRead} claims its own files, not text, and
 * the registry detects a file whatever its name); header, axis names, metadata and slices written in
 * any order read back, with their lengths and the file size; slice numbers out of range give
 * {@link IndexOutOfBoundsException}; a closed reader refuses reads with {@link IllegalStateException}
 * naming the container; readers on several threads agree; the writer refuses a slice written twice
 * or out of range, a commit with a missing slice (naming it) and leaves no file, and an aborted write
 * leaves an existing file untouched; every truncation is refused at open with a
 * {@link JpklFormatException} naming the file; the {@link ContainerFuzzer} accepts only the original
 * data or such an exception (with the format's checksums when it has them); opening reads a small part
 * of the file and one slice costs about its length.
 */
public abstract class AbstractContainerSerializerTest {
    /** Plane height and width of the generic checks. */
    protected static final int HEIGHT = 16;
    /** Plane width. */
    protected static final int WIDTH = 24;

    @TempDir
    protected Path dir;

    /** The serializer under test (a fresh instance made with its public no-argument constructor). */
    protected abstract ContainerSerializer serializer();

    /** The codec the generic checks store their slices with; it must be in {@link #jpkl()}'s registry. */
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

    /** The largest absolute error of a round trip with {@link #codecId()} (0: exact). */
    protected double maxAbsError() {
        return 0;
    }

    /** Codecs the checks may use: those on the class path plus {@link IdentityCodec}. */
    protected SliceCodecs codecs() {
        List<SliceCodec> all = new ArrayList<>(SliceCodecs.load(serializer().getClass().getClassLoader()).all());
        if (all.stream().noneMatch(c -> c.id().equals(IdentityCodec.ID))) {
            all.add(new IdentityCodec());
        }
        return SliceCodecs.of(all.toArray(new SliceCodec[0]));
    }

    /** The library the facade-level checks use: {@link #codecs()} and the serializer under test next to the default one. */
    protected Jpkl jpkl() {
        List<ContainerSerializer> all = new ArrayList<>(ContainerSerializers.load().all());
        all.removeIf(s -> s.id().equals(serializer().id()));
        all.add(serializer());
        return Jpkl.builder().codecs(codecs()).serializers(ContainerSerializers.of(all.toArray(new ContainerSerializer[0])))
                .parallelism(2).build();
    }

    /**
     * The exact message of the commit refused because slice {@code (0, 1)} of 6 (key axes 2, 3) is
     * missing; the default is the one of the built-in writers.
     */
    protected String missingSliceMessage() {
        return "slice (0, 1) (number 1) was never written; every one of the 6 slices must be written before commit";
    }

    /** The least share of fuzz mutants that must be rejected (the rest read back the original, or changed data without checksums). */
    protected double minRejectedShare() {
        return 1.0 / 3;
    }

    /** The number of fuzz mutants. */
    protected int fuzzMutants() {
        return ContainerFuzzer.mutantCount(600);
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

    /** Slice {@code n} of {@code header}, encoded with the codec. */
    protected byte[] encodedSlice(ContainerHeader header, long n) throws IOException {
        try (SliceEncoder encoder = codec().newEncoder(params(), header.planeSpec())) {
            return encoder.encode(TestPlanes.smooth(header.planeSpec(), 100 + n, false, false));
        }
    }

    private ContainerWriter writer(Path file, ContainerHeader header) throws IOException {
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

    private static List<Long> inOrder(long count) {
        List<Long> l = new ArrayList<>();
        for (long n = 0; n < count; n++) {
            l.add(n);
        }
        return l;
    }

    private String fileName(String base) {
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

    @Test
    void roundTripsHeaderAxisNamesMetadataAndSlicesWrittenInAnyOrder() throws IOException {
        ContainerHeader h = header(3, 4);
        List<Long> order = inOrder(12);
        Collections.shuffle(order, new Random(1));
        Path file = write(fileName("order"), h, order);
        try (ContainerReader r = serializer().openReader(RandomAccessSource.open(file))) {
            assertEquals(serializer().id(), r.serializerId());
            assertArrayEquals(h.shape(), r.header().shape());
            assertEquals(h.dtype(), r.header().dtype());
            assertEquals(h.layout(), r.header().layout());
            assertEquals(h.axisNames(), r.header().axisNames());
            assertEquals(h.codecId(), r.header().codecId());
            assertEquals(h.metadata(), r.header().metadata());
            assertEquals(h.codecParams(), r.header().codecParams());
            assertEquals(h, r.header());
            assertEquals(Files.size(file), r.byteSize());
            for (long n = 0; n < 12; n++) {
                byte[] expected = encodedSlice(h, n);
                assertArrayEquals(expected, bytes(r.readSlice(n)), "slice " + n);
                assertEquals(expected.length, r.sliceLength(n), "length of slice " + n);
            }
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> r.readSlice(12));
            assertEquals("slice number 12 is out of range [0, 12)", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> r.readSlice(-1));
        }
    }

    @Test
    void savedArrayReadsBackThroughTheLibrary() throws IOException {
        NdArray array = TestPlanes.smoothArray(dtype(), ChannelLayout.GREY, 9, HEIGHT, WIDTH, 3, 2);
        Path file = dir.resolve(fileName("saved"));
        Jpkl jpkl = jpkl();
        jpkl.save(array, file, WriteOptions.builder().serializer(serializer().id()).codec(codecId()).params(codecParams())
                .axisNames("y", "x", "z", "t").metadata("k", "v").build());
        try (JpklArray opened = jpkl.open(file)) {
            assertEquals(serializer().id(), opened.serializerId());
            assertArrayEquals(array.shape(), opened.shape());
            assertEquals(List.of("y", "x", "z", "t"), opened.axisNames());
            assertEquals(Map.of("k", "v"), opened.metadata());
            NdArray all = opened.get("...");
            double error = ErrorMetrics.between(array, all).maxAbsError();
            assertTrue(error <= maxAbsError(), "max abs error " + error + " > " + maxAbsError());
            assertEquals(all.get("5:9, ::-3, ..., 1"), opened.get("5:9, ::-3, ..., 1"));
        }
    }

    @Test
    void itsFilesAreDetectedByContentWhateverTheirNameAndTextIsNot() throws IOException {
        Path file = write("no-extension", header(2), inOrder(2));
        try (RandomAccessSource source = RandomAccessSource.open(file)) {
            assertTrue(serializer().canRead(source));
        }
        assertFalse(serializer().canRead(RandomAccessSource.of("text", "hello world".getBytes(StandardCharsets.US_ASCII))));
        assertFalse(serializer().canRead(RandomAccessSource.of("empty", new byte[0])));
        try (JpklArray opened = jpkl().open(file)) {
            assertEquals(serializer().id(), opened.serializerId());
        }
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
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (ContainerReader r = serializer().openReader(RandomAccessSource.open(file))) {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < 50; i++) {
                        long n = rnd.nextInt(16);
                        assertArrayEquals(encodedSlice(h, n), bytes(r.readSlice(n)), "slice " + n + " on thread " + seed);
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
    void writingASliceTwiceOrOutOfRangeFails() throws IOException {
        ContainerHeader h = header(2);
        try (ContainerWriter w = writer(dir.resolve(fileName("twice")), h)) {
            w.writeSlice(1, ByteBuffer.wrap(encodedSlice(h, 1)));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.writeSlice(1, ByteBuffer.wrap(encodedSlice(h, 1))));
            assertEquals("slice (1,) was already written", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> w.writeSlice(2, ByteBuffer.wrap(encodedSlice(h, 0))));
        }
        assertEquals(0, fileCount(), "nothing left behind without a commit");
    }

    @Test
    void anAbortedWriteLeavesAnExistingFileUntouched() throws IOException {
        Path file = write(fileName("existing"), header(2), inOrder(2));
        byte[] before = Files.readAllBytes(file);
        ContainerHeader bigger = header(5);
        try (ContainerWriter w = writer(file, bigger)) {
            w.writeSlice(0, ByteBuffer.wrap(encodedSlice(bigger, 0)));
        }
        assertArrayEquals(before, Files.readAllBytes(file));
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
    void mutantsReadTheOriginalOrFailWithAFormatExceptionNamingTheFile() throws IOException {
        Path file = write(fileName("fuzz"), header(2, 2), inOrder(4));
        Jpkl jpkl = jpkl();
        NdArray expected;
        boolean checksums;
        try (JpklArray opened = jpkl.open(file)) {
            expected = opened.get("...");
        }
        try (ContainerReader r = serializer().openReader(RandomAccessSource.open(file))) {
            checksums = r.hasSliceChecksums();
        }
        ContainerFuzzer.Result result = new ContainerFuzzer(jpkl, Files.readAllBytes(file), expected, checksums, 10_000)
                .run(fuzzMutants(), 7);
        System.out.println(serializer().id() + " mutants (checksums " + (checksums ? "on" : "off") + "): " + result);
        assertEquals(List.of(), result.failures, result.toString());
        int rejected = result.outcomes.getOrDefault("rejected at open", 0) + result.outcomes.getOrDefault("rejected at read", 0);
        assertTrue(rejected >= minRejectedShare() * result.mutants, result.toString());
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
            assertTrue(read <= length + 200, "one slice of " + length + " bytes cost " + read + " bytes");
        }
    }
}
