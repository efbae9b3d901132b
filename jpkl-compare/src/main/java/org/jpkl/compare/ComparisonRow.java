package org.jpkl.compare;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome for one codec in a {@link ComparisonReport}: measured, skipped (it cannot take this
 * array here, with the reason) or failed (it threw or its output did not decode, with the reason).
 * Nothing is dropped silently: every requested codec has a row.
 *
 * <p>Thread safety: immutable.
 */
public final class ComparisonRow {
    /** What happened to a codec. */
    public enum Status {
        /** Encoded, saved, read back and timed; {@link #measurement()} holds the figures. */
        MEASURED,
        /** Not run: unavailable here, or it cannot encode the array's dtype or channel layout. */
        SKIPPED,
        /** Run, but encoding, saving or decoding threw; the reason names the step and the error. */
        FAILED
    }

    private final CodecSpec spec;
    private final boolean declaredLossless;
    private final Status status;
    private final String reason;
    private final CodecMeasurement measurement;

    private ComparisonRow(CodecSpec spec, boolean declaredLossless, Status status, String reason, CodecMeasurement measurement) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.declaredLossless = declaredLossless;
        this.status = status;
        this.reason = reason;
        this.measurement = measurement;
    }

    /** A measured codec. */
    public static ComparisonRow measured(CodecSpec spec, boolean declaredLossless, CodecMeasurement measurement) {
        return new ComparisonRow(spec, declaredLossless, Status.MEASURED, null, Objects.requireNonNull(measurement, "measurement"));
    }

    /** A codec that was not run, and why. */
    public static ComparisonRow skipped(CodecSpec spec, boolean declaredLossless, String reason) {
        return new ComparisonRow(spec, declaredLossless, Status.SKIPPED, Objects.requireNonNull(reason, "reason"), null);
    }

    /** A codec that failed, and how. */
    public static ComparisonRow failed(CodecSpec spec, boolean declaredLossless, String reason) {
        return new ComparisonRow(spec, declaredLossless, Status.FAILED, Objects.requireNonNull(reason, "reason"), null);
    }

    /** The codec and parameters as requested. */
    public CodecSpec spec() {
        return spec;
    }

    /** The codec id. */
    public String codecId() {
        return spec.id();
    }

    /** The parameters as requested (the codec's defaults fill the rest; see {@link CodecMeasurement#storedParams()}). */
    public Map<String, String> params() {
        return spec.params();
    }

    /**
     * Whether the codec declares itself lossless at this row's parameters
     * ({@link org.jpkl.api.spi.SliceCodec#isLossless}: JPEG-LS at {@code near} 0 is, at {@code near} 2 is
     * not), not merely in every setting ({@code capabilities().lossless()}).
     */
    public boolean declaredLossless() {
        return declaredLossless;
    }

    /** Measured, skipped or failed. */
    public Status status() {
        return status;
    }

    /** Whether the codec was measured. */
    public boolean isMeasured() {
        return status == Status.MEASURED;
    }

    /** Why the codec was skipped or how it failed; empty when measured. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** The figures; present exactly when {@link #status()} is {@link Status#MEASURED}. */
    public Optional<CodecMeasurement> measurement() {
        return Optional.ofNullable(measurement);
    }

    /**
     * Whether the codec declares itself lossless at these parameters yet did not return the input exactly: a codec bug
     * the comparison makes visible.
     */
    public boolean breaksLosslessPromise() {
        return declaredLossless && measurement != null && !measurement.exact();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ComparisonRow)) {
            return false;
        }
        ComparisonRow r = (ComparisonRow) o;
        return spec.equals(r.spec) && declaredLossless == r.declaredLossless && status == r.status
                && Objects.equals(reason, r.reason) && Objects.equals(measurement, r.measurement);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, declaredLossless, status, reason, measurement);
    }

    /** E.g. {@code ComparisonRow[jpeg:quality=95, MEASURED]} or {@code ComparisonRow[png, SKIPPED: ...]}. */
    @Override
    public String toString() {
        return "ComparisonRow[" + spec + ", " + status + (reason == null ? "" : ": " + reason) + "]";
    }
}
