package org.jpkl.tiff;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ImageJ description ImageJ writes into the first page's ImageDescription tag, e.g.
 * {@code "ImageJ=1.54f\nimages=60\nchannels=2\nslices=5\nframes=6\nhyperstack=true\n"}. Pages are
 * stored channels fastest, then slices, then frames.
 */
final class ImageJDescription {
    private final Map<String, String> entries;

    private ImageJDescription(Map<String, String> entries) {
        this.entries = entries;
    }

    /** The description if {@code text} is one (starts with {@code ImageJ=}), else null. */
    static ImageJDescription parse(String text) {
        if (text == null || !text.startsWith("ImageJ=")) {
            return null;
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                entries.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return new ImageJDescription(entries);
    }

    /** A positive count entry ({@code images}, {@code channels}, {@code slices}, {@code frames}), or 1 when absent or bad. */
    int count(String key) {
        String v = entries.get(key);
        if (v == null) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Whether the description gives any of {@code images}, {@code channels}, {@code slices}, {@code frames}. */
    boolean hasCounts() {
        return entries.containsKey("images") || entries.containsKey("channels") || entries.containsKey("slices")
                || entries.containsKey("frames");
    }

    /** The entries as metadata: numbers as Long or Double, {@code true}/{@code false} as Boolean, the rest as text. */
    Map<String, Object> asMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        entries.forEach((k, v) -> m.put(k, value(v)));
        return m;
    }

    private static Object value(String v) {
        if (v.equals("true") || v.equals("false")) {
            return Boolean.valueOf(v);
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(v);
                return Double.isFinite(d) ? d : v;
            } catch (NumberFormatException e2) {
                return v;
            }
        }
    }

    /**
     * A description for pages ordered by the given axes (outermost first). The axes are named as
     * ImageJ's only when they are a subsequence of frames, slices, channels (t, z, c) in that order;
     * otherwise the pages are a plain stack of slices.
     */
    static String format(List<String> pageAxisNames, int[] pageAxisSizes, long pages, String dtypeMode, double[] minMax) {
        return format(pageAxisNames, pageAxisSizes, pages, dtypeMode, minMax, Calibration.NONE);
    }

    /**
     * Reorders page axes (indices into {@code axisNames}) to ImageJ's page order, frames outermost,
     * channels innermost, when every one is a time, z or channel axis and no two are of one kind;
     * otherwise leaves them in stored order.
     */
    static void sortToImageJOrder(List<Integer> pageAxes, List<String> axisNames) {
        boolean[] seen = new boolean[3];
        for (int a : pageAxes) {
            int kind = kind(axisNames.get(a));
            if (kind == 3 || seen[kind]) {
                return;
            }
            seen[kind] = true;
        }
        pageAxes.sort(java.util.Comparator.comparingInt(a -> kind(axisNames.get(a))));
    }

    /** As {@link #format(List, int[], long, String, double[])}, with the calibration's entries. */
    static String format(List<String> pageAxisNames, int[] pageAxisSizes, long pages, String dtypeMode, double[] minMax,
                         Calibration calibration) {
        int frames = 1;
        int slices = 1;
        int channels = 1;
        int rank = -1;
        boolean hyper = true;
        for (int i = 0; i < pageAxisNames.size(); i++) {
            int kind = kind(pageAxisNames.get(i));
            if (kind == 3 || kind <= rank) {
                hyper = false;
                break;
            }
            rank = kind;
            if (kind == 0) {
                frames = pageAxisSizes[i];
            } else if (kind == 1) {
                slices = pageAxisSizes[i];
            } else {
                channels = pageAxisSizes[i];
            }
        }
        StringBuilder sb = new StringBuilder("ImageJ=1.11a\nimages=").append(pages).append('\n');
        if (hyper && pageAxisNames.size() > 0) {
            if (channels > 1) {
                sb.append("channels=").append(channels).append('\n');
            }
            if (slices > 1) {
                sb.append("slices=").append(slices).append('\n');
            }
            if (frames > 1) {
                sb.append("frames=").append(frames).append('\n');
            }
            if (pageAxisNames.size() > 1) {
                sb.append("hyperstack=true\n");
            }
            if (channels > 1) {
                sb.append("mode=").append(dtypeMode).append('\n');
            }
        } else if (pages > 1) {
            sb.append("slices=").append(pages).append('\n');
        }
        calibration.appendDescription(sb, pageAxisNames);
        if (minMax != null) {
            sb.append("min=").append(minMax[0]).append("\nmax=").append(minMax[1]).append('\n');
        }
        return sb.append("loop=false\n").toString();
    }

    /** 0 frames, 1 slices, 2 channels, 3 neither. */
    static int kind(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "t":
            case "time":
            case "frame":
            case "frames":
                return 0;
            case "z":
            case "slice":
            case "slices":
                return 1;
            case "c":
            case "channel":
            case "channels":
                return 2;
            default:
                return 3;
        }
    }
}
