package org.jpkl;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jpkl.api.Shapes;

/**
 * The result of {@link JpklArray#verify()}: how many slices were checked and which are damaged.
 *
 * <p>Thread safety: immutable.
 */
public final class VerificationReport {
    private final String name;
    private final long slicesChecked;
    private final List<Problem> problems;

    VerificationReport(String name, long slicesChecked, List<Problem> problems) {
        this.name = name;
        this.slicesChecked = slicesChecked;
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

    /** Damaged slices in slice-number order; empty when intact. */
    public List<Problem> problems() {
        return problems;
    }

    /** Whether every slice passed. */
    public boolean isIntact() {
        return problems.isEmpty();
    }

    /** E.g. {@code stack.jpkl: 400 slices checked, 1 damaged: slice (3, 5, 2): ...}. */
    @Override
    public String toString() {
        return name + ": " + slicesChecked + " slices checked, " + (problems.isEmpty() ? "all intact" : problems.size() + " damaged: "
                + problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
    }

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
