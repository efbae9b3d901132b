package org.jpkl.jpeg;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ParamSchema;
import org.jpkl.api.spi.ParamSpec;
import org.jpkl.api.spi.ParamType;
import org.jpkl.api.spi.TypedParams;

/**
 * The validated parameters of the {@code jpeg} codec ({@link JpegCodec}).
 *
 * <ul>
 *   <li>{@code quality}: integer in [0, 100], default 90, on the IJG scale that libjpeg and Pillow use
 *       (TurboJPEG takes it as it is; ImageIO as {@link javax.imageio.ImageWriteParam#setCompressionQuality}
 *       {@code quality / 100}, which the JDK maps back to the same IJG tables). Quality 0 means IJG 1,
 *       as in libjpeg.</li>
 *   <li>{@code subsampling}: {@code 420} (default, as the JDK and Pillow) or {@code 444}; chroma
 *       subsampling of RGB planes, ignored for grey planes.</li>
 *   <li>{@code window}: {@code slice} (default), {@code global} or {@code LO:HI}; the value range that
 *       non-uint8 planes are mapped onto the 8-bit levels 0..255 with. Ignored for uint8.</li>
 *   <li>{@code transfer}: {@code linear} (default) or {@code sqrt}; how the 256 levels are spaced over
 *       the window. Ignored for uint8.</li>
 *   <li>{@code tables}: {@code inline} (default), {@code shared} or {@code header}. {@code inline}: every slice is a
 *       complete JPEG stream with its own quantisation (DQT) and Huffman (DHT) tables. {@code shared}:
 *       slices are abbreviated streams without them; the tables are the standard ones of the quality
 *       (ITU T.81 Annex K, scaled as IJG's {@code jpeg_set_quality}; see {@code JpegTables}), fixed
 *       once per container by its stored {@code quality}, and spliced back before decoding. Saves
 *       about 300 bytes per grey slice and 600 per RGB slice. {@code header}: slices store only what
 *       differs between them, the JFIF minor version (1 byte), the 8-bit window of non-uint8 planes
 *       (16 bytes) and the entropy-coded scan data; the whole header (markers and tables) is fixed by the
 *       container's parameters and the plane ({@code JpegHeader}) and rebuilt before decoding. Stored
 *       in the parameter map only when not {@code inline}, so files with the default are byte for byte
 *       as before.</li>
 *   <li>{@code huffman}: {@code standard} (default), {@code optimized}, or the container's own Huffman
 *       tables; needs {@code tables=header} when not {@code standard}. {@code standard}: scans are coded
 *       with the Annex K.3 tables. {@code optimized}: tables chosen from the data, which
 *       {@link JpegCodec#bindToArray} builds from sample planes of the whole array and puts in place of the
 *       keyword (as {@code window=global} becomes {@code LO:HI}); a writer that never sees the whole array
 *       cannot use it ({@link JpegCodec#newEncoder} refuses it unbound). Tables: the base64 (RFC 4648,
 *       padded) of the DHT segments DC 0, AC 0 (and DC 1, AC 1 for RGB), each coding every baseline
 *       symbol ({@code JpegHuffman}); every slice's scan is coded with them and the rebuilt header
 *       carries them, so any JPEG decoder reads the rebuilt stream. Stored only when not
 *       {@code standard}.</li>
 *   <li>{@code coding}: {@code huffman} (default) or {@code arithmetic}; the entropy coding of the
 *       scans. {@code arithmetic} (ITU T.81 Annex D, the QM-coder, sequential DCT with the default
 *       conditioning; {@code JpegArithmetic}) re-codes each slice's scan losslessly, files 4-10% smaller
 *       than optimized Huffman tables on 64 x 64 planes; the rebuilt header is an SOF9 frame without DHT
 *       segments. Needs {@code tables=header} and {@code huffman=standard} (arithmetic coding has no Huffman
 *       tables). libjpeg-turbo (TurboJPEG, Pillow) reads the rebuilt streams; the codec decodes the scans
 *       in Java (checking them) and hands its backend their Huffman-coded twin. Stored only when not
 *       {@code huffman}.</li>
 * </ul>
 * See {@link JpegCodec} and {@code MAPPING.md} for what the window and transfer do and the error each
 * gives.
 *
 * <p>Thread safety: immutable.
 *
 * @param quality the IJG quality in [0, 100]
 * @param subsampling chroma subsampling for RGB planes
 * @param window the value range for mapping non-uint8 planes to 8 bits
 * @param transfer the spacing of the 8-bit levels over the window
 * @param tables whether slices carry their tables or share the container's
 * @param huffman which Huffman tables code the scans
 * @param coding the entropy coding of the scans
 */
