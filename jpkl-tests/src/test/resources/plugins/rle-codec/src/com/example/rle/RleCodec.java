package com.example.rle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ParamType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.TypedParams;

/**
 * An example third-party codec, built outside the library: lossless run-length coding of samples
 * (PackBits at sample granularity). It suits label images and masks (large regions of one value),
 * not noisy camera data. Every dtype (floats by their bit patterns, so NaN payloads survive), grey
 * and RGB.
 *
 * <p>Stream: a 16-byte little-endian header (magic {@code RLE1}, height, width, samples per pixel,
 * bytes per sample, two zero bytes), then tokens: a control byte {@code c < 128} followed by
 * {@code c + 1} literal samples, or {@code c >= 128} followed by one sample repeated
 * {@code c - 126} times (2 to 129). Samples are little-endian, interleaved as in the plane.
 *
 * <p>Thread safety: stateless and thread-safe; encoders and decoders are one per thread.
 */
public final class RleCodec implements SliceCodec {
    /** The id stored in files; never changes. */
    public static final String ID = "example-rle";
    private static final int MAGIC = 0x31454C52;
    private static final int HEADER_BYTES = 16;
    private static final int MAX_LITERAL = 128;
    private static final int MAX_RUN = 129;
    private static final String MIN_RUN = "min-run";

    private static final CodecCapabilities CAPABILITIES = CodecCapabilities.builder()
            .lossless(true)
            .dtypes(DType.values())
            .channels(ChannelLayout.values())
            // Declared once: type, default and description; params(Map) (SliceCodec's default), the
            // messages and 'jpkl codecs' all come from this line.
            .param(MIN_RUN, ParamType.integer(2, MAX_RUN), "3", "shortest run of equal samples stored as a run"
                    + " (shorter runs stay literal; a run token costs one control byte plus one sample)")
            .description("example third-party codec: run-length coding of samples, lossless; for labels and masks")
            .build();

    /** Public for {@link java.util.ServiceLoader}; does no work. */
    public RleCodec() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CodecCapabilities capabilities() {
        return CAPABILITIES;
    }

