package org.jpkl.png;

import ar.com.hjg.pngj.FilterType;
import ar.com.hjg.pngj.ImageInfo;
import ar.com.hjg.pngj.PngWriter;
import ar.com.hjg.pngj.PngjException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceEncoder;

/**
 * Writes a plane as a standard non-interlaced PNG (signature, IHDR, IDAT chunks, IEND) with PNGJ,
 * rows taken straight from the plane's array.
 *
 * <p>Thread safety: not thread-safe; one per thread. Reuses its output buffer.
 */
final class PngPlaneEncoder implements SliceEncoder {
    private final PlaneSpec spec;
    private final ImageInfo info;
    private final int level;
    private final FilterType filterType;
    private final PngRowLine line;
    private final ByteArrayOutputStream out;
    private boolean closed;

    PngPlaneEncoder(PlaneSpec spec, int level, PngFilter filter) {
        this.spec = spec;
        this.info = new ImageInfo(spec.width(), spec.height(), PngCodec.bitDepth(spec.dtype()), false,
                spec.channels() == ChannelLayout.GREY, false);
        this.level = level;
        this.filterType = filterType(filter);
        this.line = new PngRowLine(spec.width() * spec.channels().samplesPerPixel());
        this.out = new ByteArrayOutputStream(Math.max(1024, (int) Math.min(1 << 20, spec.byteSize() / 2)));
    }

    private static FilterType filterType(PngFilter filter) {
        switch (filter) {
            case NONE:
                return FilterType.FILTER_NONE;
            case SUB:
                return FilterType.FILTER_SUB;
            case UP:
                return FilterType.FILTER_UP;
            case AVERAGE:
                return FilterType.FILTER_AVERAGE;
            case PAETH:
                return FilterType.FILTER_PAETH;
            default:
                return FilterType.FILTER_ADAPTIVE_FAST;
        }
    }

    @Override
    public byte[] encode(PlaneBuffer plane) throws IOException {
        if (closed) {
            throw new IllegalStateException("encoder is closed");
        }
        if (!plane.spec().equals(spec)) {
            throw new IllegalArgumentException("plane is " + plane.spec() + ", encoder is for " + spec);
        }
        out.reset();
        PngWriter writer = new PngWriter(out, info);
        try {
            writer.setCompLevel(level);
            writer.setFilterType(filterType);
            for (int y = 0; y < spec.height(); y++) {
                line.select(plane, y);
                writer.writeRow(line, y);
            }
            writer.end();
        } catch (PngjException e) {
            throw new IOException("PNGJ failed to write a " + spec + " plane: " + e.getMessage(), e);
        } finally {
            writer.close();
            line.select(null, 0);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        closed = true;
    }
}
