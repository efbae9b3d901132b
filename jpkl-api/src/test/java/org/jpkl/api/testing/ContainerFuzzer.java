package org.jpkl.api.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;

/**
 * Mutates a valid container file (of any serializer) in many ways (bit flips, random bytes,
 * truncation at and around its structural offsets and anywhere, zeroed and garbage ranges, appended
 * bytes) and hands each mutant to a {@link Check}. A check returns the name of an acceptable
 * outcome; anything it throws (an unexpected exception, an {@link Error} such as
 * {@code OutOfMemoryError}, an {@link AssertionError} for a wrong answer) and a hang past the time
 * limit are recorded as failures.
 *
 * <p>{@link #serializerCheck} is the check at the SPI level (one serializer, no codec); the core
 * test-jar adds one that opens mutants through the library and decodes them. The same seed gives the
 * same mutants. Run a long campaign with {@code -Djpkl.fuzz.mutants=1000000} (see README).
 *
 * <p>Thread safety: one run at a time per instance.
 */
public final class ContainerFuzzer {
    /** Judges one mutant. */
    @FunctionalInterface
    public interface Check {
        /**
         * Opens and reads {@code mutant} (named {@code name}).
         *
         * @return the acceptable outcome, e.g. {@value #REJECTED_AT_OPEN}
         * @throws Throwable anything unacceptable, recorded as a failure with its stack trace
         */
        String check(String name, byte[] mutant) throws Throwable;
    }

    /** Outcome: the serializer does not claim the mutant and refuses to open it with a format error. */
    public static final String NOT_CLAIMED = "not claimed";
    /** Outcome: opening failed with a format error naming the file. */
    public static final String REJECTED_AT_OPEN = "rejected at open";
    /** Outcome: opening succeeded, a read failed with a format error naming the file. */
    public static final String REJECTED_AT_READ = "rejected at read";
    /** Outcome: everything read back as in the original. */
    public static final String READ_INTACT = "read intact";
    /** Outcome (only without checksums): something read back changed, without an error. */
    public static final String READ_CHANGED = "read changed data (checksums off)";

    /** What happened to the mutants of one run. */
    public static final class Result {
        /** Outcome name to count, e.g. {@value #REJECTED_AT_OPEN}. */
        public final TreeMap<String, Integer> outcomes = new TreeMap<>();
        /** One line per unacceptable outcome (first 20 kept). */
        public final List<String> failures = new ArrayList<>();
        /** Mutants run. */
        public int mutants;

        void count(String outcome) {
            outcomes.merge(outcome, 1, Integer::sum);
        }

        void fail(String line) {
            count("FAILURE");
            if (failures.size() < 20) {
                failures.add(line);
            }
        }

        /** Mutants refused cleanly: not claimed, or rejected at open or read. */
        public int rejected() {
            return outcomes.getOrDefault(NOT_CLAIMED, 0) + outcomes.getOrDefault(REJECTED_AT_OPEN, 0)
                    + outcomes.getOrDefault(REJECTED_AT_READ, 0);
        }

        @Override
        public String toString() {
            return mutants + " mutants: " + outcomes + (failures.isEmpty() ? "" : "\nfailures:\n  " + String.join("\n  ", failures));
        }
    }

    private final byte[] valid;
    private final List<Integer> offsets;
    private final long timeoutMillis;

    /**
     * @param valid the bytes of a valid container
     * @param structuralOffsets offsets where the format's regions start or end (see
     *     {@link #structuralOffsets}); truncations and zeroed ranges favour them
     * @param timeoutMillis longest time one mutant may take
     */
    public ContainerFuzzer(byte[] valid, Collection<Integer> structuralOffsets, long timeoutMillis) {
        if (valid.length == 0) {
            throw new IllegalArgumentException("valid container is empty");
        }
        this.valid = valid.clone();
        this.offsets = List.copyOf(new TreeSet<>(structuralOffsets));
        if (offsets.isEmpty()) {
            throw new IllegalArgumentException("structuralOffsets is empty");
        }
        this.timeoutMillis = timeoutMillis;
    }

