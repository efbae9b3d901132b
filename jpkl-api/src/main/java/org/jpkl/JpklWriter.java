package org.jpkl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jpkl.api.KeySpace;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ContainerHeader;
import org.jpkl.api.spi.ContainerWriter;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceEncoder;

/**
 * Writes a container plane by plane (from a loop, a file reader, a camera): each plane is encoded
 * and appended at once, so memory stays bounded by one plane whatever the array's size. Planes may
 * come in any order, each exactly once. {@link #commit()} writes the index and publishes the file
 * atomically; {@link #close()} without a commit discards everything.
 *
 * <p>Thread safety: not thread-safe; write from one thread.
 */
public final class JpklWriter implements AutoCloseable {
    private final ContainerWriter container;
    private final SliceEncoder encoder;
    private final SliceCodec codec;
    private final PlaneSpec spec;
    private final KeySpace keys;

    JpklWriter(ContainerWriter container, SliceCodec codec, CodecParams params) throws IOException {
        this.container = container;
        this.codec = codec;
        ContainerHeader h = container.header();
        this.spec = h.planeSpec();
        this.keys = h.keySpace();
        SliceEncoder e;
        try {
            e = codec.newEncoder(params, spec);
        } catch (RuntimeException ex) {
            container.close();
            throw ex;
        }
        this.encoder = e;
    }

    /** The header being written (shape, dtype, layout, names, codec and parameters, metadata). */
    public ContainerHeader header() {
        return container.header();
    }

    /** The key axes and slice numbering of the array being written. */
    public KeySpace keySpace() {
        return keys;
    }

    /**
     * Encodes and writes the plane with slice number {@code sliceNumber}.
     *
     * @throws IllegalArgumentException if the plane's spec differs from the array's
     * @throws IllegalStateException if this slice was already written or the writer is finished
     */
    public void write(long sliceNumber, PlaneBuffer plane) throws IOException {
        if (!plane.spec().equals(spec)) {
            throw new IllegalArgumentException("plane is " + plane.spec() + "; this array's planes are " + spec);
        }
        byte[] bytes;
        try {
            bytes = encoder.encode(plane);
        } catch (IOException e) {
            throw new IOException("codec '" + codec.id() + "' failed to encode slice " + keys.describe(sliceNumber)
                    + ": " + e.getMessage(), e);
        }
        container.writeSlice(sliceNumber, ByteBuffer.wrap(bytes));
    }

    /**
     * Encodes and writes the plane at a key tuple; {@code plane} has shape {@code [h, w]} or
     * {@code [h, w, 3]} and the array's dtype.
     */
    public void write(int[] key, NdArray plane) throws IOException {
        long n = keys.sliceNumber(key);
        if (plane.dtype() != spec.dtype() || !Arrays.equals(plane.shape(), spec.shape())) {
            throw new IllegalArgumentException("plane is " + plane + "; this array's planes are " + spec.dtype()
                    + " of shape " + Arrays.toString(spec.shape()));
        }
        PlaneBuffer buffer = PlaneBuffer.allocate(spec);
        plane.copyPlane(org.jpkl.api.PlaneLayout.jpkl(spec.channels() != org.jpkl.api.ChannelLayout.GREY), 0, buffer);
        write(n, buffer);
    }

    /** Writes the index and footer and publishes the file atomically. */
    public void commit() throws IOException {
        container.commit();
    }

    /** Releases the encoder; without a prior commit, discards the partial file. Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            encoder.close();
        } finally {
            container.close();
        }
    }
}
