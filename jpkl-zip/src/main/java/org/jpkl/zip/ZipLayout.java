package org.jpkl.zip;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.KeySpace;
import org.jpkl.api.TileGrid;

/** Entry names of the ZIP container (see {@link ZipSerializer}). */
final class ZipLayout {
    /** The header entry: the container's JSON header, first in the archive. */
    static final String HEADER_ENTRY = "jpkl.json";
    static final byte[] HEADER_ENTRY_BYTES = HEADER_ENTRY.getBytes(StandardCharsets.US_ASCII);
    /** The folder holding one entry per slice. */
    static final String SLICES = "slices/";
    /**
     * The folder of the reduced resolution levels: level {@code k}'s entries are named as level 0's
     * under {@code slices/}, with {@code levels/<k>/} in place of {@code slices/}.
     */
    static final String LEVELS = "levels/";
    /** The stem of the one slice of an array without key axes. */
    static final String PLANE_STEM = "plane";
    /** Between a slice's stem and a tile's row and column: {@code slices/0/5/2_t1_3.jpg}. */
    static final String TILE_MARK = "_t";
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
     * The entry name of chunk {@code chunkNumber} of {@code header}: the slice's entry untiled, else
     * the slice's stem with the tile's row and column, e.g. {@code slices/0/5/2_t1_3.jpg} or
     * {@code slices/plane_t0_2.png}.
     */
    static String chunkEntry(ContainerHeader header, long chunkNumber, String extension) {
        int level = levelOf(header, chunkNumber);
        if (level > 0) {
            String name = chunkEntry(header.level(level), chunkNumber - header.levelChunkStart(level), extension);
            return LEVELS + level + "/" + name.substring(SLICES.length());
        }
        KeySpace keys = header.keySpace();
        if (!header.isTiled()) {
            return sliceEntry(keys.key(chunkNumber), extension);
        }
        TileGrid grid = header.tiling().get();
        long tile = chunkNumber % grid.tilesPerPlane();
        String slice = sliceEntry(keys.key(chunkNumber / grid.tilesPerPlane()), extension);
        String stem = slice.substring(0, slice.length() - extension.length() - 1);
        return stem + TILE_MARK + tile / grid.columns() + "_" + tile % grid.columns() + "." + extension;
    }

    /** The resolution level chunk {@code chunkNumber} of {@code header} belongs to (0: the array's own chunks). */
    static int levelOf(ContainerHeader header, long chunkNumber) {
        int level = 0;
        while (level + 1 < header.levelCount() && chunkNumber >= header.levelChunkStart(level + 1)) {
            level++;
        }
        return level;
    }

    /**
     * The level number {@code k} of an entry named {@code levels/<k>/...} (any decimal number, 0 and
     * numbers beyond the header's levels included, for the reader to refuse), or -1 for any other name.
     */
    static int parseLevel(String entryName) {
        if (!entryName.startsWith(LEVELS)) {
            return -1;
        }
        int slash = entryName.indexOf('/', LEVELS.length());
        return slash < 0 ? -1 : parseIndex(entryName.substring(LEVELS.length(), slash));
    }

    /**
     * The name an entry {@code levels/<k>/rest} of a level would have as level 0's: {@code slices/rest},
     * to be parsed with {@link #parseKey} or {@link #parseTileKey} against that level's header.
     */
    static String asLevelZero(String levelEntryName) {
        return SLICES + levelEntryName.substring(levelEntryName.indexOf('/', LEVELS.length()) + 1);
    }

    /**
     * The key tuple an entry name under {@code slices/} stands for (any extension), or null if the
     * name is not of that form.
     */
    static int[] parseKey(String entryName, int keyAxes) {
        String stem = stem(entryName);
        return stem == null ? null : parseStem(stem, keyAxes);
    }

    /**
     * The key tuple followed by the tile's row and column that a tile entry name under
     * {@code slices/} stands for ({@link #chunkEntry}, any extension), or null if the name is not of
     * that form.
     */
    static int[] parseTileKey(String entryName, int keyAxes) {
        String stem = stem(entryName);
        if (stem == null) {
            return null;
        }
        int mark = stem.lastIndexOf(TILE_MARK);
        if (mark < 0 || stem.indexOf('/', mark) >= 0) {
            return null;
        }
        String[] rc = stem.substring(mark + TILE_MARK.length()).split("_", -1);
        int[] key = parseStem(stem.substring(0, mark), keyAxes);
        if (key == null || rc.length != 2) {
            return null;
        }
        int[] out = Arrays.copyOf(key, keyAxes + 2);
        for (int i = 0; i < 2; i++) {
            int v = parseIndex(rc[i]);
            if (v < 0) {
                return null;
            }
            out[keyAxes + i] = v;
        }
        return out;
    }

    /** The part of an entry name under {@code slices/} before its extension, or null outside {@code slices/}. */
    private static String stem(String entryName) {
        if (!entryName.startsWith(SLICES) || entryName.endsWith("/")) {
            return null;
        }
        String path = entryName.substring(SLICES.length());
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash ? path.substring(0, dot) : path;
    }

    private static int[] parseStem(String stem, int keyAxes) {
        if (keyAxes == 0) {
            return stem.equals(PLANE_STEM) ? new int[0] : null;
        }
        String[] parts = stem.split("/", -1);
        if (parts.length != keyAxes) {
            return null;
        }
        int[] key = new int[keyAxes];
        for (int i = 0; i < keyAxes; i++) {
            key[i] = parseIndex(parts[i]);
            if (key[i] < 0) {
                return null;
            }
        }
        return key;
    }

    /** A non-negative decimal int without sign, or -1. */
    private static int parseIndex(String p) {
        if (p.isEmpty() || p.length() > 10 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        long v = Long.parseLong(p);
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }
}