    /** The number of mutants to run: the system property {@code jpkl.fuzz.mutants}, else {@code ciDefault}. */
    public static int mutantCount(int ciDefault) {
        return Integer.getInteger("jpkl.fuzz.mutants", ciDefault);
    }

    /**
     * Offsets worth cutting a file of any format at: its first bytes, the middle, the last 64 bytes
     * in steps of 4, and the start and end of each slice stored verbatim in it (found by content), so
     * the boundaries between a format's own structures and the slice data.
     */
    public static List<Integer> structuralOffsets(byte[] file, List<byte[]> slices) {
        TreeSet<Integer> b = new TreeSet<>(List.of(0, 1, 2, 4, 8, 12, 16, 32, file.length / 2));
        for (int off = 0; off <= 64 && off <= file.length; off += 4) {
            b.add(file.length - off);
        }
        int from = 0;
        for (byte[] slice : slices) {
            int at = indexOf(file, slice, from);
            if (at < 0) {
                at = indexOf(file, slice, 0);
            }
            if (at >= 0 && slice.length > 0) {
                b.add(at);
                b.add(at + slice.length);
                from = at + slice.length;
            }
        }
        b.removeIf(o -> o < 0 || o > file.length);
        return List.copyOf(b);
    }

    /** The first offset at or after {@code from} where {@code needle} occurs in {@code haystack}, or -1. */
    public static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The check of one serializer at the SPI level. A mutant it does not claim ({@link
     * ContainerSerializer#canRead}) must still be refused by {@code openReader} with a
     * {@link JpklFormatException} or open as a valid container; a claimed one opens (with checksum
     * verification {@code checksums}) or fails with a {@link JpklFormatException} whose message starts
     * with the mutant's name. Once open, {@link ContainerReader#verifyStructure} runs (with
     * checksums), each slice's length must match {@link ContainerReader#sliceLength}, the slice after
     * the last must give {@link IndexOutOfBoundsException}, and with checksums the header and every
     * slice must read back exactly as {@code header} and {@code slices} (or a format error);
     * without checksums changed data is allowed but counted.
     */
    public static Check serializerCheck(ContainerSerializer serializer, ContainerHeader header, List<byte[]> slices,
            boolean checksums) {
        List<byte[]> expected = List.copyOf(slices);
        return (name, mutant) -> {
            RandomAccessSource source = RandomAccessSource.of(name, mutant);
            boolean claimed = serializer.canRead(source);
            ContainerReader reader;
            try {
                reader = serializer.openReader(source, checksums);
            } catch (JpklFormatException e) {
                requireNamed(name, e);
                return claimed ? REJECTED_AT_OPEN : NOT_CLAIMED;
            }
            try (ContainerReader r = reader) {
                ContainerHeader got = r.header();
                boolean changed = !got.equals(header);
                if (changed && checksums) {
                    throw new AssertionError("opened with a different header and no error: " + got);
                }
                if (checksums) {
                    r.verifyStructure();
                }
                long count = got.chunkCount();
                // A damaged header may imply many slices; without checksums reading a few more than the original has is enough.
                long toRead = Math.min(count, expected.size() + 8L);
                for (long n = 0; n < toRead; n++) {
                    ByteBuffer b = r.readSlice(n);
                    if (b.remaining() != r.sliceLength(n)) {
                        throw new AssertionError("slice " + n + " read " + b.remaining() + " bytes; sliceLength says " + r.sliceLength(n));
                    }
                    boolean same = n < expected.size() && ByteBuffer.wrap(expected.get((int) n)).equals(b);
                    if (!same && checksums) {
                        throw new AssertionError("slice " + n + " read back different bytes without an error");
                    }
                    changed |= !same;
                }
                try {
                    r.readSlice(count);
                    throw new AssertionError("slice " + count + " of " + count + " was read");
                } catch (IndexOutOfBoundsException expectedRefusal) {
                    // the key space ends where the header says
                }
                return changed ? READ_CHANGED : READ_INTACT;
            } catch (JpklFormatException e) {
                requireNamed(name, e);
                return REJECTED_AT_READ;
            }
        };
    }

    /**
     * Requires a format error's message to start with the file's name.
     *
     * @throws AssertionError if it does not
     */
    public static void requireNamed(String name, JpklFormatException e) {
        if (!e.getMessage().startsWith(name + ": ")) {
            throw new AssertionError("message does not name the file: " + e.getMessage(), e);
        }
    }

    /** Runs {@code count} mutants from {@code seed} through {@code check}. */
    public Result run(Check check, int count, long seed) {
        Random rnd = new Random(seed);
        Result result = new Result();
        ExecutorService exec = Executors.newSingleThreadExecutor(daemon());
        try {
            for (int m = 0; m < count; m++) {
                String[] kind = new String[1];
                byte[] mutant = mutate(rnd, kind);
                String name = "mutant-" + m;
                result.mutants++;
                Future<String> f = exec.submit(() -> {
                    try {
                        return check.check(name, mutant);
                    } catch (Exception | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new AssertionError(t);
                    }
                });
                try {
                    result.count(f.get(timeoutMillis, TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    f.cancel(true);
                    exec.shutdownNow();
                    exec = Executors.newSingleThreadExecutor(daemon());
                    result.fail(kind[0] + " " + name + ": no answer within " + timeoutMillis + " ms (hang?)");
                } catch (ExecutionException e) {
                    result.fail(kind[0] + " " + name + ": " + describe(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return result;
                }
            }
        } finally {
            exec.shutdownNow();
        }
        return result;
    }

    private static ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "fuzz");
            t.setDaemon(true);
            return t;
        };
    }

    private static String describe(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        String s = w.toString();
        return s.length() > 1500 ? s.substring(0, 1500) : s;
    }

    private byte[] mutate(Random rnd, String[] kind) {
        byte[] m;
        switch (rnd.nextInt(7)) {
            case 0: {
                kind[0] = "bitflip";
                m = valid.clone();
                for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
                    int at = rnd.nextInt(m.length);
                    m[at] ^= (byte) (1 << rnd.nextInt(8));
                }
                return m;
            }
            case 1: {
                kind[0] = "randombytes";
                m = valid.clone();
                for (int i = 1 + rnd.nextInt(8); i > 0; i--) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
                return m;
            }
            case 2: {
                kind[0] = "truncate-at-boundary";
                int b = offsets.get(rnd.nextInt(offsets.size())) + rnd.nextInt(3) - 1;
                return Arrays.copyOf(valid, Math.max(0, Math.min(valid.length - 1, b)));
            }
            case 3: {
                kind[0] = "truncate-random";
                return Arrays.copyOf(valid, rnd.nextInt(valid.length));
            }
            case 4: {
                kind[0] = "zero-range";
                m = valid.clone();
                int from = rnd.nextBoolean() ? offsets.get(rnd.nextInt(offsets.size())) : rnd.nextInt(m.length);
                from = Math.max(0, Math.min(m.length - 1, from));
                int len = 1 + rnd.nextInt(Math.min(256, m.length - from));
                Arrays.fill(m, from, from + len, (byte) 0);
                return m;
            }
            case 5: {
                kind[0] = "garbage-range";
                m = valid.clone();
                int from = rnd.nextInt(m.length);
                int len = 1 + rnd.nextInt(Math.min(64, m.length - from));
                for (int i = from; i < from + len; i++) {
                    m[i] = (byte) rnd.nextInt(256);
                }
                return m;
            }
            default: {
                kind[0] = "append";
                m = Arrays.copyOf(valid, valid.length + 1 + rnd.nextInt(40));
                for (int i = valid.length; i < m.length; i++) {
                    m[i] = (byte) rnd.nextInt(256);
                }
                return m;
            }
        }
    }
}
