package org.jpkl.tiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jpkl.api.JpklFormatException;

/**
 * The key axes the pages of a stack map to, outermost first: page {@code p} is the tuple whose
 * C-order rank over the axes is {@code p}. From a TIFF's ImageJ description ({@link #of(Optional,
 * int, String)}): {@code frames}, {@code slices}, {@code channels} become {@code t, z, c} (in that
 * order, since ImageJ stores channels fastest, then slices, then frames; counts of 1 are left out);
 * without one, one axis {@code z} over all pages (none for a single page).
 *
 * <p>Thread safety: immutable.
 */
public final class PageAxes {
    private final List<String> names;
    private final int[] sizes;
    private final Map<String, Object> imageJ;

    private PageAxes(List<String> names, int[] sizes, Map<String, Object> imageJ) {
        this.names = List.copyOf(names);
        this.sizes = sizes.clone();
        this.imageJ = imageJ;
    }

    /**
     * The page axes a file's first ImageDescription gives.
     *
     * @param description page 0's ImageDescription, if any (only an ImageJ description, starting with
     *     {@code ImageJ=}, names axes)
     * @param pages the file's page count, at least 1
     * @param source the file, for messages
     * @throws JpklFormatException if an ImageJ description's counts do not multiply to the page count
     */
    public static PageAxes of(Optional<String> description, int pages, String source) throws JpklFormatException {
        Objects.requireNonNull(description, "description");
        if (pages < 1) {
            throw new IllegalArgumentException("pages (" + pages + ") must be >= 1");
        }
        ImageJDescription ij = ImageJDescription.parse(description.orElse(null));
        Map<String, Object> meta = ij == null ? Map.of() : ij.asMetadata();
        if (ij == null || !ij.hasCounts()) {
            return pages > 1 ? new PageAxes(List.of("z"), new int[] {pages}, meta) : new PageAxes(List.of(), new int[0], meta);
        }
        int frames = ij.count("frames");
        int slices = ij.count("slices");
        int channels = ij.count("channels");
        long described = (long) frames * slices * channels;
        if (described == 1 && ij.count("images") > 1) {
            slices = ij.count("images");
            described = slices;
        }
        if (described != pages) {
            throw new JpklFormatException(source, "ImageJ description", "gives channels=" + channels + ", slices=" + slices
                    + ", frames=" + frames + " (" + described + " images) but the file has " + pages + " pages"
                    + (pages == 1 ? " (ImageJ writes stacks over 4 GiB as one page followed by raw data, which is not read)" : "")
                    + "; name the page axes explicitly");
        }
        int[] counts = {frames, slices, channels};
        String[] axisNames = {"t", "z", "c"};
        List<String> names = new ArrayList<>();
        int[] sizes = new int[3];
        int n = 0;
        for (int i = 0; i < 3; i++) {
            if (counts[i] > 1) {
                names.add(axisNames[i]);
                sizes[n++] = counts[i];
            }
        }
        return new PageAxes(names, Arrays.copyOf(sizes, n), meta);
    }

    /**
     * Page axes given by name and size, outermost first (no ImageJ entries).
     *
     * @throws IllegalArgumentException if the counts differ, a size is below 1, or a name is empty or repeated
     */
    public static PageAxes of(List<String> names, int[] sizes) {
        if (names.size() != sizes.length) {
            throw new IllegalArgumentException(names.size() + " names " + names + " but " + sizes.length + " sizes " + Arrays.toString(sizes));
        }
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 1) {
                throw new IllegalArgumentException("size of axis '" + names.get(i) + "' (" + sizes[i] + ") must be >= 1");
            }
            if (names.get(i).isEmpty() || names.indexOf(names.get(i)) != i) {
                throw new IllegalArgumentException("axis names " + names + " must be non-empty and distinct");
            }
        }
        return new PageAxes(names, sizes, Map.of());
    }

    /** Axis names, outermost first. */
    public List<String> names() {
        return names;
    }

    /** Axis lengths, one per name (a copy). */
    public int[] sizes() {
        return sizes.clone();
    }

    /** The number of pages the axes hold (1 without axes). */
    public long pageCount() {
        long n = 1;
        for (int s : sizes) {
            n *= s;
        }
        return n;
    }

    /**
     * The entries of the ImageJ description (numbers as Long or Double, {@code true}/{@code false} as
     * Boolean, the rest as text), empty when the file has none.
     */
    public Map<String, Object> imageJ() {
        return imageJ;
    }

    /**
     * The position of page {@code page} along each axis.
     *
     * @throws IndexOutOfBoundsException if {@code page} is not in [0, pageCount)
     */
    public int[] position(long page) {
        Objects.checkIndex(page, pageCount());
        int[] at = new int[sizes.length];
        long rest = page;
        for (int k = sizes.length - 1; k >= 0; k--) {
            at[k] = (int) (rest % sizes[k]);
            rest /= sizes[k];
        }
        return at;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PageAxes && ((PageAxes) o).names.equals(names) && Arrays.equals(((PageAxes) o).sizes, sizes);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + Arrays.hashCode(sizes);
    }

    /** E.g. {@code t=2, z=3, c=4}, or {@code none}. */
    @Override
    public String toString() {
        if (names.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(sizes[i]);
        }
        return sb.toString();
    }
}