public record JpegParams(int quality, Subsampling subsampling, Window window, Transfer transfer, Tables tables, Huffman huffman,
        Coding coding) implements CodecParams {
    /** The default quality, as Pillow's and a common choice for visually lossless slices. */
    public static final int DEFAULT_QUALITY = 90;

    /**
     * The parameters, declared once: types, defaults, descriptions, and which planes they change the
     * bytes of (window and transfer only map non-uint8 planes; subsampling only applies to RGB).
     */
    static final ParamSchema SCHEMA = ParamSchema.of(
            ParamSpec.of("quality", ParamType.integer(0, 100), Integer.toString(DEFAULT_QUALITY),
                    "JPEG quality on the IJG scale used by libjpeg and Pillow; higher keeps more detail and makes larger slices"),
            ParamSpec.of("subsampling", ParamType.oneOf(Subsampling.S420.text(), Subsampling.S444.text()), Subsampling.S420.text(),
                    "chroma subsampling of RGB planes: 420 halves the colour resolution both ways (JDK and Pillow default),"
                            + " 444 keeps it; ignored for grey planes").ignoredFor(ChannelLayout.GREY),
            ParamSpec.of("window", ParamType.keywordOrRange("slice", "global"), "slice",
                    "non-uint8 planes: the value range mapped onto the 8-bit levels; slice = each plane's min..max,"
                            + " global = the whole array's min..max (fixed by Jpkl.save, or by a first pass of 'jpkl encode'), LO:HI = fixed,"
                            + " values outside are clipped to it; ignored for uint8").ignoredFor(DType.UINT8),
            ParamSpec.of("transfer", ParamType.oneOf(Transfer.LINEAR.text(), Transfer.SQRT.text()), Transfer.LINEAR.text(),
                    "non-uint8 planes: linear spaces the levels evenly over the window, sqrt evenly in sqrt(value - LO)"
                            + " (PYME PZF-style, error follows photon shot noise); ignored for uint8").ignoredFor(DType.UINT8),
            ParamSpec.of("tables", ParamType.oneOf(Tables.INLINE.text(), Tables.SHARED.text(), Tables.HEADER.text()),
                    Tables.INLINE.text(),
                    "inline = every slice is a complete JPEG with its own quantisation and Huffman tables; shared = slices omit"
                            + " them (abbreviated streams) and use the standard tables of the container's quality, about 300 bytes"
                            + " less per grey slice and 600 per RGB slice; header = slices store only their scan data (and the"
                            + " 8-bit window of non-uint8 planes), the whole JPEG header is rebuilt from the container's parameters,"
                            + " about 330 bytes less per grey slice and 620 per RGB slice").storedOnlyWhenSet(),
            ParamSpec.of("huffman", ParamType.keywordOrValue("Huffman tables (base64 of the DHT segments DC 0, AC 0[, DC 1, AC 1])",
                    JpegHuffman.class, JpegHuffman::parse, Huffman.STANDARD_TEXT, Huffman.OPTIMIZED_TEXT), Huffman.STANDARD_TEXT,
                    "tables=header only: standard = scans coded with the standard Huffman tables; optimized = tables chosen from"
                            + " sample planes of the whole array (Jpkl.save), stored once in the container in place of the"
                            + " keyword, so the scans are smaller; or those stored tables").storedOnlyWhenSet(),
            ParamSpec.of("coding", ParamType.oneOf(Coding.HUFFMAN.text(), Coding.ARITHMETIC.text()), Coding.HUFFMAN.text(),
                    "tables=header and huffman=standard only: huffman = scans Huffman-coded, as every JPEG reader expects;"
                            + " arithmetic = scans arithmetic-coded (ITU T.81 Annex D), 4-10% smaller files than huffman=optimized on"
                            + " 64x64 planes, decoded several times slower (in Java on every backend); libjpeg-turbo (Pillow) reads"
                            + " the rebuilt stream")
                    .storedOnlyWhenSet());

    /**
     * @throws IllegalArgumentException if quality is outside [0, 100]
     * @throws NullPointerException if any other component is null
     */
    public JpegParams {
        SCHEMA.param("quality").orElseThrow().check(JpegCodec.ID, quality);
        Objects.requireNonNull(subsampling, "subsampling");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(transfer, "transfer");
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(huffman, "huffman");
        Objects.requireNonNull(coding, "coding");
        if (huffman.kind() != Huffman.Kind.STANDARD && tables != Tables.HEADER) {
            throw new IllegalArgumentException("codec '" + JpegCodec.ID + "': huffman=" + huffman.kindText() + " needs tables=header"
                    + " (the container stores the tables in place of every slice's header), not tables=" + tables.text());
        }
        if (coding == Coding.ARITHMETIC && tables != Tables.HEADER) {
            throw new IllegalArgumentException("codec '" + JpegCodec.ID + "': coding=arithmetic needs tables=header (the container"
                    + " rebuilds the arithmetic-coded frame's header), not tables=" + tables.text());
        }
        if (coding == Coding.ARITHMETIC && huffman.kind() != Huffman.Kind.STANDARD) {
            throw new IllegalArgumentException("codec '" + JpegCodec.ID + "': coding=arithmetic codes the scans without Huffman tables,"
                    + " so huffman must be standard, not " + huffman.kindText());
        }
    }

    /**
     * Parameters with {@code coding=huffman}.
     *
     * @throws IllegalArgumentException if quality is outside [0, 100], or huffman is not standard without tables=header
     * @throws NullPointerException if any other component is null
     */
    public JpegParams(int quality, Subsampling subsampling, Window window, Transfer transfer, Tables tables, Huffman huffman) {
        this(quality, subsampling, window, transfer, tables, huffman, Coding.HUFFMAN);
    }

    /**
     * Parameters with {@code huffman=standard}.
     *
     * @throws IllegalArgumentException if quality is outside [0, 100]
     * @throws NullPointerException if any other component is null
     */
    public JpegParams(int quality, Subsampling subsampling, Window window, Transfer transfer, Tables tables) {
        this(quality, subsampling, window, transfer, tables, Huffman.standard());
    }

    /**
     * Parameters with {@code tables=inline}.
     *
     * @throws IllegalArgumentException if quality is outside [0, 100]
     * @throws NullPointerException if any other component is null
     */
    public JpegParams(int quality, Subsampling subsampling, Window window, Transfer transfer) {
        this(quality, subsampling, window, transfer, Tables.INLINE);
    }

    /** The defaults: quality 90, subsampling 420, window slice, transfer linear, tables inline. */
    public static JpegParams defaults() {
        return parse(Map.of());
    }

    /**
     * Parses parameters given as strings through {@link #SCHEMA}; absent keys take their defaults.
     *
     * @throws IllegalArgumentException for an unknown key (listing the allowed ones) or a bad value
     *     (naming codec, key, value and allowed values)
     */
    static JpegParams parse(Map<String, String> values) {
        TypedParams t = SCHEMA.parse(JpegCodec.ID, values);
        return new JpegParams(t.intValue("quality"), Subsampling.of(t.text("subsampling")), Window.of(t.value("window")),
                Transfer.of(t.text("transfer")), Tables.of(t.text("tables")), Huffman.of(t.value("huffman")),
                Coding.of(t.text("coding")));
    }

    /** These parameters with another window (e.g. the fixed window {@link JpegCodec#bindToArray} computes). */
    public JpegParams withWindow(Window newWindow) {
        return new JpegParams(quality, subsampling, newWindow, transfer, tables, huffman, coding);
    }

    /** These parameters with other Huffman tables (e.g. those {@link JpegCodec#bindToArray} builds). */
    JpegParams withHuffman(Huffman newHuffman) {
        return new JpegParams(quality, subsampling, window, transfer, tables, newHuffman, coding);
    }

    /** These parameters with another coding (e.g. {@code huffman}, which the JPEG libraries write). */
    JpegParams withCoding(Coding newCoding) {
        return new JpegParams(quality, subsampling, window, transfer, tables, huffman, newCoding);
    }

    /** Always {@code "jpeg"}. */
    @Override
    public String codecId() {
        return JpegCodec.ID;
    }

    /**
     * {@code quality}, {@code subsampling}, {@code window}, {@code transfer} as strings, and
     * {@code tables} only when it is not {@code inline}, {@code huffman} only when it is not {@code standard} and
     * {@code coding} only when it is not {@code huffman} (so that the stored map of a file with the default
     * is what it was before the parameter existed); unmodifiable.
     */
    @Override
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("quality", Integer.toString(quality));
        m.put("subsampling", subsampling.text());
        m.put("window", window.toString());
        m.put("transfer", transfer.text());
        if (SCHEMA.param("tables").orElseThrow().isStored(tables.text())) {
            m.put("tables", tables.text());
        }
        if (huffman.kind() != Huffman.Kind.STANDARD) {
            m.put("huffman", huffman.toString());
        }
        if (SCHEMA.param("coding").orElseThrow().isStored(coding.text())) {
            m.put("coding", coding.text());
        }
        return Collections.unmodifiableMap(m);
    }

    /** As the {@link #SCHEMA} declares: window and transfer only for non-uint8 planes, subsampling only for RGB. */
    @Override
    public Map<String, String> encodingParams(DType dtype, ChannelLayout channels) {
        return SCHEMA.encodingParams(toMap(), dtype, channels);
    }

    /**
     * Chroma subsampling of RGB planes (the planes are stored as YCbCr, as JFIF requires).
     *
     * <p>Thread safety: immutable.
     */
    public enum Subsampling {
        /** Cb and Cr at half resolution both ways (JDK ImageIO's and Pillow's default); smaller slices. */
        S420("420"),
        /** Full-resolution Cb and Cr; better colour edges, larger slices. */
        S444("444");

        private final String text;

        Subsampling(String text) {
            this.text = text;
        }

        /** The stored form, {@code "420"} or {@code "444"}. */
        public String text() {
            return text;
        }

        /** The value of a validated text, {@code "420"} or {@code "444"}. */
        static Subsampling of(String text) {
            return text.equals(S444.text) ? S444 : S420;
        }
    }

    /**
     * Where a slice's quantisation and Huffman tables are: in every slice, or once per container.
     *
     * <p>Thread safety: immutable.
     */
    public enum Tables {
        /** Every slice is a complete JPEG stream with its own tables (the default). */
        INLINE("inline"),
        /** Slices are abbreviated streams; the tables are the standard ones of the container's quality ({@code JpegTables}). */
        SHARED("shared"),
        /**
         * Slices hold their scan data and the few header bytes that differ between slices; the rest of the
         * header, tables included, is fixed by the container's parameters and the plane ({@code JpegHeader}).
         */
        HEADER("header");

        private final String text;

        Tables(String text) {
            this.text = text;
        }

        /** The stored form, {@code "inline"}, {@code "shared"} or {@code "header"}. */
        public String text() {
            return text;
        }

        /** The value of a validated text, {@code "inline"}, {@code "shared"} or {@code "header"}. */
        static Tables of(String text) {
            for (Tables t : values()) {
                if (t.text.equals(text)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("tables (" + text + ") must be one of [inline, shared, header]");
        }
    }

    /**
     * The entropy coding of the scans: Huffman (every JPEG reader) or arithmetic (ITU T.81 Annex D).
     *
     * <p>Thread safety: immutable.
     */
    public enum Coding {
        /** Huffman coding (the default): SOF0 baseline frames. */
        HUFFMAN("huffman"),
        /** Arithmetic coding with the default conditioning: SOF9 frames, no DHT or DAC segments ({@code JpegArithmetic}). */
        ARITHMETIC("arithmetic");

        private final String text;

        Coding(String text) {
            this.text = text;
        }

        /** The stored form, {@code "huffman"} or {@code "arithmetic"}. */
        public String text() {
            return text;
        }

        /** The value of a validated text, {@code "huffman"} or {@code "arithmetic"}. */
        static Coding of(String text) {
            return text.equals(ARITHMETIC.text) ? ARITHMETIC : HUFFMAN;
        }
    }

    /**
     * Which Huffman tables code the scans: the standard ones, {@code optimized} (to be chosen from the
     * data by {@link JpegCodec#bindToArray}), or the container's own tables.
     *
     * <p>Thread safety: immutable.
     */
    public static final class Huffman {
        static final String STANDARD_TEXT = "standard";
        static final String OPTIMIZED_TEXT = "optimized";
        private static final Huffman STANDARD = new Huffman(Kind.STANDARD, null);
        private static final Huffman OPTIMIZED = new Huffman(Kind.OPTIMIZED, null);

        /** Which tables. */
        public enum Kind {
            /** The standard tables of ITU T.81 Annex K.3. */
            STANDARD,
            /** Tables chosen from the whole array; must be bound with {@link JpegCodec#bindToArray} before encoding. */
            OPTIMIZED,
            /** The container's own tables. */
            TABLES
        }

        private final Kind kind;
        /** The tables for {@link Kind#TABLES}, else null. */
        private final JpegHuffman tables;

        private Huffman(Kind kind, JpegHuffman tables) {
            this.kind = kind;
            this.tables = tables;
        }

        /** The standard tables (the default). */
        public static Huffman standard() {
            return STANDARD;
        }

        /** Tables chosen from the whole array by {@link JpegCodec#bindToArray}. */
        public static Huffman optimized() {
            return OPTIMIZED;
        }

        /**
         * The tables stored as {@code text} (base64 of their DHT segments).
         *
         * @throws IllegalArgumentException saying what is wrong with them
         */
        public static Huffman tables(String text) {
            return new Huffman(Kind.TABLES, JpegHuffman.parse(Objects.requireNonNull(text, "text")));
        }

        static Huffman of(JpegHuffman tables) {
            return new Huffman(Kind.TABLES, tables);
        }

        /** The value of a validated {@code huffman} parameter. */
        static Huffman of(Object value) {
            if (value instanceof JpegHuffman) {
                return of((JpegHuffman) value);
            }
            return OPTIMIZED_TEXT.equals(value) ? OPTIMIZED : STANDARD;
        }

        /** Which tables this is. */
        public Kind kind() {
            return kind;
        }

        /** The container's tables ({@link Kind#TABLES}), else null. */
        JpegHuffman jpegHuffman() {
            return tables;
        }

        /** {@code standard}, {@code optimized} or {@code tables}, for messages. */
        String kindText() {
            return kind == Kind.TABLES ? "<tables>" : toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Huffman && ((Huffman) o).kind == kind && Objects.equals(((Huffman) o).tables, tables);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, tables);
        }

        /** The stored form: {@code standard}, {@code optimized} or the tables' base64. */
        @Override
        public String toString() {
            return kind == Kind.STANDARD ? STANDARD_TEXT : kind == Kind.OPTIMIZED ? OPTIMIZED_TEXT : tables.toString();
        }
    }

    /**
     * How the 256 levels of an 8-bit JPEG sample are spaced over the window [LO, HI] when a non-uint8
     * plane is mapped to 8 bits.
     *
     * <p>Thread safety: immutable.
     */
    public enum Transfer {
        /** Level {@code q} stands for {@code LO + q (HI - LO) / 255}: constant absolute error. */
        LINEAR("linear"),
        /**
         * Level {@code q} stands for {@code LO + (q sqrt(HI - LO) / 255)^2} (the square-root quantisation of
         * PYME's PZF format): finer steps for small values, so that for camera counts the quantisation
         * error stays below photon shot noise.
         */
        SQRT("sqrt");

        private final String text;

        Transfer(String text) {
            this.text = text;
        }

        /** The stored form, {@code "linear"} or {@code "sqrt"}. */
        public String text() {
            return text;
        }

        /** The value of a validated text, {@code "linear"} or {@code "sqrt"}. */
        static Transfer of(String text) {
            return text.equals(SQRT.text) ? SQRT : LINEAR;
        }
    }

    /**
     * The value range [LO, HI] that a non-uint8 plane is mapped onto the 8-bit levels 0..255 with:
     * each plane's own range ({@link #slice()}), the whole array's range ({@link #global()}, fixed by
     * {@link JpegCodec#bindToArray}) or a fixed range ({@link #fixed}, values outside are clipped).
     *
     * <p>Thread safety: immutable.
     */
    public static final class Window {
        private static final Window SLICE = new Window(Kind.SLICE, 0, 0);
        private static final Window GLOBAL = new Window(Kind.GLOBAL, 0, 0);

        /** Which range the window is. */
        public enum Kind {
            /** Each plane's own min..max, stored in the slice. */
            SLICE,
            /** The whole array's min..max; must be fixed with {@link JpegCodec#bindToArray} before encoding. */
            GLOBAL,
            /** A fixed LO..HI; values outside are clipped to it. */
            FIXED
        }

        private final Kind kind;
        private final double low;
        private final double high;

        private Window(Kind kind, double low, double high) {
            this.kind = kind;
            this.low = low;
            this.high = high;
        }

        /** Each plane's own min..max (the default). */
        public static Window slice() {
            return SLICE;
        }

        /** The whole array's min..max, computed by {@link JpegCodec#bindToArray}. */
        public static Window global() {
            return GLOBAL;
        }

        /**
         * A fixed range; when encoding, values below {@code low} are stored as {@code low} and values
         * above {@code high} as {@code high} (clipping is the purpose of a fixed window).
         *
         * @throws IllegalArgumentException if a bound is not finite or {@code low > high}
         */
        public static Window fixed(double low, double high) {
            if (!Double.isFinite(low) || !Double.isFinite(high)) {
                throw new IllegalArgumentException("window (" + low + ":" + high + ") must have finite bounds");
            }
            if (low > high) {
                throw new IllegalArgumentException("window (" + format(low) + ":" + format(high) + ") must have LO <= HI");
            }
            // + 0.0 turns -0.0 into 0.0, so that the stored form "0" parses back to an equal window.
            return new Window(Kind.FIXED, low + 0.0, high + 0.0);
        }

        /** Which range this is. */
        public Kind kind() {
            return kind;
        }

        /**
         * LO of a fixed window.
         *
         * @throws IllegalStateException if the window is not fixed
         */
        public double low() {
            requireFixed();
            return low;
        }

        /**
         * HI of a fixed window.
         *
         * @throws IllegalStateException if the window is not fixed
         */
        public double high() {
            requireFixed();
            return high;
        }

        private void requireFixed() {
            if (kind != Kind.FIXED) {
                throw new IllegalStateException("window '" + this + "' has no fixed bounds");
            }
        }

        /** The window a validated value of the {@code window} parameter stands for. */
        static Window of(Object value) {
            if (value instanceof ParamType.Range) {
                ParamType.Range r = (ParamType.Range) value;
                return fixed(r.low(), r.high());
            }
            return "global".equals(value) ? GLOBAL : SLICE;
        }

        /** A number as stored: integers without a fraction ({@code 4095}), others as {@link Double#toString}. */
        static String format(double v) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                return Long.toString((long) v);
            }
            return Double.toString(v);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Window)) {
                return false;
            }
            Window w = (Window) o;
            return w.kind == kind && Double.compare(w.low, low) == 0 && Double.compare(w.high, high) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, low, high);
        }

        /** The stored form: {@code slice}, {@code global} or {@code LO:HI}, e.g. {@code 0:4095}. */
        @Override
        public String toString() {
            switch (kind) {
                case SLICE:
                    return "slice";
                case GLOBAL:
                    return "global";
                default:
                    return format(low) + ":" + format(high);
            }
        }
    }
}
