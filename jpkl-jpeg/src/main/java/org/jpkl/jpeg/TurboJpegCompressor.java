package org.jpkl.jpeg;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneSpec;

/**
 * The TurboJPEG engine for encoding: {@code tjCompress2} on one TurboJPEG handle, from one native
 * sample buffer into one native stream buffer of {@code tjBufSize()} bytes (TJFLAG_NOREALLOC), both
 * allocated on the first plane and reused. Samples are copied in with one region copy; the stream is
 * copied out by {@link #copyStream}.
 *
 * <p>Same format as {@link ImageIoCompressor}: quality is the IJG quality ({@code jpeg_set_quality}
 * with baseline tables, as libjpeg, ImageIO and Pillow use), the accurate integer DCT
 * (TJFLAG_ACCURATEDCT), standard Huffman tables, a JFIF APP0 segment, RGB stored as YCbCr 4:2:0 or
 * 4:4:4, grey as one component. Every stream is checked with the decoder's header rules
 * ({@link JpegStructure}) before it is returned, so an environment that changes TurboJPEG's output
 * (e.g. {@code TJ_ARITHMETIC=1}) gives an error instead of slices this codec cannot read.
 *
 * <p>Thread safety: not thread-safe; one per encoder.
 */
final class TurboJpegCompressor implements LevelCompressor {
    private final PlaneSpec spec;
    private final int sampleCount;
    private final int pixelFormat;
    private final int subsampling;
    private final int quality;
    private final Pointer handle;
    private final PointerByReference streamRef = new PointerByReference();
    private final NativeLongByReference sizeRef = new NativeLongByReference();
    private Memory samples;
    private Memory stream;
    private byte[] levels;
    private boolean closed;

    /** @throws IllegalStateException if TurboJPEG is unavailable or gives no compressor handle */
    TurboJpegCompressor(JpegParams params, PlaneSpec spec) {
        TurboJpeg.requireAvailable();
        this.spec = spec;
        this.sampleCount = spec.sampleCount();
        boolean grey = spec.channels() == ChannelLayout.GREY;
        this.pixelFormat = grey ? TurboJpeg.PF_GRAY : TurboJpeg.PF_RGB;
        this.subsampling = grey ? TurboJpeg.SAMP_GRAY
                : params.subsampling() == JpegParams.Subsampling.S444 ? TurboJpeg.SAMP_444 : TurboJpeg.SAMP_420;
        this.quality = params.quality();
        this.handle = TurboJpeg.Binding.tjInitCompress();
        if (handle == null) {
            throw new IllegalStateException("TurboJPEG tjInitCompress failed: " + TurboJpeg.error(null));
        }
    }

    @Override
    public byte[] levels() {
        if (levels == null) {
            levels = new byte[sampleCount];
        }
        return levels;
    }

    @Override
    public int compress(byte[] source, int offset) throws IOException {
        if (samples == null) {
            samples = new Memory(Math.max(1, sampleCount));
            long capacity = TurboJpeg.Binding.tjBufSize(spec.width(), spec.height(), subsampling).longValue();
            if (capacity <= 0 || capacity > Integer.MAX_VALUE - 16) {
                throw new IOException("TurboJPEG cannot bound the JPEG size of a " + spec + " plane (tjBufSize gave " + capacity
                        + "): " + TurboJpeg.error(null));
            }
            stream = new Memory(capacity);
        }
        samples.write(0, source, offset, sampleCount);
        streamRef.setValue(stream);
        sizeRef.setValue(new NativeLong(stream.size()));
        int rc = TurboJpeg.Binding.tjCompress2(handle, samples, spec.width(), spec.width() * spec.channels().samplesPerPixel(),
                spec.height(), pixelFormat, streamRef, sizeRef, subsampling, quality,
                TurboJpeg.FLAG_NOREALLOC | TurboJpeg.FLAG_ACCURATEDCT);
        if (rc != 0) {
            throw new IOException("libjpeg-turbo (TurboJPEG) failed on a " + spec + " plane: " + TurboJpeg.error(handle));
        }
        long size = sizeRef.getValue().longValue();
        if (!stream.equals(streamRef.getValue()) || size <= 0 || size > stream.size()) {
            throw new IOException("TurboJPEG reported a " + size + "-byte stream outside its " + stream.size() + "-byte buffer");
        }
        checkReadable((int) size);
        return (int) size;
    }

    /** Checks the stream against the decoder's rules: 8-bit Huffman DCT, the plane's size and components, EOI. */
    private void checkReadable(int size) throws IOException {
        try {
            JpegStructure s = JpegStructure.scan(stream.getByteBuffer(0, size));
            int components = spec.channels().samplesPerPixel();
            if (s.width != spec.width() || s.height != spec.height() || s.components != components) {
                throw new IOException("TurboJPEG wrote a " + s.height + "x" + s.width + " frame with " + s.components
                        + " components for a " + spec + " plane");
            }
        } catch (JpklFormatException e) {
            throw new IOException("TurboJPEG wrote a stream this codec would refuse to read (" + e.getMessage()
                    + "); is an environment variable such as TJ_ARITHMETIC set?", e);
        }
    }

    @Override
    public void copyStream(int from, byte[] out, int at, int length) {
        stream.read(from, out, at, length);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            TurboJpeg.Binding.tjDestroy(handle);
            if (samples != null) {
                samples.close();
                stream.close();
            }
        }
    }
}
