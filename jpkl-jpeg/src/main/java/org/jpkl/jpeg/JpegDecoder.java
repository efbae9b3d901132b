package org.jpkl.jpeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceDecoder;

/**
 * Decodes JPEG slices of one spec with one reused 8-bit engine ({@link LevelDecompressor}: ImageIO
 * or TurboJPEG): uint8 samples straight into the caller's buffer, other dtypes into a reused level
 * array that is then mapped back ({@link LevelMapping}).
 *
 * <p>Before the engine runs, whichever it is, the stream's header is walked ({@link JpegStructure})
 * and its size, component count and mapping segment are checked against the expected spec, so a
 * lying stream is refused before anything is allocated. Engine warnings (truncated or corrupt data)
 * are errors: damaged data never comes back as a partly grey plane.
 *
 * <p>Thread safety: not thread-safe; one decoder per thread.
 */
final class JpegDecoder implements SliceDecoder {
    private final PlaneSpec spec;
    private final LevelDecompressor decompressor;
    private byte[] levels;
    private Object valueTable;
    private boolean closed;

    JpegDecoder(LevelDecompressor decompressor, PlaneSpec spec) {
        this.decompressor = decompressor;
        this.spec = spec;
    }

    /** A {@link JpklFormatException} for damaged or unexpected slice data. */
    static JpklFormatException badData(String detail) {
        return new JpklFormatException(JpegCodec.ID, "slice data", detail);
    }

    /** A {@link JpklFormatException} for damaged or unexpected slice data, with the library's exception. */
    static JpklFormatException badData(String detail, Throwable cause) {
        return new JpklFormatException(JpegCodec.ID, "slice data", detail, cause);
    }

    @Override
    public void decode(ByteBuffer encoded, PlaneBuffer destination) throws IOException {
        if (closed) {
            throw new IllegalStateException("decoder is closed");
        }
        if (!destination.spec().equals(spec)) {
            throw new IllegalArgumentException("destination is " + destination.spec() + ", but this decoder is for " + spec);
        }
        ByteBuffer data = encoded.slice();
        JpegStructure structure = JpegStructure.scan(data);
        check(structure);
        if (spec.dtype() == DType.UINT8) {
            if (structure.mappingOffset >= 0) {
                throw badData("JPEG slice has an 8-bit mapping segment (APP9 JPKL), so it holds mapped non-uint8 samples;"
                        + " expected uint8");
            }
            decompressor.decompress(data, destination.bytes(), destination.offset());
            return;
        }
        if (structure.mappingOffset < 0) {
            throw badData("JPEG slice has no 8-bit mapping segment (APP9 JPKL), which a " + spec.dtype()
                    + " slice needs; it holds plain 8-bit samples");
        }
        LevelMapping mapping = LevelMapping.readPayload(data, structure.mappingOffset, structure.mappingLength, spec.dtype());
        if (levels == null) {
            levels = new byte[spec.sampleCount()];
            valueTable = LevelMapping.newTable(spec.dtype());
        }
        decompressor.decompress(data, levels, 0);
        mapping.toValues(levels, 0, destination, valueTable);
    }

    private void check(JpegStructure s) throws JpklFormatException {
        int expectedComponents = spec.channels() == ChannelLayout.RGB ? 3 : 1;
        if (s.width != spec.width() || s.height != spec.height() || s.components != expectedComponents) {
            throw badData("JPEG frame is " + s.height + "x" + s.width + " with " + s.components + " component"
                    + (s.components == 1 ? "" : "s") + "; expected " + spec.height() + "x" + spec.width() + " with "
                    + expectedComponents + " (" + spec + ")");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            decompressor.close();
        }
    }
}
