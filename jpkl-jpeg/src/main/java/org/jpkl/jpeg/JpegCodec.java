package org.jpkl.jpeg;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.KeySpace;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.Availability;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;

/**
 * The default lossy slice codec, id {@code jpeg}: each plane becomes one standard baseline JFIF JPEG
 * stream. Two implementations ({@link JpegBackend}s) write and read the same format, and each reads
 * what the other writes:
 * <ul>
 *   <li>{@link JpegBackend#TURBOJPEG}: libjpeg-turbo's TurboJPEG C API through JNA (Debian package
 *       {@code libturbojpeg0}), the library Pillow uses, and the faster backend (figures in
 *       docs/PERFORMANCE.md);</li>
 *   <li>{@link JpegBackend#IMAGEIO}: javax.imageio (the TwelveMonkeys JPEG plugin when it is on the
 *       class path, else the JDK's); needs no native library of ours.</li>
 * </ul>
 * With {@code tables=shared} ({@link JpegParams}) slices are abbreviated streams instead, without
 * the quantisation and Huffman tables, which are fixed by the stored quality and spliced back before
 * decoding ({@code JpegTables}); with {@code tables=header} slices hold only their scan data and the
 * few header bytes that differ between slices, and the whole header is rebuilt ({@code JpegHeader});
 * with {@code huffman=optimized} too, the scans are re-coded with the container's own Huffman tables,
 * built from sample planes by {@link #bindToArray(CodecParams, NdArray, PlaneLayout)}
 * ({@code JpegHuffman}, {@code JpegScanTranscoder}), the coefficients and so the decoded samples unchanged;
 * with {@code coding=arithmetic} instead, the scans are arithmetic-coded (ITU T.81 Annex D,
 * {@code JpegArithmetic}; the rebuilt header is SOF9) and decoded in Java, then re-coded with the standard
 * Huffman tables for the backend, the samples again unchanged.
 * Both use the accurate integer DCT, the IJG quality tables and standard Huffman tables: measured
 * with Debian's OpenJDK 17 and libjpeg-turbo 2.1.5, their streams differ only in the JFIF density
 * unit byte, and both decoders give identical samples (max abs difference 0) for grey, RGB 4:2:0 and
 * 4:4:4 slices, whichever wrote them.
 *
 * <h2>Which backend</h2>
 * <ul>
 *   <li>Per instance, never from JVM-wide settings: the provider option {@value #OPTION_BACKEND}
 *       ({@code auto}, {@code turbojpeg} or {@code imageio}; absent means {@code auto}), given when the
 *       registry is built ({@code Jpkl.builder().providerOption("jpeg.backend", "imageio")},
 *       {@code SliceCodecs.load(loader, options)}), or {@link #JpegCodec(JpegBackend)}.
 *       {@link #JpegCodec()} (the instance ServiceLoader makes) asks for {@code auto}. Two registries
 *       in one JVM may use different backends at the same time. (The command line turns
 *       {@code -Djpkl.jpeg.backend} into this option; the library itself reads no system property.)</li>
 *   <li>The choice is made on first use ({@link #availability()}, {@link #implementation()},
 *       {@link #backend()}, {@link #newEncoder}, {@link #newDecoder}), never in the constructor or
 *       in {@link #configure}: the native library is not looked up during discovery.</li>
 *   <li>{@code auto}: TurboJPEG when libturbojpeg loads, else ImageIO.</li>
 *   <li>{@code turbojpeg}: TurboJPEG or nothing. When the library cannot be loaded, the codec is
 *       unavailable ({@link #availability()} gives the reason) and never falls back silently.</li>
 *   <li>The outcome is visible: {@link #backend()} and {@link #implementation()} say what runs (and,
 *       after a fallback, why TurboJPEG is unavailable), and each instance logs it once, on first use,
 *       through {@link System.Logger} {@code org.jpkl.jpeg.JpegCodec} (INFO; WARNING when the codec
 *       is unavailable).</li>
 *   <li>The provider option {@value #OPTION_LIBRARY} names another TurboJPEG library (a JNA library
 *       name or an absolute path) instead of {@code turbojpeg}. JNA binds one TurboJPEG library per
 *       JVM: the first that loads serves every instance, and an instance asking for another name is
 *       unavailable, saying so. The tests name a library that does not exist to check the
 *       unavailable path.</li>
 * </ul>
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
 * <p>Thread safety: thread-safe. The backend is chosen once per instance, on first use (never in the
 * constructor); encoders and decoders are one per thread.
 */
