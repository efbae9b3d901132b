package org.jpkl.sqrt;

import java.util.Arrays;

/**
 * Canonical, length-limited Huffman codes (as in DEFLATE: codes are assigned in order of length,
 * then symbol, so the lengths alone describe the code) and the table that decodes them.
 *
 * <p>Thread safety: the static methods are pure; a {@link Decoding} is immutable after construction.
 */
final class Huffman {
    /** The longest code: 15 bits, so a length fits in a nibble and two codes in an int. */
    static final int MAX_LENGTH = 15;
    /** Bits of the decoder's first-level table; longer codes take the canonical slow path. */
    private static final int TABLE_BITS = 11;

    private Huffman() {
    }

    /**
     * Code lengths (0 for unused symbols, at most {@link #MAX_LENGTH}) for these frequencies, which
     * must use between 1 and {@code 2^MAX_LENGTH} symbols. A single used symbol gets length 1.
     */
    static byte[] lengths(int[] frequencies, int symbols) {
        int used = 0;
        for (int s = 0; s < symbols; s++) {
            if (frequencies[s] != 0) {
                used++;
            }
        }
        byte[] lengths = new byte[symbols];
        if (used == 1) {
            for (int s = 0; s < symbols; s++) {
                if (frequencies[s] != 0) {
                    lengths[s] = 1;
                }
            }
            return lengths;
        }
        long[] weights = new long[used];
        for (int s = 0, k = 0; s < symbols; s++) {
            if (frequencies[s] != 0) {
                weights[k++] = (long) frequencies[s] << 16 | s;
            }
        }
        while (!build(weights, lengths)) {
            // Too deep: flatten the distribution (halve every weight, keeping each >= 1) and retry.
            for (int k = 0; k < used; k++) {
                long w = Math.max(1, (weights[k] >>> 16) >>> 1);
                weights[k] = w << 16 | (weights[k] & 0xFFFF);
            }
        }
        return lengths;
    }

    /** Two-queue Huffman over the used symbols; false if a code would exceed {@link #MAX_LENGTH}. */
    private static boolean build(long[] keys, byte[] lengths) {
        int n = keys.length;
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        long[] weight = new long[2 * n - 1];
        int[] parent = new int[2 * n - 1];
        for (int k = 0; k < n; k++) {
            weight[k] = sorted[k] >>> 16;
        }
        int leaf = 0;
        int inner = n;
        for (int next = n; next < 2 * n - 1; next++) {
            int a = leaf < n && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
            int b = leaf < n && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
            weight[next] = weight[a] + weight[b];
            parent[a] = next;
            parent[b] = next;
        }
        int[] depth = new int[2 * n - 1];
        for (int node = 2 * n - 3; node >= 0; node--) {
            depth[node] = depth[parent[node]] + 1;
        }
        for (int k = 0; k < n; k++) {
            if (depth[k] > MAX_LENGTH) {
                return false;
            }
        }
        for (int k = 0; k < n; k++) {
            lengths[(int) (sorted[k] & 0xFFFF)] = (byte) depth[k];
        }
        return true;
    }

    /**
     * The canonical codes of these lengths, each packed as {@code code << 4 | length} (0 for unused
     * symbols).
     */
    static int[] codes(byte[] lengths, int symbols) {
        int[] count = new int[MAX_LENGTH + 1];
        for (int s = 0; s < symbols; s++) {
            count[lengths[s]]++;
        }
        count[0] = 0;
        int[] next = new int[MAX_LENGTH + 2];
        for (int len = 1, code = 0; len <= MAX_LENGTH; len++) {
            code = (code + count[len - 1]) << 1;
            next[len] = code;
        }
        int[] codes = new int[symbols];
        for (int s = 0; s < symbols; s++) {
            int len = lengths[s];
            if (len != 0) {
                codes[s] = next[len]++ << 4 | len;
            }
        }
        return codes;
    }

    /**
     * Decoding tables for a canonical code given by its lengths.
     *
     * <p>Thread safety: immutable after construction.
     */
    static final class Decoding {
        /** Bits of {@link #table}. */
        final int tableBits;
        /** Entry per {@code tableBits}-bit prefix: {@code symbol << 4 | length}, or 0 for a longer (or invalid) code. */
        final int[] table;
        /** Per length: the first code, the number of codes and the index of its first symbol in {@link #symbols}. */
        final int[] first = new int[MAX_LENGTH + 1];
        final int[] count = new int[MAX_LENGTH + 1];
        final int[] index = new int[MAX_LENGTH + 1];
        /** The used symbols in canonical order (by length, then symbol). */
        final int[] symbols;
        /** The longest length used. */
        final int maxLength;

        /**
         * @return null if the lengths over-subscribe the code space (not a prefix code)
         */
        static Decoding of(byte[] lengths, int symbols) {
            long kraft = 0;
            int used = 0;
            int max = 0;
            for (int s = 0; s < symbols; s++) {
                int len = lengths[s];
                if (len != 0) {
                    kraft += 1L << (MAX_LENGTH - len);
                    used++;
                    max = Math.max(max, len);
                }
            }
            if (used == 0 || kraft > 1L << MAX_LENGTH) {
                return null;
            }
            return new Decoding(lengths, symbols, used, max);
        }

        private Decoding(byte[] lengths, int n, int used, int maxLength) {
            this.maxLength = maxLength;
            for (int s = 0; s < n; s++) {
                count[lengths[s]]++;
            }
            count[0] = 0;
            for (int len = 1, code = 0, at = 0; len <= MAX_LENGTH; len++) {
                code = (code + count[len - 1]) << 1;
                first[len] = code;
                index[len] = at;
                at += count[len];
            }
            symbols = new int[used];
            int[] fill = index.clone();
            for (int s = 0; s < n; s++) {
                int len = lengths[s];
                if (len != 0) {
                    symbols[fill[len]++] = s;
                }
            }
            tableBits = Math.min(TABLE_BITS, maxLength);
            table = new int[1 << tableBits];
            for (int len = 1; len <= tableBits; len++) {
                for (int k = 0; k < count[len]; k++) {
                    int code = first[len] + k;
                    int from = code << (tableBits - len);
                    Arrays.fill(table, from, from + (1 << (tableBits - len)), symbols[index[len] + k] << 4 | len);
                }
            }
        }
    }
}
