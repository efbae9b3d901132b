package org.jpkl.jpeg;

import java.io.IOException;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceEncoder;

/**
 * Encodes planes of one spec to JPEG slices with one reused 8-bit engine ({@link LevelCompressor}:
 * ImageIO or TurboJPEG). uint8 samples go to the engine as they are; other dtypes are mapped to levels
 * first ({@link LevelMapping}) and the mapping is inserted as an APP9 segment after the JFIF APP0
 * segment. The slice format is the same whichever engine runs.
 *
 * <p>Thread safety: not thread-safe; one encoder per thread.
 */
final class JpegEncoder implements SliceEncoder {
    /** Bytes {@link JpegStructure#insertionPoint} looks at: SOI and the APP0 marker and length. */
    private static final int HEAD = 6;

    private final PlaneSpec spec;
    private final JpegParams params;
    private final LevelCompressor compressor;
    /** The container's tables when slices are abbreviated streams ({@code tables=shared}), else null. */
    private final JpegTables shared;
    /** The container's header when slices are scan data ({@code tables=header}), else null. */
    private final JpegHeader header;
    private final byte[] head = new byte[HEAD];
    private boolean closed;

    JpegEncoder(LevelCompressor compressor, JpegParams params, PlaneSpec spec) {
        this.compressor = compressor;
        this.params = params;
        this.spec = spec;
        this.shared = params.tables() == JpegParams.Tables.SHARED
                ? JpegTables.standard(params.quality(), spec.channels().samplesPerPixel()) : null;
        this.header = params.tables() == JpegParams.Tables.HEADER ? JpegHeader.of(spec, params) : null;
    }

    @Override
    public byte[] encode(PlaneBuffer plane) throws IOException {
        if (closed) {
            throw new IllegalStateException("encoder is closed");
        }
        if (!plane.spec().equals(spec)) {
            throw new IllegalArgumentException("plane is " + plane.spec() + ", but this encoder is for " + spec);
        }
        LevelMapping mapping = null;
        int size;
        if (spec.dtype() == DType.UINT8) {
            size = compressor.compress(plane.bytes(), plane.offset());
        } else {
            mapping = LevelMapping.forPlane(plane, params);
            byte[] levels = compressor.levels();
            mapping.toLevels(plane, levels);
            size = compressor.compress(levels, 0);
        }
        if (mapping == null) {
            byte[] out = new byte[size];
            compressor.copyStream(0, out, 0, size);
            return stored(out);
        }
        int headLength = Math.min(HEAD, size);
        compressor.copyStream(0, head, 0, headLength);
        int at = JpegStructure.insertionPoint(head, headLength, size);
        byte[] out = new byte[size + LevelMapping.SEGMENT_LENGTH];
        compressor.copyStream(0, out, 0, at);
        mapping.writeSegment(out, at);
        compressor.copyStream(at, out, at + LevelMapping.SEGMENT_LENGTH, size - at);
        return stored(out);
    }

    /** What is stored of the complete stream {@code out}: all of it, or without the shared tables or header. */
    private byte[] stored(byte[] out) throws IOException {
        return shared != null ? shared.abbreviate(out) : header != null ? header.strip(out) : out;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            compressor.close();
        }
    }
}