public final class JpegCodec implements SliceCodec {
    /** The codec id stored in files. */
    public static final String ID = "jpeg";

    private static final CodecCapabilities CAPABILITIES = CodecCapabilities.builder()
            .lossless(false)
            .dtypes(DType.values())
            .channels(ChannelLayout.GREY, ChannelLayout.RGB)
            .params(JpegParams.SCHEMA)
            .description("JPEG (libjpeg-turbo's TurboJPEG via JNA when installed, else javax.imageio), lossy; grey or RGB;"
                    + " uint8 as plain JPEG,"
                    + " other dtypes mapped to 8 bits with a per-slice window stored in the slice")
            .build();

    /** Provider option choosing the backend: {@code auto} (default), {@code turbojpeg} or {@code imageio}. */
    public static final String OPTION_BACKEND = "jpeg.backend";

    /** Provider option naming the TurboJPEG library: a JNA library name or an absolute path (default {@code turbojpeg}). */
    public static final String OPTION_LIBRARY = "jpeg.turbojpeg.library";

    private static final Set<String> OPTION_KEYS = Set.of(OPTION_BACKEND, OPTION_LIBRARY);

    private static final System.Logger LOG = System.getLogger(JpegCodec.class.getName());

    /** The backend asked for. */
    private final JpegBackend requested;
    /** How it was asked for, for the log line, e.g. {@code backend auto (default)}. */
    private final String request;
    /** The TurboJPEG library name or path. */
    private final String library;
    private final Object lock = new Object();
    private volatile Engine engine;

    /**
     * The codec with backend {@code auto} and the default TurboJPEG library; {@link #configure} gives
     * others. Cheap: loads no library and looks nothing up until first use.
     */
    public JpegCodec() {
        this(JpegBackend.AUTO, "backend auto (default)", TurboJpeg.DEFAULT_LIBRARY);
    }

    /**
     * The codec with the given backend ({@link JpegBackend#AUTO}: TurboJPEG if it loads, else ImageIO).
     * Cheap, as {@link #JpegCodec()}.
     *
     * @throws NullPointerException if {@code backend} is null
     */
    public JpegCodec(JpegBackend backend) {
        this(Objects.requireNonNull(backend, "backend"), "backend " + backend.text() + " requested by JpegCodec(JpegBackend." + backend + ")",
                TurboJpeg.DEFAULT_LIBRARY);
    }

    private JpegCodec(JpegBackend backend, String request, String library) {
        this.requested = backend;
        this.request = request;
        this.library = library;
    }

    /** {@value #OPTION_BACKEND} and {@value #OPTION_LIBRARY}. */
    @Override
    public Set<String> optionKeys() {
        return OPTION_KEYS;
    }

