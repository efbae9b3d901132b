package org.jpkl.jpeg;

import java.util.Map;
import java.util.Objects;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.Availability;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;

/**
 * The default lossy slice codec, id {@code jpeg}: each plane becomes one standard baseline JFIF JPEG
 * stream, written and read with javax.imageio (the TwelveMonkeys JPEG plugin when it is on the class
 * path, else the JDK's; {@link #implementation()} says which).
 *
 * <h2>uint8</h2>
 * Grey and RGB uint8 planes are stored as they are: the slice is a plain JPEG (grey, or YCbCr with the
 * chosen chroma {@code subsampling}), with a JFIF APP0 segment and no other metadata (no EXIF).
 * {@code quality} (0..100, default 90) is the IJG quality that libjpeg and Pillow use: the quantisation
 * tables are those of Pillow's {@code save(..., quality=q)}. The {@code window} and {@code transfer}
 * parameters do not apply: uint8 slices never carry a mapping, whatever these say.
 *
 * <h2>uint16, int16, int32, float32, float64</h2>
 * Other dtypes (grey or RGB) are mapped to the 8-bit levels 0..255, JPEG-coded, and mapped back to the
 * original dtype on decode, so values come back approximately. The mapping is stored per slice in the
 * slice itself, as an APP9 segment with identifier {@code "JPKL\0"} right after the JFIF APP0 segment
 * (28 bytes: version 1, dtype code, transfer code, LO and HI as big-endian binary64; see
 * {@code MAPPING.md}). The slice stays a standard JPEG that any viewer shows as the 8-bit levels.
 * <ul>
 *   <li>{@code window=slice} (default): [LO, HI] is each plane's own min..max, so a plane's full range
 *       is kept and a constant plane (LO == HI) round-trips exactly.</li>
 *   <li>{@code window=global}: [LO, HI] is the whole array's min..max, so every slice uses the same
 *       levels (comparable intensities across slices). {@code Jpkl.save} fixes it through
 *       {@link #bindToArray}; {@link #newEncoder} refuses an unbound {@code global} window for
 *       non-uint8 planes, because a streaming writer never sees the whole array.</li>
 *   <li>{@code window=LO:HI}: a fixed range; values below LO are stored as LO and values above HI as
 *       HI. Clipping is the purpose of this mode (e.g. to spend the 256 levels on the range that
 *       matters), so it is the one case where values are changed beyond the JPEG error.</li>
 *   <li>{@code transfer=linear} (default): level {@code q = round(255 (x - LO) / R)}, {@code R = HI - LO};
 *       decoded {@code x' = LO + q' R / 255}.</li>
 *   <li>{@code transfer=sqrt}: level {@code q = round(255 sqrt(x - LO) / sqrt(R))}; decoded
 *       {@code x' = LO + (q' sqrt(R) / 255)^2} (PYME PZF-style square-root quantisation with offset LO):
 *       steps are fine near LO and coarse near HI, following photon shot noise, whose standard deviation
 *       grows as {@code sqrt(x)}.</li>
 * </ul>
 * Decoded values are clamped to [LO, HI] and, for integer dtypes, rounded to the nearest integer.
 * NaN and infinities are refused with an {@link IllegalArgumentException} (never mapped silently).
 *
 * <h2>Error</h2>
 * Let {@code E} be the largest change JPEG makes to a level (the 8-bit JPEG error of the mapped plane;
 * it grows as quality falls and is larger in RGB planes, through chroma subsampling). For values
 * inside the window:
 * <ul>
 *   <li>linear: {@code |x' - x| <= (E + 0.5) R / 255}, plus 0.5 for integer dtypes (rounding);</li>
 *   <li>sqrt: with {@code d = (E + 0.5) sqrt(R) / 255},
 *       {@code |x' - x| <= 2 d sqrt(x - LO) + d^2}, plus 0.5 for integer dtypes: the error grows with
 *       {@code sqrt(x - LO)}, as shot noise does.</li>
 * </ul>
 * float32 adds its own rounding of the result (half an ulp).
 *
 * <p>Thread safety: thread-safe. The ImageIO providers are looked up once, on first use (never in the
 * constructor); encoders and decoders are one per thread.
 */
public final class JpegCodec implements SliceCodec {
    /** The codec id stored in files. */
    public static final String ID = "jpeg";

    private static final CodecCapabilities CAPABILITIES = CodecCapabilities.builder()
            .lossless(false)
            .dtypes(DType.values())
            .channels(ChannelLayout.GREY, ChannelLayout.RGB)
            .param("quality", Integer.toString(JpegParams.DEFAULT_QUALITY), "integer in [0, 100]",
                    "JPEG quality on the IJG scale used by libjpeg and Pillow; higher keeps more detail and makes larger slices")
            .param("subsampling", "420", "420 or 444",
                    "chroma subsampling of RGB planes: 420 halves the colour resolution both ways (JDK and Pillow default),"
                            + " 444 keeps it; ignored for grey planes")
            .param("window", "slice", "slice, global or LO:HI (finite numbers, LO <= HI)",
                    "non-uint8 planes: the value range mapped onto the 8-bit levels; slice = each plane's min..max,"
                            + " global = the whole array's min..max (fixed by Jpkl.save), LO:HI = fixed, values outside are"
                            + " clipped to it; ignored for uint8")
            .param("transfer", "linear", "linear or sqrt",
                    "non-uint8 planes: linear spaces the levels evenly over the window, sqrt evenly in sqrt(value - LO)"
                            + " (PYME PZF-style, error follows photon shot noise); ignored for uint8")
            .description("JPEG via javax.imageio (TwelveMonkeys plugin preferred), lossy; grey or RGB; uint8 as plain JPEG,"
                    + " other dtypes mapped to 8 bits with a per-slice window stored in the slice")
            .build();

