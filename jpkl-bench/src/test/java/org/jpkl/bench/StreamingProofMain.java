package org.jpkl.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;

/**
 * The child JVM of {@link StreamingMemoryProofTest}, started with a small heap: streams a generated
 * uint16 stack of {@code 1024 x 1024 x planes} (2 GiB raw for 1000 planes) through
 * {@link Jpkl#newWriter} plane by plane, reopens the file and checks several planes exactly, and
 * prints the peak heap use. Exit code 0 only if every check passed.
 *
 * <p>Output lines the test reads: {@code CODEC id}, {@code RAW_BYTES n}, {@code FILE_BYTES n},
 * {@code MAX_HEAP n}, {@code PEAK_HEAP_USED n}, {@code SPOTCHECK n OK|FAIL ...}, {@code RESULT ok|failed}.
 */
public final class StreamingProofMain {
    static final int SIDE = 1024;
    /** Fast codecs first: the proof is about memory, not compression. */
    private static final List<String> CODEC_PREFERENCE = List.of("zstd", "deflate", "png", "jpeg", "test-identity");

    private StreamingProofMain() {
    }

    /**
     * @param args target file, number of planes
     */
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        int planes = Integer.parseInt(args[1]);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long maxUsedSampled = 0;
        Jpkl jpkl = Jpkl.create();
        SliceCodec codec = chooseCodec(jpkl);
        WriteOptions.Builder options = WriteOptions.builder().codec(codec.id());
        if (codec.capabilities().param("level").isPresent()) {
            options.param("level", "1");
        }
        PlaneSpec spec = new PlaneSpec(DType.UINT16, SIDE, SIDE, ChannelLayout.GREY);
        int[] shape = {SIDE, SIDE, planes};
        System.out.println("CODEC " + codec.id() + " " + options.build().codecParams());
        System.out.println("RAW_BYTES " + spec.byteSize() * planes);
        System.out.println("MAX_HEAP " + Runtime.getRuntime().maxMemory());
        long t0 = System.nanoTime();
        try (JpklWriter writer = jpkl.newWriter(target, DType.UINT16, shape, options.build())) {
            PlaneBuffer plane = PlaneBuffer.allocate(spec);
            for (int n = 0; n < planes; n++) {
                fill(plane.shorts(), n);
                writer.write(n, plane);
                if (n % 16 == 0) {
                    maxUsedSampled = Math.max(maxUsedSampled, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                }
            }
            writer.commit();
        }
        long t1 = System.nanoTime();
        System.out.println("FILE_BYTES " + Files.size(target));
        System.out.printf(Locale.ROOT, "WRITE_SECONDS %.1f%n", (t1 - t0) / 1e9);

        boolean ok = true;
        TreeSet<Integer> spots = new TreeSet<>(List.of(0, 1, planes / 3, planes / 2, (int) (planes * 0.77), planes - 2, planes - 1));
        try (JpklArray stack = jpkl.open(target);
             SliceEncoder encoder = codec.newEncoder(codec.params(options.build().codecParams()), spec);
             SliceDecoder decoder = codec.newDecoder(stack.codecParamsValue(), spec)) {
            if (stack.dtype() != DType.UINT16 || stack.sliceCount() != planes) {
                System.out.println("SPOTCHECK header FAIL: " + stack);
                ok = false;
            }
            for (int n : spots) {
                short[] expected = expectedPlane(codec.isLossless(stack.codecParamsValue()), encoder, decoder, spec, n);
                NdArray got = stack.get(":, :, " + n);
                short[] actual = got.toShortArray();
                Optional<String> mismatch = firstMismatch(expected, actual);
                System.out.println("SPOTCHECK " + n + " " + mismatch.map(m -> "FAIL " + m).orElse("OK"));
                ok &= mismatch.isEmpty();
                maxUsedSampled = Math.max(maxUsedSampled, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
        } finally {
            Files.deleteIfExists(target);
        }
        long peakPools = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peakPools += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("PEAK_HEAP_USED " + maxUsedSampled);
        System.out.println("PEAK_HEAP_POOLS_SUM " + peakPools);
        System.out.printf(Locale.ROOT, "TOTAL_SECONDS %.1f%n", (System.nanoTime() - t0) / 1e9);
        System.out.println("RESULT " + (ok ? "ok" : "failed"));
        System.exit(ok ? 0 : 1);
    }

    private static SliceCodec chooseCodec(Jpkl jpkl) {
        for (String id : CODEC_PREFERENCE) {
            Optional<SliceCodec> c = jpkl.codecs().find(id);
            if (c.isPresent() && c.get().availability().isAvailable() && c.get().capabilities().supports(DType.UINT16, ChannelLayout.GREY)) {
                return c.get();
            }
        }
        throw new IllegalStateException("no codec for uint16 planes among " + jpkl.codecs().ids());
    }

    /**
     * Plane {@code n}: a ramp that moves with n plus 4 bits of hashed noise, values 1000..2038.
     * Cheap (a few integer operations per sample) and exactly reproducible.
     */
    static void fill(short[] plane, int n) {
        for (int y = 0; y < SIDE; y++) {
            int row = y * SIDE;
            for (int x = 0; x < SIDE; x++) {
                int h = x * 0x9E3779B1 ^ y * 0x85EBCA77 ^ n * 0xC2B2AE3D;
                h ^= h >>> 15;
                h *= 0x2C1B3C6D;
                h ^= h >>> 12;
                plane[row + x] = (short) (1000 + ((x + 2 * y + 7 * n) & 1023) + (h & 15));
            }
        }
    }

    /** The generated plane; for a codec lossy at the file's settings, what the codec makes of it (its encoder is deterministic). */
    private static short[] expectedPlane(boolean lossless, SliceEncoder encoder, SliceDecoder decoder, PlaneSpec spec, int n)
            throws Exception {
        PlaneBuffer generated = PlaneBuffer.allocate(spec);
        fill(generated.shorts(), n);
        if (lossless) {
            return generated.shorts();
        }
        PlaneBuffer roundTrip = PlaneBuffer.allocate(spec);
        decoder.decode(ByteBuffer.wrap(encoder.encode(generated)), roundTrip);
        return roundTrip.shorts();
    }

    private static Optional<String> firstMismatch(short[] expected, short[] actual) {
        if (expected.length != actual.length) {
            return Optional.of("length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                return Optional.of("at sample " + i + " (y " + i / SIDE + ", x " + i % SIDE + "): " + (actual[i] & 0xFFFF)
                        + ", expected " + (expected[i] & 0xFFFF));
            }
        }
        return Optional.empty();
    }
}
