package org.jpkl.tiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jpkl.WriteOptions;

/**
 * How a multi-page TIFF becomes an array: which key axes the page order maps to, where the plane
 * axes go, and how the array is written (codec, parameters, format, metadata).
 *
 * <p>Page axes: given explicitly ({@link Builder#axes(String)}, e.g. {@code "t=5,z=10"} or {@code "z"}),
 * else taken from an ImageJ hyperstack description ({@code frames}, {@code slices}, {@code channels}:
 * axes {@code t, z, c} in that order, since ImageJ stores channels fastest), else one axis {@code z}
 * over all pages (none for a single page). Page {@code p} is the key tuple whose C-order rank over the
 * page axes is {@code p}.
 *
 * <p>Thread safety: immutable; the {@link Builder} is not thread-safe.
 */
public final class TiffImportOptions {
    private final List<String> axisNames;
    private final List<Integer> axisSizes;
    private final boolean planeAxesFirst;
    private final WriteOptions writeOptions;
    private final long maxImagePixels;

    private TiffImportOptions(Builder b) {
        this.maxImagePixels = b.maxImagePixels;
        this.axisNames = List.copyOf(b.axisNames);
        this.axisSizes = List.copyOf(b.axisSizes);
        this.planeAxesFirst = b.planeAxesFirst;
        this.writeOptions = b.writeOptions;
    }

    /** Page axes from the file (ImageJ description) or one {@code z} axis; plane axes last; default write options. */
    public static TiffImportOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The explicit page axis names, empty when the file decides. */
    public List<String> axisNames() {
        return axisNames;
    }

    /** The explicit page axis sizes, one per name, -1 for "the rest of the pages". */
    public List<Integer> axisSizes() {
        return axisSizes;
    }

    /**
     * Whether the plane axes come first ({@code y, x, (c), pages...}, JPkl's layout) instead of last
     * ({@code pages..., y, x, (c)}, the order of NumPy's and ImageJ's stacks; the default).
     */
    public boolean planeAxesFirst() {
        return planeAxesFirst;
    }

    /** Codec, parameters, serializer and metadata of the written array (layout and axis names are set by the import). */
    public WriteOptions writeOptions() {
        return writeOptions;
    }

    /**
     * The most pixels of one page (default {@link ImagePages#DEFAULT_MAX_PIXELS}); a header claiming
     * more is refused before anything is decoded. Pages written to a tiled container are read one
     * tile row at a time, so a larger limit does not mean more memory.
     */
    public long maxImagePixels() {
        return maxImagePixels;
    }

    /** Explicit page axes, or empty. */
    Optional<List<String>> explicitAxes() {
        return axisNames.isEmpty() ? Optional.empty() : Optional.of(axisNames);
    }

    @Override
    public String toString() {
        return "TiffImportOptions[axes " + axisNames + axisSizes + ", planeAxesFirst " + planeAxesFirst + ", maxImagePixels "
                + maxImagePixels + ", " + writeOptions + "]";
    }

    /** Builds {@link TiffImportOptions}. */
    public static final class Builder {
        private final List<String> axisNames = new ArrayList<>();
        private final List<Integer> axisSizes = new ArrayList<>();
        private boolean planeAxesFirst;
        private WriteOptions writeOptions = WriteOptions.defaults();
        private long maxImagePixels = ImagePages.DEFAULT_MAX_PIXELS;

        private Builder() {
        }

        /**
         * The most pixels of one page (see {@link TiffImportOptions#maxImagePixels()}).
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxImagePixels(long pixels) {
            if (pixels < 1) {
                throw new IllegalArgumentException("maxImagePixels (" + pixels + ") must be >= 1");
            }
            this.maxImagePixels = pixels;
            return this;
        }

        /**
         * The page axes as text: comma-separated names, each with {@code =size}; at most one may omit its
         * size, which is then the page count divided by the others. E.g. {@code "z"}, {@code "t=5,z=10"},
         * {@code "t,z=10"}.
         *
         * @throws IllegalArgumentException for an empty or repeated name, a size below 1, or two sizes omitted
         */
        public Builder axes(String spec) {
            Objects.requireNonNull(spec, "spec");
            axisNames.clear();
            axisSizes.clear();
            int open = 0;
            for (String part : spec.split(",", -1)) {
                String p = part.trim();
                int eq = p.indexOf('=');
                String name = (eq < 0 ? p : p.substring(0, eq)).trim();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("axes ('" + spec + "'): every axis needs a name, e.g. 't=5,z=10'");
                }
                if (axisNames.contains(name)) {
                    throw new IllegalArgumentException("axes ('" + spec + "'): axis '" + name + "' appears twice");
                }
                int size = -1;
                if (eq >= 0) {
                    try {
                        size = Integer.parseInt(p.substring(eq + 1).trim());
                    } catch (NumberFormatException e) {
                        size = 0;
                    }
                    if (size < 1) {
                        throw new IllegalArgumentException("axes ('" + spec + "'): size of '" + name + "' ('"
                                + p.substring(eq + 1).trim() + "') must be an integer >= 1");
                    }
                } else {
                    open++;
                }
                axisNames.add(name);
                axisSizes.add(size);
            }
            if (open > 1) {
                throw new IllegalArgumentException("axes ('" + spec + "'): at most one axis may omit its size");
            }
            return this;
        }

        /** Plane axes first (JPkl's layout, needed for the pickle format) or last (default). */
        public Builder planeAxesFirst(boolean first) {
            this.planeAxesFirst = first;
            return this;
        }

        /** Codec, parameters, serializer and metadata of the written array. */
        public Builder writeOptions(WriteOptions options) {
            this.writeOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** The options. */
        public TiffImportOptions build() {
            return new TiffImportOptions(this);
        }
    }
}
