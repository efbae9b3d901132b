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
    /** The container's tables when slices are abbreviated streams ({@code tables=shared}), else null. */
    private final JpegTables shared;
    /** The complete stream of the last abbreviated slice; grown as needed. */
    private byte[] completed;
    private byte[] levels;
    private Object valueTable;
    private boolean closed;

    /** The container's header when slices are scan data ({@code tables=header}), else null. */
    private final JpegHeader header;
    /** The arithmetic decoder when slices are arithmetic-coded ({@code coding=arithmetic}), else null. */
    private final JpegArithmetic arithmetic;
    /** With {@link #arithmetic}: the header of the Huffman-coded twin (standard tables), which the engine decodes. */
    private final JpegHeader huffmanHeader;
    private final JpegHuffman standard;
    /** The last slice's bytes, for re-coding; grown as needed. */
    private byte[] sliceBytes = new byte[0];

    /**
     * @param shared the container's tables when slices are abbreviated ({@code tables=shared}), else null
     * @param header the container's header when slices are scan data ({@code tables=header}), else null
     */
    JpegDecoder(LevelDecompressor decompressor, PlaneSpec spec, JpegTables shared, JpegHeader header) {
        this(decompressor, spec, shared, header, null, null);
    }

    /**
     * A decoder of {@code coding=arithmetic} slices (or, with {@code arithmetic} null, as the four-argument
     * form): each scan is decoded and checked in Java ({@link JpegArithmetic}), re-coded with the standard
     * Huffman tables, and the engine decodes that Huffman-coded twin (the rebuilt SOF9 stream is what other
     * readers decode; the engines' own arithmetic decoding is slower than this once Java has decoded the
     * coefficients for the check, JpegArithmeticTest.decodeSpeedIsPrinted).
     *
     * @param arithmetic the arithmetic decoder of the plane's scans
     * @param huffmanHeader the header of the Huffman-coded twin (standard tables)
     */
    JpegDecoder(LevelDecompressor decompressor, PlaneSpec spec, JpegTables shared, JpegHeader header, JpegArithmetic arithmetic,
            JpegHeader huffmanHeader) {
        this.decompressor = decompressor;
        this.spec = spec;
        this.shared = shared;
        this.header = header;
        this.arithmetic = arithmetic;
        this.huffmanHeader = huffmanHeader;
        this.standard = huffmanHeader == null ? null : JpegHuffman.standard(spec.channels().samplesPerPixel());
    }

    /** A {@link JpklFormatException} for damaged or unexpected slice data. */
    static JpklFormatException badData(String detail) {
        return new JpklFormatException(JpegCodec.ID, "slice data", detail);
    }

    /** A {@link JpklFormatException} for damaged or unexpected slice data, with the library's exception. */
    static JpklFormatException badData(String detail, Throwable cause) {
        return new JpklFormatException(JpegCodec.ID, "slice data", detail, cause);
    }

    /**
     * The engine's input buffer when slices are complete streams ({@code tables=inline}): TurboJPEG
     * then reads the bytes where the container read them. Abbreviated slices are spliced into a
     * complete stream anyway, so they get a heap buffer.
     */
    @Override
    public ByteBuffer inputBuffer(int length) {
        return shared == null && header == null ? decompressor.inputBuffer(length) : ByteBuffer.allocate(length);
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
        if (header != null) {
            int n = header.completeLength(data.limit());
            header.rebuild(data, completed(n));
            if (arithmetic != null) {
                int length = data.limit();
                if (sliceBytes.length != length) {
                    sliceBytes = new byte[length];
                }
                data.get(0, sliceBytes);
                byte[] huffman = arithmetic.toHuffman(sliceBytes, header.prefixLength(), standard);
                n = huffmanHeader.completeLength(huffman.length);
                huffmanHeader.rebuild(ByteBuffer.wrap(huffman), completed(n));
            }
            data = ByteBuffer.wrap(completed, 0, n).slice();
        }
        JpegStructure structure = JpegStructure.scan(data);
        check(structure);
        ByteBuffer stream = header != null ? data : completeStream(data, structure);
        if (spec.dtype() == DType.UINT8) {
            if (structure.mappingOffset >= 0) {
                throw badData("JPEG slice has an 8-bit mapping segment (APP9 JPKL), so it holds mapped non-uint8 samples;"
                        + " expected uint8");
            }
            decompressor.decompress(stream, destination.bytes(), destination.offset());
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
        decompressor.decompress(stream, levels, 0);
        mapping.toValues(levels, 0, destination, valueTable);
    }

    /**
     * The complete stream to decode: {@code data} itself when slices carry their tables (refused if it
     * lacks them), else {@code data} with the container's tables spliced in.
     */
    private ByteBuffer completeStream(ByteBuffer data, JpegStructure s) throws JpklFormatException {
        if (shared == null) {
            if (s.quantSegments == 0 || s.huffmanSegments == 0) {
                throw badData("JPEG slice has " + s.quantSegments + " DQT and " + s.huffmanSegments + " DHT segments: it is an"
                        + " abbreviated stream without its tables, which only a container with tables=shared holds");
            }
            return data;
        }
        int n = data.limit() + shared.length();
        shared.complete(data, s, completed(n));
        return ByteBuffer.wrap(completed, 0, n).slice();
    }

    /** {@link #completed}, grown to hold at least {@code n} bytes. */
    private byte[] completed(int n) {
        if (completed == null || completed.length < n) {
            completed = new byte[Math.max(n, completed == null ? 0 : (int) Math.min(Integer.MAX_VALUE - 8, 2L * completed.length))];
        }
        return completed;
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
