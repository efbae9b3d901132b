package org.jpkl.jpeg;

import java.util.ArrayList;
import java.util.List;

/** Test helper: the marker segments of a JPEG stream's header, up to and including SOS. */
final class JpegSegments {
    /** One marker segment: marker byte (e.g. 0xE0), offset of its FF, payload offset and length. */
    record Segment(int marker, int offset, int payload, int length) {
    }

    private JpegSegments() {
    }

    static List<Segment> of(byte[] jpeg) {
        List<Segment> segments = new ArrayList<>();
        if ((jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new AssertionError("no SOI");
        }
        int at = 2;
        while (at + 4 <= jpeg.length) {
            if ((jpeg[at] & 0xFF) != 0xFF) {
                throw new AssertionError("no marker at " + at);
            }
            int marker = jpeg[at + 1] & 0xFF;
            int length = ((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF);
            segments.add(new Segment(marker, at, at + 4, length - 2));
            if (marker == 0xDA) {
                break;
            }
            at += 2 + length;
        }
        return segments;
    }

    /** The markers in order, e.g. [E0, DB, C0, C4, DA]. */
    static List<Integer> markers(byte[] jpeg) {
        List<Integer> m = new ArrayList<>();
        for (Segment s : of(jpeg)) {
            m.add(s.marker());
        }
        return m;
    }

    static Segment first(byte[] jpeg, int marker) {
        for (Segment s : of(jpeg)) {
            if (s.marker() == marker) {
                return s;
            }
        }
        throw new AssertionError("no marker FF" + Integer.toHexString(marker));
    }
}
