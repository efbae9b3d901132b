package org.jpkl.api.io;

import java.nio.file.Path;
import java.util.Comparator;

/**
 * Orders file names as people do: runs of digits compare by their value, so {@code img_2.png}
 * comes before {@code img_10.png}; other characters compare case-insensitively. Ties are broken by
 * fewer leading zeros ({@code img_2} before {@code img_02}), then exactly.
 * Paths compare by file name first, then by the whole path. The one order of image folders: the
 * CLI's {@code encode} and jpkl-spark's inputs (local folders and object-store prefixes) stack
 * their files in it.
 *
 * <p>Thread safety: stateless.
 */
public final class NaturalOrder implements Comparator<String> {
    /** The comparator for names. */
    public static final NaturalOrder NAMES = new NaturalOrder();

    /** Paths by natural order of their file names, ties broken by the whole path. */
    public static final Comparator<Path> PATHS = Comparator.<Path, String>comparing(p -> String.valueOf(p.getFileName()), NAMES)
            .thenComparing(Path::toString, NAMES);

    private NaturalOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        int leadingZeros = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int ei = digitsEnd(a, i);
                int ej = digitsEnd(b, j);
                String x = a.substring(i, ei);
                String y = b.substring(j, ej);
                int c = compareValues(x, y);
                if (c != 0) {
                    return c;
                }
                if (leadingZeros == 0) {
                    leadingZeros = Integer.compare(x.length(), y.length());
                }
                i = ei;
                j = ej;
            } else {
                int c = Character.compare(Character.toLowerCase(ca), Character.toLowerCase(cb));
                if (c != 0) {
                    return c;
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        if (c != 0) {
            return c;
        }
        return leadingZeros != 0 ? leadingZeros : a.compareTo(b);
    }

    private static int digitsEnd(String s, int start) {
        int e = start;
        while (e < s.length() && Character.isDigit(s.charAt(e))) {
            e++;
        }
        return e;
    }

    /** Compares digit runs by value without overflow: strip leading zeros, then length, then digits. */
    private static int compareValues(String x, String y) {
        String a = stripZeros(x);
        String b = stripZeros(y);
        if (a.length() != b.length()) {
            return Integer.compare(a.length(), b.length());
        }
        return a.compareTo(b);
    }

    private static String stripZeros(String s) {
        int k = 0;
        while (k < s.length() - 1 && s.charAt(k) == '0') {
            k++;
        }
        return s.substring(k);
    }
}
