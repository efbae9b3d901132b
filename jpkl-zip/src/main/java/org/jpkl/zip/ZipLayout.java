package org.jpkl.zip;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Entry names of the ZIP container (see {@link ZipSerializer}). */
final class ZipLayout {
    /** The header entry: the container's JSON header, first in the archive. */
    static final String HEADER_ENTRY = "jpkl.json";
    static final byte[] HEADER_ENTRY_BYTES = HEADER_ENTRY.getBytes(StandardCharsets.US_ASCII);
    /** The folder holding one entry per slice. */
    static final String SLICES = "slices/";
    /** The stem of the one slice of an array without key axes. */
    static final String PLANE_STEM = "plane";
    /** The largest header entry read (as the default format's header limit). */
    static final int MAX_HEADER_BYTES = 16 << 20;
    /** The largest slice entry (one Java array holds it). */
    static final long MAX_SLICE_BYTES = Integer.MAX_VALUE - 8;

    /** File name extensions that let image viewers open the slices; other codecs use their id. */
    private static final Map<String, String> EXTENSIONS = Map.of("jpeg", "jpg", "png", "png");

    private ZipLayout() {
    }

    /** The extension of slice entries for a codec, e.g. {@code jpg} for {@code jpeg}. */
    static String extension(String codecId) {
        return EXTENSIONS.getOrDefault(codecId, codecId.toLowerCase(Locale.ROOT));
    }

    /** The entry name of a slice, e.g. {@code slices/0/5/2.jpg}, or {@code slices/plane.jpg} for the empty key. */
    static String sliceEntry(int[] key, String extension) {
        StringBuilder sb = new StringBuilder(SLICES);
        if (key.length == 0) {
            sb.append(PLANE_STEM);
        }
        for (int i = 0; i < key.length; i++) {
            sb.append(i > 0 ? "/" : "").append(key[i]);
        }
        return sb.append('.').append(extension).toString();
    }

    /**
     * The key tuple an entry name under {@code slices/} stands for (any extension), or null if the
     * name is not of that form.
     */
    static int[] parseKey(String entryName, int keyAxes) {
        if (!entryName.startsWith(SLICES) || entryName.endsWith("/")) {
            return null;
        }
        String path = entryName.substring(SLICES.length());
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        String stem = dot > slash ? path.substring(0, dot) : path;
        if (keyAxes == 0) {
            return stem.equals(PLANE_STEM) ? new int[0] : null;
        }
        String[] parts = stem.split("/", -1);
        if (parts.length != keyAxes) {
            return null;
        }
        int[] key = new int[keyAxes];
        for (int i = 0; i < keyAxes; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 10 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            long v = Long.parseLong(p);
            if (v > Integer.MAX_VALUE) {
                return null;
            }
            key[i] = (int) v;
        }
        return key;
    }
}
