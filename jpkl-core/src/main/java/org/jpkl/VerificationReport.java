package org.jpkl;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jpkl.api.Shapes;

/**
 * The result of {@link JpklArray#verify()}: how many slices were checked, whether their checksums
 * were (formats without slice checksums, such as JPkl pickles, can only be checked for
 * decodability), and which are damaged.
 *
 * <p>Thread safety: immutable.
 */
public final class VerificationReport {
    private final String name;
    private final long slicesChecked;
    private final boolean checksumsChecked;
    private final List<Problem> problems;

    VerificationReport(String name, long slicesChecked, boolean checksumsChecked, List<Problem> problems) {
        this.name = name;
        this.slicesChecked = slicesChecked;
        this.checksumsChecked = checksumsChecked;
        this.problems = problems.stream().sorted(Comparator.comparingLong(Problem::sliceNumber)).collect(Collectors.toUnmodifiableList());
    }

    /** The container's name. */
    public String name() {
        return name;
    }

    /** Slices checked (all of them). */
    public long slicesChecked() {
        return slicesChecked;
    }

    /**
     * Whether each slice was checked against a stored checksum. When false the format stores none
     * ({@link org.jpkl.api.spi.ContainerReader#hasSliceChecksums()}), and an intact report only
     * means that every slice decodes: damage that still decodes goes unseen.
     */
    public boolean checksumsChecked() {
        return checksumsChecked;
    }

    /** Damaged slices in slice-number order; empty when intact. */
    public List<Problem> problems() {
        return problems;
    }

    /** Whether every slice passed (its checksum, when {@link #checksumsChecked()}, and decoding). */
    public boolean isIntact() {
        return problems.isEmpty();
    }

    /**
     * E.g. {@code stack.jpkl: 400 slices checked, 1 damaged: slice (3, 5, 2): ...}, or for a format
     * without checksums {@code stack.pkl: 400 slices checked, all decode (the format stores no
     * checksums: only decoding was checked)}.
     */
    @Override
    public String toString() {
        String intact = checksumsChecked ? "all intact" : "all decode (" + NO_CHECKSUMS + ")";
        return name + ": " + slicesChecked + " slices checked, " + (problems.isEmpty() ? intact : problems.size() + " damaged: "
                + problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
    }

    /** What an intact report of a format without checksums means, for messages. */
    public static final String NO_CHECKSUMS = "the format stores no checksums: only decoding was checked, so damage that"
            + " still decodes cannot be seen";

    /** One damaged slice. Immutable. */
    public static final class Problem {
        private final long sliceNumber;
        private final int[] key;
        private final String message;

        Problem(long sliceNumber, int[] key, String message) {
            this.sliceNumber = sliceNumber;
            this.key = key.clone();
            this.message = Objects.requireNonNull(message, "message");
        }

        /** The slice number. */
        public long sliceNumber() {
            return sliceNumber;
        }

        /** The slice's key tuple (a copy). */
        public int[] key() {
            return key.clone();
        }

        /** What is wrong (names the file, the slice and the check that failed). */
        public String message() {
            return message;
        }

        @Override
        public String toString() {
            return "slice " + Shapes.format(key) + ": " + message;
        }
    }
}
