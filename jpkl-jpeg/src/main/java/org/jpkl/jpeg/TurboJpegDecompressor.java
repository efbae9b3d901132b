package org.jpkl.jpeg;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneSpec;

/**
 * The TurboJPEG engine for decoding: the encoded bytes are in a reused native buffer (grown as
 * needed; the container reads them straight into it through {@link #inputBuffer}, other bytes are
 * copied in), {@code tjDecompress2} decodes them into a reused native sample buffer, and one
 * region copy moves the samples into the caller's array. The caller's array is never handed to JNA
 * (JNA would copy all of it in and out on every call). The stream's size was checked by the
 * {@link JpegDecoder} before ({@link LevelDecompressor}'s contract), so {@code tjDecompressHeader3}
 * is not called: it parsed the whole header a second time (0.7 % of the decoding time of a
 * 512 x 512 grey slice), and {@code tjDecompress2} parses it anyway.
 *
 * <p>Flags: TJFLAG_ACCURATEDCT (the accurate integer IDCT, libjpeg's default, as ImageIO and Pillow
 * use; with fancy upsampling, TurboJPEG's default, the samples equal ImageIO's) and
 * TJFLAG_STOPONWARNING, so that a truncated or corrupt stream ("Premature end of JPEG file",
 * "Corrupt JPEG data") is an error, never a partly grey plane.
 *
 * <p>Thread safety: not thread-safe; one per decoder.
 */
final class TurboJpegDecompressor implements LevelDecompressor {
    private final PlaneSpec spec;
    private final int sampleCount;
    private final int pixelFormat;
    private final Pointer handle;
    private Memory encoded;
    private Memory samples;
    private boolean closed;

    /** @throws IllegalStateException if TurboJPEG is unavailable or gives no decompressor handle */
    TurboJpegDecompressor(PlaneSpec spec) {
        TurboJpeg.requireAvailable();
        this.spec = spec;
        this.sampleCount = spec.sampleCount();
        this.pixelFormat = spec.channels() == ChannelLayout.GREY ? TurboJpeg.PF_GRAY : TurboJpeg.PF_RGB;
        this.handle = TurboJpeg.Binding.tjInitDecompress();
        if (handle == null) {
            throw new IllegalStateException("TurboJPEG tjInitDecompress failed: " + TurboJpeg.error(null));
        }
    }

    /**
     * A view of the reused native input buffer: bytes read into it are decoded in place (no copy
     * into native memory). Valid until the next call or {@link #close}.
     */
    @Override
    public ByteBuffer inputBuffer(int length) {
        return encoded(length).getByteBuffer(0, Math.max(1, length)).limit(length);
    }

    /** {@link #encoded}, grown to hold at least {@code n} bytes (its contents are then lost). */
    private Memory encoded(int n) {
        if (encoded == null || encoded.size() < n) {
            if (encoded != null) {
                encoded.close();
            }
            encoded = new Memory(Math.max(n, encoded == null ? 1 : Math.min(Integer.MAX_VALUE, 2 * encoded.size())));
        }
        return encoded;
    }

    @Override
    public void decompress(ByteBuffer data, byte[] out, int offset) throws JpklFormatException {
        int n = data.limit();
        Pointer input;
        if (isInputBuffer(data, n)) {
            input = encoded; // read into {@link #inputBuffer}: decoded in place
        } else {
            ByteBuffer from = data.duplicate();
            from.limit(n).position(0);
            encoded(n).getByteBuffer(0, n).put(from);
            input = encoded;
        }
        NativeLong length = new NativeLong(n);
        if (samples == null) {
            samples = new Memory(Math.max(1, sampleCount));
        }
        if (TurboJpeg.Binding.tjDecompress2(handle, input, length, samples, spec.width(),
                spec.width() * spec.channels().samplesPerPixel(), spec.height(), pixelFormat,
                TurboJpeg.FLAG_ACCURATEDCT | TurboJpeg.FLAG_STOPONWARNING) != 0) {
            throw failure();
        }
        samples.read(0, out, offset, sampleCount);
    }

    /**
     * Whether {@code data}'s index 0 is the start of {@link #encoded} and its {@code n} bytes lie in
     * it. Only this decoder's own buffer is read in place: another direct buffer (a file mapping that
     * another process may truncate) is copied, as heap buffers are.
     */
    private boolean isInputBuffer(ByteBuffer data, int n) {
        return data.isDirect() && encoded != null && n <= encoded.size()
                && Pointer.nativeValue(Native.getDirectBufferPointer(data)) == Pointer.nativeValue(encoded);
    }

    private JpklFormatException failure() {
        boolean warning = TurboJpeg.wasWarning(handle);
        return JpegDecoder.badData("libjpeg-turbo (TurboJPEG) " + (warning ? "warned: " : "failed: ") + TurboJpeg.error(handle)
                + "; the slice is damaged or truncated");
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            TurboJpeg.Binding.tjDestroy(handle);
            if (encoded != null) {
                encoded.close();
            }
            if (samples != null) {
                samples.close();
            }
        }
    }
}