    private final Object lock = new Object();
    private volatile ImageIoJpeg imageIo;

    /** Cheap: looks nothing up; ImageIO is consulted on first use. */
    public JpegCodec() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CodecCapabilities capabilities() {
        return CAPABILITIES;
    }

    /**
     * Validates {@code quality}, {@code subsampling}, {@code window} and {@code transfer} given as
     * strings; absent keys take their defaults.
     *
     * @return a {@link JpegParams}
     * @throws IllegalArgumentException naming the key, the value and the allowed values
     */
    @Override
    public CodecParams params(Map<String, String> values) {
        return JpegParams.parse(values);
    }

    /** Available when javax.imageio has a JPEG reader and writer; looks them up on the first call. */
    @Override
    public Availability availability() {
        return imageIo().availability();
    }

    /**
     * The ImageIO reader and writer this codec uses, with vendor and version, e.g.
     * {@code reader com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader (TwelveMonkeys/Oracle
     * Corporation 3.14.0/0.5), writer ...}; or why there is none. Looks them up on the first call.
     */
    public String implementation() {
        return imageIo().describe();
    }

    private ImageIoJpeg imageIo() {
        ImageIoJpeg found = imageIo;
        if (found == null) {
            synchronized (lock) {
                found = imageIo;
                if (found == null) {
                    found = ImageIoJpeg.find();
                    imageIo = found;
                }
            }
        }
        return found;
    }

    /**
     * Replaces {@code window=global} with the fixed window {@code MIN:MAX} of the whole array (unsigned
     * dtypes read unsigned), so every slice uses the same levels; other parameters, and uint8 arrays
     * (which need no window), are returned unchanged.
     *
     * @throws IllegalArgumentException if the params are not this codec's, or a float array holds NaN
     *     or an infinity
     */
    @Override
    public CodecParams bindToArray(CodecParams params, NdArray array) {
        JpegParams p = jpegParams(params);
        Objects.requireNonNull(array, "array");
        if (p.window().kind() != JpegParams.Window.Kind.GLOBAL || array.dtype() == DType.UINT8) {
            return p;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int n = (int) array.size();
        for (int i = 0; i < n; i++) {
            double v = array.getDoubleFlat(i);
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("element " + i + " (C order) of the " + array.dtype() + " array is " + v
                        + "; codec '" + ID + "' maps values to 8-bit levels and cannot store NaN or infinities"
                        + " (replace them, or use a lossless codec)");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return p.withWindow(JpegParams.Window.fixed(min, max));
    }

    /**
     * An encoder for planes of {@code spec}; it reuses one ImageIO writer, image and output buffer.
     *
     * @throws IllegalArgumentException if the params are another codec's, or the window is an unbound
     *     {@code global} and the dtype is not uint8
     * @throws IllegalStateException if javax.imageio has no JPEG writer
     */
    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        JpegParams p = jpegParams(params);
        checkSupported(spec);
        if (spec.dtype() != DType.UINT8 && p.window().kind() == JpegParams.Window.Kind.GLOBAL) {
            throw unboundGlobalWindow();
        }
        return new JpegEncoder(imageIo().newWriter(), p, spec);
    }

    /**
     * A decoder for planes of {@code spec}; it reuses one ImageIO reader and destination image. The
     * mapping of non-uint8 slices is read from each slice, so the window and transfer params do not
     * matter here.
     *
     * @throws IllegalArgumentException if the params are another codec's
     * @throws IllegalStateException if javax.imageio has no JPEG reader
     */
    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        jpegParams(params);
        checkSupported(spec);
        return new JpegDecoder(imageIo().newReader(), spec);
    }

    static IllegalArgumentException unboundGlobalWindow() {
        return new IllegalArgumentException("window=global needs the whole array's min..max, which a plane-by-plane writer"
                + " never sees: save with Jpkl.save (it fixes the window via SliceCodec.bindToArray), or give a fixed"
                + " window LO:HI (e.g. window=0:4095), or use window=slice");
    }

    private static JpegParams jpegParams(CodecParams params) {
        Objects.requireNonNull(params, "params");
        if (!(params instanceof JpegParams)) {
            throw new IllegalArgumentException("params of codec '" + params.codecId() + "' (" + params.toMap()
                    + ") cannot be used with codec '" + ID + "'; make them with its params(Map)");
        }
        return (JpegParams) params;
    }

    private static void checkSupported(PlaneSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (!CAPABILITIES.supports(spec.dtype(), spec.channels())) {
            throw new IllegalArgumentException("codec '" + ID + "' cannot encode " + spec.dtype() + " " + spec.channels()
                    + " planes; it supports " + CAPABILITIES.dtypes() + " x " + CAPABILITIES.channels());
        }
    }

    @Override
    public String toString() {
        return "JpegCodec[" + ID + "]";
    }
}
