package org.jpkl.deflate.pipeline;

import java.io.IOException;
import java.util.Arrays;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceEncoder;

/**
 * Encodes a plane as {@link PlaneHeader} + compressed filtered bytes; the pipeline the
 * {@code deflate} and {@code zstd} codecs share, with the compression library plugged in as a {@link ByteCompressor}.
 *
 * <p>Support for jpkl's own byte codecs ({@code deflate}, {@code zstd}), not API: it may change in any release.
 *
 * <p>Thread safety: not thread-safe; one per thread. Keeps its scratch buffers between calls.
 */
public final class FilteredPlaneEncoder implements SliceEncoder {
    private final PlaneSpec spec;
    private final PlaneHeader header;
    private final SampleFilter filter;
    private final ByteCompressor compressor;
    private byte[] filtered;
    private byte[] output;
    private boolean closed;

    public FilteredPlaneEncoder(PlaneSpec spec, PlaneHeader header, SampleFilter filter, ByteCompressor compressor) {
        this.spec = spec;
        this.header = header;
        this.filter = filter;
        this.compressor = compressor;
    }

    @Override
    public byte[] encode(PlaneBuffer plane) throws IOException {
        if (closed) {
            throw new IllegalStateException("encoder is closed");
        }
        if (!plane.spec().equals(spec)) {
            throw new IllegalArgumentException("plane is " + plane.spec() + ", encoder is for " + spec);
        }
        int size = filter.byteSize();
        if (filtered == null) {
            filtered = new byte[size];
            long bound = PlaneHeader.SIZE + compressor.maxCompressedLength(size);
            if (bound > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("plane " + spec + " may compress to " + bound + " bytes, more than a Java array holds");
            }
            output = new byte[(int) bound];
        }
        filter.encode(plane, filtered);
        header.write(output);
        int length = compressor.compress(filtered, size, output, PlaneHeader.SIZE);
        return Arrays.copyOf(output, PlaneHeader.SIZE + length);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            filtered = null;
            output = null;
            compressor.close();
        }
    }
}
