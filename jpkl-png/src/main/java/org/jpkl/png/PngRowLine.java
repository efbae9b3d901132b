package org.jpkl.png;

import ar.com.hjg.pngj.IImageLine;
import org.jpkl.api.PlaneBuffer;

/**
 * Hands one row of a plane to PNGJ's writer as raw PNG bytes (16-bit samples big-endian), straight
 * from the plane's array: no per-pixel objects, no intermediate image.
 *
 * <p>Thread safety: not thread-safe; belongs to one encoder.
 */
final class PngRowLine implements IImageLine {
    private final int samplesPerRow;
    private PlaneBuffer plane;
    private int row;

    PngRowLine(int samplesPerRow) {
        this.samplesPerRow = samplesPerRow;
    }

    /** Points the line at row {@code y} of {@code source}. */
    void select(PlaneBuffer source, int y) {
        this.plane = source;
        this.row = y;
    }

    /** Writes the filter byte (0: PNGJ chooses the filter) and the row's samples to {@code raw}. */
    @Override
    public void writeToPngRaw(byte[] raw) {
        raw[0] = 0;
        int from = plane.offset() + row * samplesPerRow;
        if (plane.array() instanceof byte[]) {
            System.arraycopy(plane.bytes(), from, raw, 1, samplesPerRow);
        } else {
            short[] s = plane.shorts();
            for (int i = 0, j = 1; i < samplesPerRow; i++, j += 2) {
                int v = s[from + i];
                raw[j] = (byte) (v >>> 8);
                raw[j + 1] = (byte) v;
            }
        }
    }

    /** Never called: the codec reads PNGs with its own decoder. */
    @Override
    public void readFromPngRaw(byte[] raw, int length, int offset, int step) {
        throw new UnsupportedOperationException("write-only line");
    }

    /** Never called: the codec reads PNGs with its own decoder. */
    @Override
    public void endReadFromPngRaw() {
        throw new UnsupportedOperationException("write-only line");
    }
}