    /**
     * A codec with this one's backend and library, replaced by those the options give. Cheap: checks
     * the values' form only; whether the backend can run is known on first use.
     *
     * @throws IllegalArgumentException for a key other than {@value #OPTION_BACKEND} and
     *     {@value #OPTION_LIBRARY}, a backend other than {@code auto}, {@code turbojpeg} and
     *     {@code imageio}, or a blank library name, naming the option and the value
     */
    @Override
    public JpegCodec configure(ProviderOptions options) {
        Objects.requireNonNull(options, "options");
        for (String key : options.keys()) {
            if (!OPTION_KEYS.contains(key)) {
                throw new IllegalArgumentException("provider option '" + key + "' is not known; codec '" + ID + "' takes "
                        + new java.util.TreeSet<>(OPTION_KEYS));
            }
        }
        JpegBackend backend = requested;
        String how = request;
        Optional<String> b = options.get(OPTION_BACKEND);
        if (b.isPresent()) {
            try {
                backend = JpegBackend.parse(b.get());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("provider option " + OPTION_BACKEND + " ('" + b.get()
                        + "') must be one of [auto, turbojpeg, imageio]", e);
            }
            how = "backend " + backend.text() + " from provider option " + OPTION_BACKEND;
        }
        String lib = library;
        Optional<String> l = options.get(OPTION_LIBRARY);
        if (l.isPresent()) {
            if (l.get().isBlank()) {
                throw new IllegalArgumentException("provider option " + OPTION_LIBRARY + " ('" + l.get()
                        + "') must name a library (a JNA library name such as turbojpeg, or an absolute path)");
            }
            lib = l.get().trim();
        }
        return new JpegCodec(backend, how, lib);
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
     * strings; absent keys take their defaults. The backend is not a parameter: it does not change
     * the format, and files do not record it.
     *
     * @return a {@link JpegParams}
     * @throws IllegalArgumentException naming the key, the value and the allowed values
     */
    @Override
    public CodecParams params(Map<String, String> values) {
        return JpegParams.parse(values);
    }

    /**
     * Available when the chosen backend can run: TurboJPEG loaded, or javax.imageio has a JPEG reader
     * and writer; otherwise the reason (for a requested {@code turbojpeg}, why libturbojpeg could not
     * be loaded). Chooses the backend on the first call.
     */
    @Override
    public Availability availability() {
        return engine().availability;
    }

    /**
     * The backend this instance uses: {@link JpegBackend#TURBOJPEG} or {@link JpegBackend#IMAGEIO}
     * ({@code auto} resolved), or the requested one when it is unavailable. Chooses the backend on the first call.
     */
    public JpegBackend backend() {
        return engine().backend;
    }

    /**
     * What this instance runs on, for logs and reports, e.g.
     * {@code libjpeg-turbo TurboJPEG via JNA 5.18.1 (/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0.2.0)}, or
     * {@code javax.imageio reader com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader (TwelveMonkeys/Oracle
     * Corporation 3.14.0/0.5), writer ...; TurboJPEG unavailable: <reason>} after an {@code auto}
     * fallback, or why the codec is unavailable. Chooses the backend on the first call.
     */
    public String implementation() {
        return engine().implementation;
    }

    private Engine engine() {
        Engine found = engine;
        if (found == null) {
            synchronized (lock) {
                found = engine;
                if (found == null) {
                    found = Engine.choose(requested, request, library);
                    if (found.availability.isAvailable()) {
                        LOG.log(System.Logger.Level.INFO, "codec ''{0}'' ({1}) uses {2}: {3}", ID, found.request,
                                found.backend.text(), found.implementation);
                    } else {
                        LOG.log(System.Logger.Level.WARNING, "codec ''{0}'' ({1}) is unavailable: {2}", ID, found.request,
                                found.availability.reason().orElse(""));
                    }
                    engine = found;
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
        return bindToArray(params, array, PlaneLayout.jpkl(false));
    }

    /**
     * As {@link #bindToArray(CodecParams, NdArray)} (the window), and replaces {@code huffman=optimized}
     * with Huffman tables built for the array: up to {@value #HUFFMAN_SAMPLES} evenly spaced planes
     * (first and last included) are encoded with the standard tables, the symbols of their scans are
     * counted, and the tables that code those counts in the fewest bits within JPEG's limits are built
     * (ITU T.81 Annex K.2, every symbol given a code so that any plane can be coded with them;
     * {@code JpegHuffman}). The two-argument form takes JPkl's grey layout ({@code (y, x, keys...)}).
     *
     * @throws IllegalArgumentException as the two-argument form, or if the layout does not fit the array
     * @throws IllegalStateException if the codec is unavailable (tables are built with its backend)
     */
    @Override
    public CodecParams bindToArray(CodecParams params, NdArray array, PlaneLayout layout) {
        JpegParams p = bindWindow(jpegParams(params), array);
        if (p.huffman().kind() != JpegParams.Huffman.Kind.OPTIMIZED) {
            return p;
        }
        Objects.requireNonNull(layout, "layout");
        layout.validate(array.shape());
        PlaneSpec spec = new PlaneSpec(array.dtype(), array.shape(layout.yAxis()), array.shape(layout.xAxis()), layout.channels());
        checkSupported(spec);
        JpegParams standard = p.withHuffman(JpegParams.Huffman.standard());
        int components = spec.channels().samplesPerPixel();
        JpegHuffman tables = JpegHuffman.standard(components);
        int prefix = JpegHeader.of(spec, standard).prefixLength();
        JpegScanTranscoder scans = new JpegScanTranscoder(spec.width(), spec.height(), components,
                p.subsampling() == JpegParams.Subsampling.S420);
        long[][] counts = new long[2 * (components == 3 ? 2 : 1)][256];
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        try (SliceEncoder encoder = newEncoder(standard, spec)) {
            for (long n : samplePlanes(p, new KeySpace(array.shape(), layout).sliceCount())) {
                array.copyPlane(layout, n, plane);
                scans.count(encoder.encode(plane), prefix, tables, counts);
            }
        } catch (IOException e) {
            throw new IllegalStateException("codec '" + ID + "' could not encode a sample plane to choose huffman=optimized tables: "
                    + e.getMessage(), e);
        }
        return p.withHuffman(JpegParams.Huffman.of(JpegHuffman.optimal(counts)));
    }

    /** Planes that {@code huffman=optimized} counts symbols in, at most. */
    public static final int HUFFMAN_SAMPLES = 16;

    /**
     * With {@code huffman=optimized}: the planes {@link #bindToArray(CodecParams, NdArray, PlaneLayout)}
     * builds the tables from, up to {@value #HUFFMAN_SAMPLES} evenly spaced ones, first and last
     * included (all of them when there are no more); otherwise none.
     */
    @Override
    public long[] samplePlanes(CodecParams params, long sliceCount) {
        if (jpegParams(params).huffman().kind() != JpegParams.Huffman.Kind.OPTIMIZED || sliceCount <= 0) {
            return new long[0];
        }
        int samples = Math.toIntExact(Math.min(HUFFMAN_SAMPLES, sliceCount));
        long[] planes = new long[samples];
        for (int i = 0; i < samples; i++) {
            planes[i] = samples == 1 ? 0 : i * (sliceCount - 1) / (samples - 1);
        }
        return planes;
    }

    private JpegParams bindWindow(JpegParams p, NdArray array) {
        Objects.requireNonNull(array, "array");
        if (!needsValueRange(p, array.dtype())) {
            return p;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int n = (int) array.size();
        for (int i = 0; i < n; i++) {
            double v = array.getDoubleFlat(i);
            if (!Double.isFinite(v)) {
                throw nonFinite("element " + i + " (C order) of the " + array.dtype() + " array", v);
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return (JpegParams) bindToRange(p, array.dtype(), min, max);
    }

    /** True for {@code window=global} on any dtype but uint8 (which needs no window). */
    @Override
    public boolean needsValueRange(CodecParams params, DType dtype) {
        return jpegParams(params).window().kind() == JpegParams.Window.Kind.GLOBAL && Objects.requireNonNull(dtype, "dtype") != DType.UINT8;
    }

    /**
     * Replaces {@code window=global} with the fixed window {@code MIN:MAX}; other parameters, and
     * uint8 (which needs no window), are returned unchanged.
     *
     * @throws IllegalArgumentException if the params are not this codec's, min or max is NaN or
     *     infinite, or {@code min > max}
     */
    @Override
    public CodecParams bindToRange(CodecParams params, DType dtype, double min, double max) {
        JpegParams p = jpegParams(params);
        if (!needsValueRange(p, dtype)) {
            return p;
        }
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw nonFinite("the " + dtype + " array's " + (Double.isFinite(min) ? "max" : "min"), Double.isFinite(min) ? max : min);
        }
        if (min > max) {
            throw new IllegalArgumentException("value range min (" + min + ") > max (" + max + ")");
        }
        return p.withWindow(JpegParams.Window.fixed(min, max));
    }

    private static IllegalArgumentException nonFinite(String what, double v) {
        return new IllegalArgumentException(what + " is " + v + "; codec '" + ID + "' maps values to 8-bit levels and cannot"
                + " store NaN or infinities (replace them, or use a lossless codec)");
    }

    /**
     * An encoder for planes of {@code spec} on this instance's backend; it reuses one TurboJPEG handle
     * and native buffers, or one ImageIO writer, image and output buffer.
     *
     * @throws IllegalArgumentException if the params are another codec's, or the window is an unbound
     *     {@code global} and the dtype is not uint8
     * @throws IllegalStateException if the codec is unavailable (the message gives the reason)
     */
    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        JpegParams p = jpegParams(params);
        checkSupported(spec);
        if (spec.dtype() != DType.UINT8 && p.window().kind() == JpegParams.Window.Kind.GLOBAL) {
            throw unboundGlobalWindow();
        }
        if (p.huffman().kind() == JpegParams.Huffman.Kind.OPTIMIZED) {
            throw unboundHuffman();
        }
        Engine e = engine().requireAvailable();
        LevelCompressor compressor = e.backend == JpegBackend.TURBOJPEG ? new TurboJpegCompressor(p, spec)
                : new ImageIoCompressor(e.imageIo.newWriter(), p, spec);
        return new JpegEncoder(compressor, p, spec);
    }

    /**
     * A decoder for planes of {@code spec} on this instance's backend; it reuses one TurboJPEG handle and
     * native buffers, or one ImageIO reader and destination image. It reads slices written by either
     * backend. The mapping of non-uint8 slices is read from each slice, so the window and transfer
     * params do not matter here.
     *
     * @throws IllegalArgumentException if the params are another codec's
     * @throws IllegalStateException if the codec is unavailable (the message gives the reason)
     */
    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        JpegParams p = jpegParams(params);
        checkSupported(spec);
        Engine e = engine().requireAvailable();
        LevelDecompressor decompressor = e.backend == JpegBackend.TURBOJPEG ? new TurboJpegDecompressor(spec)
                : new ImageIoDecompressor(e.imageIo.newReader(), spec);
        JpegTables shared = p.tables() == JpegParams.Tables.SHARED
                ? JpegTables.standard(p.quality(), spec.channels().samplesPerPixel()) : null;
        JpegHeader header = p.tables() == JpegParams.Tables.HEADER ? JpegHeader.of(spec, p) : null;
        if (p.coding() != JpegParams.Coding.ARITHMETIC) {
            return new JpegDecoder(decompressor, spec, shared, header);
        }
        JpegArithmetic arithmetic = new JpegArithmetic(new JpegScanTranscoder(spec.width(), spec.height(),
                spec.channels().samplesPerPixel(), p.subsampling() == JpegParams.Subsampling.S420));
        return new JpegDecoder(decompressor, spec, shared, header, arithmetic, JpegHeader.of(spec, p.withCoding(JpegParams.Coding.HUFFMAN)));
    }

    static IllegalArgumentException unboundGlobalWindow() {
        return new IllegalArgumentException("window=global needs the whole array's min..max, which a plane-by-plane writer"
                + " never sees: save with Jpkl.save (it fixes the window via SliceCodec.bindToArray), bind it from a first pass over"
                + " the data with SliceCodec.bindToRange (as 'jpkl encode' does for file inputs), or give a fixed"
                + " window LO:HI (e.g. window=0:4095), or use window=slice");
    }

    static IllegalArgumentException unboundHuffman() {
        return new IllegalArgumentException("huffman=optimized chooses the tables from sample planes of the whole array, which a"
                + " plane-by-plane writer never sees: save with Jpkl.save (it builds them via SliceCodec.bindToArray), bind them"
                + " with an array of the planes SliceCodec.samplePlanes names (as 'jpkl encode' does for file inputs), or give"
                + " tables stored by another container (its huffman parameter value), or use huffman=standard");
    }

    private static JpegParams jpegParams(CodecParams params) {
        return CodecParams.requireOwn(ID, JpegParams.class, params);
    }

    private static void checkSupported(PlaneSpec spec) {
        CAPABILITIES.requireSupported(ID, Objects.requireNonNull(spec, "spec"));
    }

    /**
     * E.g. {@code JpegCodec[jpeg, backend=auto]} (the backend chosen once known, else the one asked
     * for), with {@code , library=NAME} when not the default; chooses nothing.
     */
    @Override
    public String toString() {
        Engine e = engine;
        String backend = e != null ? e.backend.text() : requested.text();
        return "JpegCodec[" + ID + ", backend=" + backend + (library.equals(TurboJpeg.DEFAULT_LIBRARY) ? "" : ", library=" + library) + "]";
    }

    /**
     * The outcome of choosing a backend: which one, whether it can run and what it is.
     *
     * <p>Thread safety: immutable.
     */
    private static final class Engine {
        final JpegBackend backend;
        final Availability availability;
        final String implementation;
        /** How the backend was asked for, for the log line, e.g. {@code backend auto (default)}. */
        final String request;
        /** The ImageIO providers when the backend is ImageIO; null for TurboJPEG. */
        final ImageIoJpeg imageIo;
        private Engine(JpegBackend backend, Availability availability, String implementation, String request, ImageIoJpeg imageIo) {
            this.backend = backend;
            this.availability = availability;
            this.implementation = implementation;
            this.request = request;
            this.imageIo = imageIo;
        }

        /** Chooses {@code wanted}, TurboJPEG being {@code library}. Never throws. */
        static Engine choose(JpegBackend wanted, String request, String library) {
            if (wanted == JpegBackend.IMAGEIO) {
                return imageIo(request, null);
            }
            Optional<String> turboProblem = TurboJpeg.unavailableReason(library);
            if (turboProblem.isEmpty()) {
                return new Engine(JpegBackend.TURBOJPEG, Availability.available(), TurboJpeg.describe(), request, null);
            }
            if (wanted == JpegBackend.TURBOJPEG) {
                String reason = "backend turbojpeg was requested, but TurboJPEG is unavailable: " + turboProblem.get()
                        + " (ImageIO is not used instead; request backend auto or imageio for that)";
                return new Engine(JpegBackend.TURBOJPEG, Availability.unavailable(reason), "unavailable: " + reason, request, null);
            }
            return imageIo(request, turboProblem.get());
        }

        private static Engine imageIo(String request, String turboProblem) {
            ImageIoJpeg found = ImageIoJpeg.find();
            String turboNote = turboProblem == null ? "" : "; TurboJPEG unavailable: " + turboProblem;
            Availability availability = found.availability();
            if (!availability.isAvailable() && turboProblem != null) {
                availability = Availability.unavailable(availability.reason().orElse("") + turboNote);
            }
            return new Engine(JpegBackend.IMAGEIO, availability, "javax.imageio " + found.describe() + turboNote, request, found);
        }


        Engine requireAvailable() {
            if (!availability.isAvailable()) {
                throw new IllegalStateException("codec '" + ID + "' is unavailable: " + availability.reason().orElse(""));
            }
            return this;
        }
    }
}
