package org.jpkl.deflate.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceDecoder;

/**
 * Decodes what {@link FilteredPlaneEncoder} wrote: checks the {@link PlaneHeader}, decompresses
 * into a scratch buffer of exactly the plane's size (never more, whatever the stream claims), and
 * only after the whole stream proved complete and intact unfilters into the destination.
 *
 * <p>Support for jpkl's own byte codecs ({@code deflate}, {@code zstd}), not API: it may change in any release.
 *
 * <p>Thread safety: not thread-safe; one per thread.
 */
public final class FilteredPlaneDecoder implements SliceDecoder {
    private final PlaneSpec spec;
    private final PlaneHeader header;
    private final SampleFilter filter;
    private final ByteDecompressor decompressor;
    private byte[] filtered;
    private boolean closed;

    public FilteredPlaneDecoder(PlaneSpec spec, PlaneHeader header, SampleFilter filter, ByteDecompressor decompressor) {
        this.spec = spec;
        this.header = header;
        this.filter = filter;
        this.decompressor = decompressor;
    }

    @Override
    public void decode(ByteBuffer encoded, PlaneBuffer destination) throws IOException {
        if (closed) {
            throw new IllegalStateException("decoder is closed");
        }
        if (!destination.spec().equals(spec)) {
            throw new IllegalArgumentException("destination is " + destination.spec() + ", decoder is for " + spec);
        }
        header.readAndCheck(encoded);
        if (filtered == null) {
            filtered = new byte[filter.byteSize()];
        }
        decompressor.decompress(encoded, filtered, filter.byteSize());
        filter.decode(filtered, destination);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            filtered = null;
            decompressor.close();
        }
    }
}