    private static TypedParams check(CodecParams params, PlaneSpec spec) {
        TypedParams p = CodecParams.requireOwn(ID, TypedParams.class, params);
        CAPABILITIES.requireSupported(ID, spec);
        return p;
    }

    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        TypedParams p = check(params, spec);
        // Every token covers at least one sample and costs one control byte plus at most one
        // sample per sample it covers.
        long worst = HEADER_BYTES + spec.byteSize() + spec.sampleCount();
        if (worst > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("codec '" + ID + "': plane " + spec + " may need " + worst
                    + " bytes encoded, more than one array holds");
        }
        return new Encoder(spec, p.intValue(MIN_RUN), (int) worst);
    }

    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        check(params, spec);
        return new Decoder(spec);
    }

    /** The sample at {@code i} as its bit pattern (unsigned, zero-extended). */
    static long sample(PlaneBuffer plane, int i) {
        int at = plane.offset() + i;
        switch (plane.spec().dtype()) {
            case UINT8:
                return plane.bytes()[at] & 0xFFL;
            case UINT16:
            case INT16:
                return plane.shorts()[at] & 0xFFFFL;
            case INT32:
                return plane.ints()[at] & 0xFFFFFFFFL;
            case FLOAT32:
                return Float.floatToRawIntBits(plane.floats()[at]) & 0xFFFFFFFFL;
            default:
                return Double.doubleToRawLongBits(plane.doubles()[at]);
        }
    }

    /** Stores a bit pattern as the sample at {@code i}. */
    static void store(PlaneBuffer plane, int i, long bits) {
        int at = plane.offset() + i;
        switch (plane.spec().dtype()) {
            case UINT8:
                plane.bytes()[at] = (byte) bits;
                break;
            case UINT16:
            case INT16:
                plane.shorts()[at] = (short) bits;
                break;
            case INT32:
                plane.ints()[at] = (int) bits;
                break;
            case FLOAT32:
                plane.floats()[at] = Float.intBitsToFloat((int) bits);
                break;
            default:
                plane.doubles()[at] = Double.longBitsToDouble(bits);
                break;
        }
    }

    /** Reusable: keeps one output array of the worst-case size. Not thread-safe. */
    private static final class Encoder implements SliceEncoder {
        private final PlaneSpec spec;
        private final int minRun;
        private final int bytesPerSample;
        private final byte[] out;
        private int length;

        Encoder(PlaneSpec spec, int minRun, int worstCase) {
            this.spec = spec;
            this.minRun = minRun;
            this.bytesPerSample = spec.dtype().byteSize();
            this.out = new byte[worstCase];
        }

        @Override
        public byte[] encode(PlaneBuffer plane) {
            if (!plane.spec().equals(spec)) {
                throw new IllegalArgumentException("plane is " + plane.spec() + "; this encoder is for " + spec);
            }
            ByteBuffer header = ByteBuffer.wrap(out, 0, HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(MAGIC).putInt(spec.height()).putInt(spec.width())
                    .put((byte) spec.channels().samplesPerPixel()).put((byte) bytesPerSample).putShort((short) 0);
            length = HEADER_BYTES;
            int n = spec.sampleCount();
            int literalStart = 0;
            int i = 0;
            while (i < n) {
                long value = sample(plane, i);
                int run = 1;
                while (i + run < n && run < MAX_RUN && sample(plane, i + run) == value) {
                    run++;
                }
                if (run >= minRun) {
                    writeLiterals(plane, literalStart, i);
                    out[length++] = (byte) (run + 126);
                    writeSample(value);
                    literalStart = i + run;
                }
                i += run;
            }
            writeLiterals(plane, literalStart, n);
            return Arrays.copyOf(out, length);
        }

        private void writeLiterals(PlaneBuffer plane, int from, int to) {
            while (from < to) {
                int count = Math.min(MAX_LITERAL, to - from);
                out[length++] = (byte) (count - 1);
                for (int k = 0; k < count; k++) {
                    writeSample(sample(plane, from + k));
                }
                from += count;
            }
        }

        private void writeSample(long bits) {
            for (int b = 0; b < bytesPerSample; b++) {
                out[length++] = (byte) (bits >>> (8 * b));
            }
        }

        @Override
        public void close() {
        }
    }

    /**
     * Checks the header against the expected plane before anything else, and every token against
     * the plane's size and the bytes left; allocates nothing sized by the stream.
     */
    private static final class Decoder implements SliceDecoder {
        private final PlaneSpec spec;
        private final int bytesPerSample;

        Decoder(PlaneSpec spec) {
            this.spec = spec;
            this.bytesPerSample = spec.dtype().byteSize();
        }

        private static JpklFormatException bad(String detail) {
            return new JpklFormatException(ID, "slice data", detail);
        }

        @Override
        public void decode(ByteBuffer encoded, PlaneBuffer destination) throws JpklFormatException {
            if (!destination.spec().equals(spec)) {
                throw new IllegalArgumentException("destination is " + destination.spec() + "; this decoder is for " + spec);
            }
            ByteBuffer in = encoded.slice().order(ByteOrder.LITTLE_ENDIAN);
            if (in.remaining() < HEADER_BYTES) {
                throw bad(in.remaining() + " bytes; the header alone needs " + HEADER_BYTES);
            }
            if (in.getInt() != MAGIC) {
                throw bad("no RLE1 magic: not an " + ID + " stream");
            }
            int height = in.getInt();
            int width = in.getInt();
            int samplesPerPixel = in.get();
            int sampleBytes = in.get();
            int reserved = in.getShort();
            if (height != spec.height() || width != spec.width() || samplesPerPixel != spec.channels().samplesPerPixel()
                    || sampleBytes != bytesPerSample || reserved != 0) {
                throw bad("stream holds " + height + " x " + width + " x " + samplesPerPixel + " samples of " + sampleBytes
                        + " bytes; expected a " + spec + " plane");
            }
            int n = spec.sampleCount();
            int filled = 0;
            while (filled < n) {
                if (!in.hasRemaining()) {
                    throw bad("truncated after " + filled + " of " + n + " samples");
                }
                int control = in.get() & 0xFF;
                boolean literal = control < 128;
                int count = literal ? control + 1 : control - 126;
                if (count > n - filled) {
                    throw bad("a run of " + count + " samples at sample " + filled + " overruns the plane's " + n);
                }
                long needed = (long) (literal ? count : 1) * bytesPerSample;
                if (in.remaining() < needed) {
                    throw bad("truncated at sample " + filled + ": " + needed + " bytes needed, " + in.remaining() + " left");
                }
                if (literal) {
                    for (int k = 0; k < count; k++) {
                        store(destination, filled++, readSample(in));
                    }
                } else {
                    long value = readSample(in);
                    for (int k = 0; k < count; k++) {
                        store(destination, filled++, value);
                    }
                }
            }
            if (in.hasRemaining()) {
                throw bad(in.remaining() + " unexpected bytes after the last sample");
            }
        }

        private long readSample(ByteBuffer in) {
            long bits = 0;
            for (int b = 0; b < bytesPerSample; b++) {
                bits |= (in.get() & 0xFFL) << (8 * b);
            }
            return bits;
        }

        @Override
        public void close() {
        }
    }
}
