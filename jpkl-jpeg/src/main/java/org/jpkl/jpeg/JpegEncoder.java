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
    /**
     * The header of the library's streams when slices are scan data ({@code tables=header}), else null;
     * with the standard Huffman tables, which the libraries code with.
     */
    private final JpegHeader header;
    /** The container's own Huffman tables ({@code huffman} bound to tables), else null. */
    private final JpegHuffman huffman;
    /** Re-codes scans from the standard tables to {@link #huffman}, when that is not null. */
    private final JpegScanTranscoder transcoder;
    /** The standard tables, the libraries', when {@link #huffman} or {@link #arithmetic} is not null. */
    private final JpegHuffman standard;
    /** Re-codes scans from the standard Huffman tables to arithmetic coding ({@code coding=arithmetic}), else null. */
    private final JpegArithmetic arithmetic;
    private final byte[] head = new byte[HEAD];
    private boolean closed;

    JpegEncoder(LevelCompressor compressor, JpegParams params, PlaneSpec spec) {
        this.compressor = compressor;
        this.params = params;
        this.spec = spec;
        this.shared = params.tables() == JpegParams.Tables.SHARED
                ? JpegTables.standard(params.quality(), spec.channels().samplesPerPixel()) : null;
        this.header = params.tables() == JpegParams.Tables.HEADER
                ? JpegHeader.of(spec, params.withHuffman(JpegParams.Huffman.standard()).withCoding(JpegParams.Coding.HUFFMAN)) : null;
        this.huffman = params.huffman().jpegHuffman();
        boolean arithmeticCoding = params.coding() == JpegParams.Coding.ARITHMETIC;
        if (huffman != null || arithmeticCoding) {
            JpegHeader.of(spec, params); // refuses tables that cannot code this plane's components
            int components = spec.channels().samplesPerPixel();
            this.standard = JpegHuffman.standard(components);
            this.transcoder = new JpegScanTranscoder(spec.width(), spec.height(), components,
                    params.subsampling() == JpegParams.Subsampling.S420);
        } else {
            this.standard = null;
            this.transcoder = null;
        }
        this.arithmetic = arithmeticCoding ? new JpegArithmetic(transcoder) : null;
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

    /**
     * What is stored of the complete stream {@code out}: all of it, or without the shared tables or
     * header, the scan re-coded with the container's Huffman tables if it has its own, or arithmetic-coded.
     */
    private byte[] stored(byte[] out) throws IOException {
        if (shared != null) {
            return shared.abbreviate(out);
        }
        if (header == null) {
            return out;
        }
        byte[] slice = header.strip(out);
        if (arithmetic != null) {
            return arithmetic.encode(slice, header.prefixLength(), standard);
        }
        return huffman == null ? slice : transcoder.transcode(slice, header.prefixLength(), standard, huffman);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            compressor.close();
        }
    }
}
