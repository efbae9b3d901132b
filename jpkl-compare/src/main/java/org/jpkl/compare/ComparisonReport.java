package org.jpkl.compare;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.Shapes;

/**
 * The result of a {@link CodecComparison} run: what was compared (the input array and the
 * settings) and one {@link ComparisonRow} per requested codec, in the order requested. Render it
 * with {@link #toTable()} for people or {@link #toJson()} for programs.
 *
 * <p>Thread safety: immutable.
 */
public final class ComparisonReport {
    private final DType dtype;
    private final int[] shape;
    private final PlaneLayout layout;
    private final long sliceCount;
    private final long rawBytes;
    private final InputStatistics stats;
    private final String serializerId;
    private final int warmups;
    private final int repeats;
    private final int sliceReads;
    private final int parallelism;
    private final List<ComparisonRow> rows;

    ComparisonReport(DType dtype, int[] shape, PlaneLayout layout, long sliceCount, long rawBytes, InputStatistics stats,
                     String serializerId, int warmups, int repeats, int sliceReads, int parallelism, List<ComparisonRow> rows) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.layout = layout;
        this.sliceCount = sliceCount;
        this.rawBytes = rawBytes;
        this.stats = stats;
        this.serializerId = serializerId;
        this.warmups = warmups;
        this.repeats = repeats;
        this.sliceReads = sliceReads;
        this.parallelism = parallelism;
        this.rows = List.copyOf(rows);
    }

    /** The input's element type. */
    public DType dtype() {
        return dtype;
    }

    /** The input's shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Which axes formed each encoded plane. */
    public PlaneLayout layout() {
        return layout;
    }

    /** Number of planes encoded per codec. */
    public long sliceCount() {
        return sliceCount;
    }

    /** The input's size in bytes, uncompressed (elements x bytes per element). */
    public long rawBytes() {
        return rawBytes;
    }

    /**
     * The peak of {@link CodecMeasurement#psnr()}: the range of the input's finite values (max -
     * min), whatever the dtype, so that data using a small part of its dtype's range are not
     * flattered; 0 for flat data.
     */
    public double psnrPeak() {
        return stats.range();
    }

    /** The input's value statistics the error figures are relative to. */
    public InputStatistics statistics() {
        return stats;
    }

    /** The id of the serializer the files were saved with. */
    public String serializerId() {
        return serializerId;
    }

    /** Untimed passes run before each timed measurement. */
    public int warmups() {
        return warmups;
    }

    /** Timed passes per measurement; figures are their medians. */
    public int repeats() {
        return repeats;
    }

    /** Random single-plane reads timed per codec. */
    public int sliceReads() {
        return sliceReads;
    }

    /** Threads used by the end-to-end save and load measurements. */
    public int parallelism() {
        return parallelism;
    }

    /** One row per requested codec, in the order requested (unmodifiable). */
    public List<ComparisonRow> rows() {
        return rows;
    }

    /** The row for this codec spec. */
    public Optional<ComparisonRow> row(CodecSpec spec) {
        return rows.stream().filter(r -> r.spec().equals(spec)).findFirst();
    }

    /** The row for a spec given as text, e.g. {@code "jpeg:quality=95"}; see {@link CodecSpec#parse}. */
    public Optional<ComparisonRow> row(String spec) {
        return row(CodecSpec.parse(spec));
    }

    /** The rows that were measured, in order. */
    public List<ComparisonRow> measuredRows() {
        return rows.stream().filter(ComparisonRow::isMeasured).toList();
    }

    private String inputLine() {
        return String.format(Locale.ROOT, "input: %s %s, layout %s, %,d planes, %,d raw bytes; serializer %s",
                dtype, Shapes.format(shape), layout, sliceCount, rawBytes, serializerId);
    }

    private String methodLine() {
        return String.format(Locale.ROOT, "PSNR: peak = the data's range %s (max %s - min %s); PSNR %s: peak = the dtype's range %s;"
                        + " err/std: max abs error / the data's standard deviation %s; times are medians of %d run%s after %d warm-up%s; "
                        + "enc/dec: the codec alone on 1 thread; save/get: Jpkl end to end with parallelism %d; "
                        + "slice: median of %d random single-plane reads from the saved file; MB/s of raw bytes",
                number(stats.range()), number(stats.max()), number(stats.min()), dtype, Double.isNaN(stats.dtypePeak()) ? "(none for "
                        + dtype + ")" : number(stats.dtypePeak()), String.format(Locale.ROOT, "%.4g", stats.std()), repeats, repeats == 1 ? "" : "s", warmups, warmups == 1 ? "" : "s", parallelism, sliceReads);
    }

    /**
     * A plain-text table, one line per codec, preceded by two lines on the input and the method.
     * Skipped and failed codecs show their reason instead of figures.
     */
    public String toTable() {
        String[] head = {"codec", "params", "lossless", "exact", "bytes", "ratio", "max err", "err/std", "PSNR dB",
            "PSNR " + dtype + " dB", "enc MB/s",
            "dec MB/s", "save MB/s", "get MB/s", "slice ms"};
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        for (ComparisonRow r : rows) {
            String params = r.params().isEmpty() ? "defaults" : r.spec().paramsText();
            String lossless = r.declaredLossless() ? "yes" : "no";
            if (r.measurement().isEmpty()) {
                cells.add(new String[] {r.codecId(), params, lossless,
                    r.status().name().toLowerCase(Locale.ROOT) + ": " + r.reason().orElse("")});
                continue;
            }
            CodecMeasurement m = r.measurement().get();
            cells.add(new String[] {r.codecId(), params, lossless, m.exact() ? "yes" : "no",
                String.format(Locale.ROOT, "%,d", m.compressedBytes()), fixed(m.ratio(), 2), errorText(m.maxAbsError()),
                relative(m.maxAbsErrorOverStd()), decibels(m.psnr()),
                decibels(m.psnrDtypePeak()), fixed(m.encodeMBps(), 1),
                fixed(m.decodeMBps(), 1), fixed(m.saveMBps(), 1), fixed(m.loadMBps(), 1), fixed(m.sliceReadMillis(), 2)});
        }
        int[] width = new int[head.length];
        for (String[] row : cells) {
            if (row.length == head.length) {
                for (int c = 0; c < row.length; c++) {
                    width[c] = Math.max(width[c], row[c].length());
                }
            } else {
                for (int c = 0; c < 3; c++) {
                    width[c] = Math.max(width[c], row[c].length());
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(inputLine()).append('\n').append(methodLine()).append('\n');
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                boolean last = c == row.length - 1;
                if (row.length < head.length && last) {
                    line.append(row[c]);
                } else if (c < 4) {
                    line.append(last ? row[c] : pad(row[c], width[c], false));
                } else {
                    line.append(pad(row[c], width[c], true));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private String errorText(double err) {
        if (Double.isInfinite(err)) {
            return "inf";
        }
        return dtype.isIntegral() ? fixed(err, 0) : String.format(Locale.ROOT, "%.4g", err);
    }

    private static String relative(double v) {
        if (v == 0 || Double.isNaN(v)) {
            return v == 0 ? "0" : "-";
        }
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String decibels(double v) {
        return v == Double.POSITIVE_INFINITY ? "inf" : fixed(v, 1);
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String pad(String s, int width, boolean right) {
        if (s.length() >= width) {
            return s;
        }
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }

    /**
     * The report as one JSON object: {@code input}, {@code settings}, {@code psnr_peak} (the data's
     * range), {@code psnr_dtype_peak} (null for floats), {@code data_min}, {@code data_max},
     * {@code data_std} and
     * {@code rows}, each row with {@code codec}, {@code params}, {@code status} ({@code measured},
     * {@code skipped}, {@code failed}), {@code reason}, {@code declared_lossless} and, when
     * measured, the figures of {@link CodecMeasurement} in snake case. Numbers that are not finite
     * (an infinite PSNR when exact, an unmeasured latency) are {@code null}.
     */
    public String toJson() {
        JsonObject input = new JsonObject();
        input.addProperty("dtype", dtype.numpyName());
        JsonArray shapeJson = new JsonArray();
        for (int length : shape) {
            shapeJson.add(length);
        }
        input.add("shape", shapeJson);
        JsonObject layoutJson = new JsonObject();
        layoutJson.addProperty("y", layout.yAxis());
        layoutJson.addProperty("x", layout.xAxis());
        layout.channelAxis().ifPresent(c -> layoutJson.addProperty("channel", c));
        input.add("layout", layoutJson);
        input.addProperty("slices", sliceCount);
        input.addProperty("raw_bytes", rawBytes);
        input.addProperty("format", serializerId);
        JsonObject settings = new JsonObject();
        settings.addProperty("warmups", warmups);
        settings.addProperty("repeats", repeats);
        settings.addProperty("slice_reads", sliceReads);
        settings.addProperty("parallelism", parallelism);
        JsonObject root = new JsonObject();
        root.add("input", input);
        root.add("settings", settings);
        root.add("psnr_peak", jsonNumber(stats.range()));
        root.add("psnr_dtype_peak", jsonNumber(stats.dtypePeak()));
        root.add("data_min", jsonNumber(stats.min()));
        root.add("data_max", jsonNumber(stats.max()));
        root.add("data_std", jsonNumber(stats.std()));
        JsonArray rowsJson = new JsonArray();
        for (ComparisonRow r : rows) {
            JsonObject row = new JsonObject();
            row.addProperty("codec", r.codecId());
            row.add("params", strings(r.params()));
            row.addProperty("status", r.status().name().toLowerCase(Locale.ROOT));
            row.add("reason", r.reason().<JsonElement>map(JsonPrimitive::new).orElse(JsonNull.INSTANCE));
            row.addProperty("declared_lossless", r.declaredLossless());
            if (r.measurement().isPresent()) {
                CodecMeasurement m = r.measurement().get();
                row.add("stored_params", strings(m.storedParams()));
                row.addProperty("exact", m.exact());
                row.addProperty("compressed_bytes", m.compressedBytes());
                row.addProperty("payload_bytes", m.payloadBytes());
                row.add("ratio", jsonNumber(m.ratio()));
                row.add("max_abs_error", jsonNumber(m.maxAbsError()));
                row.add("max_abs_error_over_std", jsonNumber(m.maxAbsErrorOverStd()));
                row.add("psnr_db", jsonNumber(m.psnr()));
                row.add("psnr_dtype_peak_db", jsonNumber(m.psnrDtypePeak()));
                row.add("encode_mbps", jsonNumber(m.encodeMBps()));
                row.add("decode_mbps", jsonNumber(m.decodeMBps()));
                row.add("save_mbps", jsonNumber(m.saveMBps()));
                row.add("load_mbps", jsonNumber(m.loadMBps()));
                row.add("slice_read_ms", jsonNumber(m.sliceReadMillis()));
            }
            rowsJson.add(row);
        }
        root.add("rows", rowsJson);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    /** A JSON number: integral values without a fraction, null for NaN and infinities. */
    private static JsonElement jsonNumber(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return JsonNull.INSTANCE;
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? new JsonPrimitive((long) v) : new JsonPrimitive(v);
    }

    private static JsonObject strings(Map<String, String> map) {
        JsonObject o = new JsonObject();
        map.forEach(o::addProperty);
        return o;
    }

    /** The input line of {@link #toTable()} and the number of rows. */
    @Override
    public String toString() {
        return "ComparisonReport[" + inputLine() + "; " + rows.size() + " codecs]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ComparisonReport)) {
            return false;
        }
        ComparisonReport r = (ComparisonReport) o;
        return dtype == r.dtype && java.util.Arrays.equals(shape, r.shape) && layout.equals(r.layout) && sliceCount == r.sliceCount
                && rawBytes == r.rawBytes && stats.equals(r.stats) && serializerId.equals(r.serializerId)
                && warmups == r.warmups && repeats == r.repeats && sliceReads == r.sliceReads && parallelism == r.parallelism
                && rows.equals(r.rows);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, java.util.Arrays.hashCode(shape), layout, rawBytes, rows);
    }
}
