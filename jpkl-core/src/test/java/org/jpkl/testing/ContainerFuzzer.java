package org.jpkl.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.OpenOptions;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.io.RandomAccessSource;

/**
 * Mutates a valid single-file container (of any format) in thousands of ways (bit flips, random bytes, truncation
 * at and around every region boundary, zeroed and garbage ranges, appended bytes) and opens and
 * reads each mutant. The only acceptable outcomes are the original data or a
 * {@link JpklFormatException} whose message starts with the file's name (without checksums also a
 * {@link org.jpkl.MissingProviderException} naming the file, when the damage renamed the codec); anything else (another
 * exception type, an {@link Error} such as {@code OutOfMemoryError}, a hang past the time limit, or
 * with checksums on, different data without an error) is recorded as a failure.
 *
 * <p>Run a long campaign with {@code -Djpkl.fuzz.mutants=1000000} (see README).
 *
 * <p>Thread safety: the instance never changes its inputs (mutants are copies) and each {@link #run}
 * uses its own executor, so runs may proceed concurrently.
 */
public final class ContainerFuzzer {
    /** What happened to the mutants of one run. */
    public static final class Result {
        /** Outcome name to count, e.g. "rejected at open". */
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

        @Override
        public String toString() {
            return mutants + " mutants: " + outcomes + (failures.isEmpty() ? "" : "\nfailures:\n  " + String.join("\n  ", failures));
        }
    }

    private final Jpkl jpkl;
    private final byte[] valid;
    private final NdArray expected;
    private final boolean checksums;
    private final long timeoutMillis;

    /**
     * @param jpkl opens the mutants
     * @param valid the bytes of a valid container
     * @param expected what {@code get("...")} returns on the valid container
     * @param checksums whether mutants are opened with checksum verification (when off, wrong data
     *     without an error is allowed, but crashes and hangs are still failures)
     * @param timeoutMillis longest time one mutant may take
     */
    public ContainerFuzzer(Jpkl jpkl, byte[] valid, NdArray expected, boolean checksums, long timeoutMillis) {
        this.jpkl = jpkl;
        this.valid = valid.clone();
        this.expected = expected;
        this.checksums = checksums;
        this.timeoutMillis = timeoutMillis;
    }

    /** The number of mutants to run: the system property {@code jpkl.fuzz.mutants}, else {@code ciDefault}. */
    public static int mutantCount(int ciDefault) {
        return Integer.getInteger("jpkl.fuzz.mutants", ciDefault);
    }

    private static final byte[] JPKL_MAGIC = {(byte) 0x89, 'J', 'P', 'K', 'L', '\r', '\n', 0x1a};

    /**
     * Region boundaries: of a jpkl file its preamble fields, header end, each slice, index and footer;
     * of any other format the first bytes, the middle and the last 64 bytes in steps of 4.
     */
    private List<Integer> boundaries() {
        if (valid.length < 52 || !Arrays.equals(Arrays.copyOf(valid, 8), JPKL_MAGIC)) {
            List<Integer> b = new ArrayList<>(List.of(0, 1, 2, 4, 8, 16, 32, valid.length / 2));
            for (int off = 0; off <= 64 && off <= valid.length; off += 4) {
                b.add(valid.length - off);
            }
            return b;
        }
        List<Integer> b = new ArrayList<>(List.of(0, 8, 10, 12, 16));
        ByteBuffer bb = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = bb.getInt(12);
        b.add(16 + headerLength);
        b.add(20 + headerLength);
        long indexOffset = bb.getLong(valid.length - 32);
        long count = bb.getLong(valid.length - 24);
        for (long n = 0; n < count && n < 1000; n++) {
            int e = (int) (indexOffset + n * 20);
            b.add((int) bb.getLong(e));
            b.add((int) (bb.getLong(e) + bb.getLong(e + 8)));
        }
        b.add((int) indexOffset);
        for (int off = 0; off <= 32; off += 4) {
            b.add(valid.length - 32 + off);
        }
        return b;
    }

    /** Runs {@code count} mutants from {@code seed}. */
    public Result run(int count, long seed) {
        Random rnd = new Random(seed);
        List<Integer> boundaries = boundaries();
        Result result = new Result();
        ExecutorService exec = Executors.newSingleThreadExecutor(daemon());
        try {
            for (int m = 0; m < count; m++) {
                String[] kind = new String[1];
                byte[] mutant = mutate(rnd, boundaries, kind);
                String name = "mutant-" + m;
                result.mutants++;
                Future<String> f = exec.submit(() -> check(name, mutant));
                try {
                    String outcome = f.get(timeoutMillis, TimeUnit.MILLISECONDS);
                    if (outcome.startsWith("FAIL")) {
                        result.fail(kind[0] + " " + name + ": " + outcome);
                    } else {
                        result.count(outcome);
                    }
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

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "fuzz");
            t.setDaemon(true);
            return t;
        };
    }

    private String check(String name, byte[] mutant) {
        JpklArray array;
        try {
            array = jpkl.open(RandomAccessSource.of(name, mutant), OpenOptions.builder().verifyChecksums(checksums).build());
        } catch (JpklFormatException e) {
            return named(name, e, "rejected at open");
        } catch (org.jpkl.MissingProviderException e) {
            // Without checksums a damaged codec id is just another file's: it must be refused naming the file.
            if (checksums) {
                return "FAIL at open: " + describe(e);
            }
            return e.getMessage().startsWith(name + ": ") ? "names a codec that is not installed"
                    : "FAIL: message does not name the file: " + e.getMessage();
        } catch (Throwable t) {
            return "FAIL at open: " + describe(t);
        }
        try (JpklArray a = array) {
            NdArray got = a.get("...");
            if (got.equals(expected)) {
                return "read intact";
            }
            return checksums ? "FAIL: different data returned without an error" : "read changed data (checksums off)";
        } catch (JpklFormatException e) {
            return named(name, e, "rejected at read");
        } catch (Throwable t) {
            return "FAIL at read: " + describe(t);
        }
    }

    private static String named(String name, JpklFormatException e, String outcome) {
        return e.getMessage().startsWith(name + ": ") ? outcome : "FAIL: message does not name the file: " + e.getMessage();
    }

    private static String describe(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        String s = w.toString();
        return s.length() > 1500 ? s.substring(0, 1500) : s;
    }

    private byte[] mutate(Random rnd, List<Integer> boundaries, String[] kind) {
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
                int b = boundaries.get(rnd.nextInt(boundaries.size())) + rnd.nextInt(3) - 1;
                return Arrays.copyOf(valid, Math.max(0, Math.min(valid.length - 1, b)));
            }
            case 3: {
                kind[0] = "truncate-random";
                return Arrays.copyOf(valid, rnd.nextInt(valid.length));
            }
            case 4: {
                kind[0] = "zero-range";
                m = valid.clone();
                int from = rnd.nextBoolean() ? boundaries.get(rnd.nextInt(boundaries.size())) : rnd.nextInt(m.length);
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

    /** Convenience: the bytes of a file. */
    public static byte[] read(java.nio.file.Path file) throws IOException {
        return java.nio.file.Files.readAllBytes(file);
    }
}
