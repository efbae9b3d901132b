package org.jpkl.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jpkl.Jpkl;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.Shapes;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.SliceCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jpkl info FILE}: what a container holds, read from its header and index only (works even
 * when its codec is not installed). {@code --json} prints the stable layout documented in
 * docs/CLI.md (version {@value #JSON_VERSION}).
 */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show a container's shape, dtype, axis names, codec and parameters, serializer, file size, raw size,"
            + " compression ratio and metadata (reads only the header and index).",
        footerHeading = "%nExamples:%n",
        footer = {"  jpkl info stack.jpkl",
            "  jpkl info stack.jpkl --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"shape\"])'"})
final class InfoCommand implements Callable<Integer> {
    /** The version of the --json layout; raised only when a key changes meaning or disappears. */
    static final int JSON_VERSION = 1;

    @ParentCommand
    JpklCommand root;

    @Parameters(index = "0", paramLabel = "FILE", converter = ContainerLocation.Converter.class,
            description = "A container file, or a URI such as https://host/stack.jpkl.")
    ContainerLocation file;

    @Option(names = "--json", description = "Print JSON (stable layout, see docs/CLI.md).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Jpkl jpkl = root.jpkl();
        Map<String, Object> info;
        try (ContainerReader reader = openReader(jpkl, file)) {
            info = describe(jpkl, reader, file);
        }
        PrintStream out = root.io().out();
        if (json) {
            out.println(Json.gson().toJson(info));
        } else {
            printText(out, info);
        }
        return 0;
    }

    /** Opens a container's header and index with whichever serializer recognises it. */
    static ContainerReader openReader(Jpkl jpkl, ContainerLocation file) throws java.io.IOException {
        RandomAccessSource source = file.openSource(jpkl);
        try {
            Optional<ContainerSerializer> s = jpkl.serializers().detect(source);
            if (s.isEmpty()) {
                throw new JpklFormatException(file.toString(), "preamble", "not a container any installed serializer recognises (serializers: "
                        + jpkl.serializers().ids() + "); to encode an image or array file use 'jpkl encode'");
            }
            return s.get().openReader(source);
        } catch (java.io.IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** The info map, in the documented JSON layout. */
    static Map<String, Object> describe(Jpkl jpkl, ContainerReader reader, ContainerLocation file) throws java.io.IOException {
        ContainerHeader h = reader.header();
        PlaneLayout layout = h.layout();
        long fileSize = reader.byteSize();
        long rawSize = Shapes.product(h.shape()) * h.dtype().byteSize();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", JSON_VERSION);
        m.put("file", file.toString());
        m.put("format", reader.serializerId()); // the key of JSON version 1, kept beside "serializer" for scripts
        m.put("serializer", reader.serializerId());
        m.put("shape", h.shape());
        m.put("dtype", h.dtype().numpyName());
        m.put("axes", h.axisNames());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("yAxis", layout.yAxis());
        p.put("xAxis", layout.xAxis());
        p.put("channelAxis", layout.channelAxis().isPresent() ? layout.channelAxis().getAsInt() : null);
        p.put("height", h.shape()[layout.yAxis()]);
        p.put("width", h.shape()[layout.xAxis()]);
        p.put("channels", layout.channels().toString());
        m.put("plane", p);
        m.put("keyAxes", h.keySpace().keyAxes());
        m.put("slices", h.sliceCount());
        m.put("tileShape", h.tiling().map(t -> new int[] {t.tileHeight(), t.tileWidth()}).orElse(null));
        List<int[]> levelShapes = new ArrayList<>();
        for (int k = 1; k < h.levelCount(); k++) {
            levelShapes.add(h.level(k).shape());
        }
        m.put("levels", levelShapes);
        m.put("chunks", h.chunkCount());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", h.codecId());
        c.put("params", h.codecParams());
        Optional<SliceCodec> codec = jpkl.codecs().find(h.codecId());
        c.put("lossless", codec.map(x -> (Object) storedLossless(x, h.codecParams())).orElse(null));
        c.put("available", codec.map(x -> x.availability().isAvailable()).orElse(false));
        c.put("unavailableReason", codec.isEmpty() ? "codec '" + h.codecId() + "' is not installed; available: " + jpkl.codecs().ids()
                : codec.get().availability().reason().orElse(null));
        m.put("codec", c);
        m.put("fileSize", fileSize);
        m.put("rawSize", rawSize);
        m.put("compressionRatio", Math.round(Sizes.ratio(rawSize, fileSize) * 1000) / 1000.0);
        m.put("metadata", h.metadata());
        return m;
    }

    /**
     * Whether the file's slices are exact: the codec's answer for the stored parameters; parameters the
     * installed codec does not accept fall back to what the codec declares in general.
     */
    private static boolean storedLossless(SliceCodec codec, Map<String, String> stored) {
        try {
            return codec.isLossless(codec.params(stored));
        } catch (IllegalArgumentException e) {
            return codec.capabilities().lossless();
        }
    }

    @SuppressWarnings("unchecked")
    private static void printText(PrintStream out, Map<String, Object> m) {
        Map<String, Object> plane = (Map<String, Object>) m.get("plane");
        Map<String, Object> codec = (Map<String, Object>) m.get("codec");
        List<String> axes = (List<String>) m.get("axes");
        int[] keyAxes = (int[]) m.get("keyAxes");
        List<String> keyNames = new ArrayList<>();
        for (int k : keyAxes) {
            keyNames.add(axes.get(k));
        }
        String planeNames = axes.get((Integer) plane.get("yAxis")) + ", " + axes.get((Integer) plane.get("xAxis"))
                + (plane.get("channelAxis") == null ? "" : ", " + axes.get((Integer) plane.get("channelAxis")) + " (RGB)");
        Object lossless = codec.get("lossless");
        String codecNote = lossless == null ? "not installed here" : ((Boolean) lossless ? "lossless"
                : "LOSSY: values read back differ from the original")
                + (Boolean.TRUE.equals(codec.get("available")) ? "" : ", not available here: " + codec.get("unavailableReason"));
        row(out, "file", m.get("file"));
        row(out, "serializer", m.get("serializer"));
        row(out, "shape", Shapes.format((int[]) m.get("shape")));
        row(out, "dtype", m.get("dtype"));
        row(out, "axes", String.join(", ", axes) + "  (plane: " + planeNames + (keyNames.isEmpty() ? "" : "; key axes: "
                + String.join(", ", keyNames)) + ")");
        row(out, "slices", m.get("slices") + " planes of " + plane.get("height") + " x " + plane.get("width") + " " + plane.get("channels"));
        int[] tiles = (int[]) m.get("tileShape");
        row(out, "tiles", tiles == null ? "none (whole planes)" : tiles[0] + " x " + tiles[1] + " (" + m.get("chunks")
                + " tiles, each encoded on its own)");
        List<int[]> levels = (List<int[]>) m.get("levels");
        StringBuilder levelText = new StringBuilder(levels.isEmpty() ? "none" : levels.size() + " reduced:");
        for (int k = 0; k < levels.size(); k++) {
            levelText.append(k == 0 ? " " : ", ").append(k + 1).append(' ').append(Shapes.format(levels.get(k)));
        }
        row(out, "levels", levelText);
        row(out, "codec", codec.get("id") + " " + codec.get("params") + " (" + codecNote + ")");
        row(out, "file size", Sizes.bytes((Long) m.get("fileSize")));
        row(out, "raw size", Sizes.bytes((Long) m.get("rawSize")));
        row(out, "ratio", String.format(Locale.ROOT, "%.2f", (Double) m.get("compressionRatio")));
        Map<String, Object> metadata = (Map<String, Object>) m.get("metadata");
        row(out, "metadata", metadata.isEmpty() ? "(none)" : new com.google.gson.GsonBuilder().disableHtmlEscaping().serializeNulls()
                .create().toJson(metadata));
    }

    private static void row(PrintStream out, String key, Object value) {
        out.printf(Locale.ROOT, "%-10s %s%n", key, value);
    }
}
