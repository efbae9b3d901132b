package org.jpkl.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceCodec;

/**
 * The data every section shares, made once before the warm-up pass: the peer stack
 * {@code (512, 512, 10, 10, 4)} uint8 (400 planes), its raw bytes for the Python peer, the stack
 * saved with the benchmark codec, and each slice's encoded bytes in memory.
 *
 * <p>Thread safety: not thread-safe; owned by the harness thread.
 */
final class Fixtures {
    static final int H = 512;
    static final int W = 512;
    static final int[] PEER_SHAPE = {H, W, 10, 10, 4};
    static final int PEER_SLICES = 400;
    /** The peer's noise: N(0, 6). */
    static final double SIGMA = 6.0;
    static final long SEED = 20_261_123L;

    final Path work;
    final String codecId;
    final Map<String, String> codecParams;
    final SliceCodec codec;
    /** All work on the calling thread. */
    final Jpkl jpkl1;
    /** The calling thread and one pool thread: the library's default on this 2-core machine. */
    final Jpkl jpkl2;
    final WriteOptions writeOptions;
    final PlaneSpec planeSpec = new PlaneSpec(DType.UINT8, H, W, ChannelLayout.GREY);
    final NdArray peerStack;
    final Path peerRaw;
    final Path peerFile;
    /** Encoded bytes of each slice of {@link #peerFile}, by slice number. */
    final byte[][] encoded;
    private final Map<String, Path> files = new HashMap<>();

    Fixtures(Path work, String codecId, Map<String, String> codecParams) throws IOException {
        this.work = work;
        this.codecId = codecId;
        this.codecParams = new LinkedHashMap<>(codecParams);
        this.jpkl1 = Jpkl.builder().parallelism(1).build();
        this.jpkl2 = Jpkl.builder().parallelism(2).build();
        this.codec = jpkl1.codecs().require(codecId);
        if (!codec.availability().isAvailable()) {
            throw new IllegalStateException("codec '" + codecId + "' is not available: " + codec.availability().reason().orElse(""));
        }
        this.writeOptions = WriteOptions.builder().codec(codecId).params(codecParams).build();
        byte[] stack = SyntheticPlanes.jpklStack(SEED, SIGMA, H, W, PEER_SLICES);
        this.peerStack = NdArray.wrapUint8(stack, PEER_SHAPE);
        this.peerRaw = work.resolve("peer-stack.u8");
        Files.write(peerRaw, stack);
        this.peerFile = work.resolve("peer.jpkl");
        jpkl2.save(peerStack, peerFile, writeOptions);
        this.encoded = new byte[PEER_SLICES][];
        try (JpklArray a = jpkl1.open(peerFile)) {
            for (int n = 0; n < PEER_SLICES; n++) {
                ByteBuffer b = a.readEncodedSlice(n);
                encoded[n] = new byte[b.remaining()];
                b.get(encoded[n]);
            }
        }
    }

    /** The index expression of one whole plane of the peer stack, e.g. {@code ":, :, 3, 7, 1"}. */
    static String peerSliceExpression(long sliceNumber) {
        return ":, :, " + sliceNumber / 40 + ", " + sliceNumber / 4 % 10 + ", " + sliceNumber % 4;
    }

    /** {@link #writeCopies}, once per run: later calls return the file already written. */
    Path file(String name, int[] shape, byte[][] planes) throws IOException {
        Path file = files.get(name);
        if (file == null) {
            file = writeCopies(name, shape, planes);
            files.put(name, file);
        }
        return file;
    }

    /** Writes one file into the work folder. */
    interface FileMaker {
        /** Writes {@code file}. */
        void write(Path file) throws IOException;
    }

    /** A file made by {@code maker} the first time it is asked for; later calls (e.g. the measured pass after the warm-up) reuse it. */
    Path file(String name, FileMaker maker) throws IOException {
        Path file = files.get(name);
        if (file == null) {
            file = work.resolve(name);
            maker.write(file);
            files.put(name, file);
        }
        return file;
    }

    /** Writes a container of {@code sliceCount} copies of already-encoded planes (slice n gets {@code planes[n % planes.length]}). */
    Path writeCopies(String name, int[] shape, byte[][] planes) throws IOException {
        Path file = work.resolve(name);
        try (JpklWriter w = jpkl1.newWriter(file, DType.UINT8, shape, writeOptions)) {
            long count = w.header().sliceCount();
            for (long n = 0; n < count; n++) {
                w.writeEncoded(n, ByteBuffer.wrap(planes[(int) (n % planes.length)]));
            }
            w.commit();
        }
        return file;
    }

    long encodedBytes() {
        long total = 0;
        for (byte[] e : encoded) {
            total += e.length;
        }
        return total;
    }
}
