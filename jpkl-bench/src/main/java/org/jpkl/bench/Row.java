package org.jpkl.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jpkl.compare.Samples;

/**
 * One line of the result table: a figure, the baseline it is judged against (measured in the same
 * run), their ratio, the goal for that ratio and whether it was met. Goals are informational: the
 * harness never fails on timing.
 *
 * <p>Thread safety: immutable.
 */
final class Row {
    /** How the ratio is formed from the two medians. */
    enum RatioKind {
        /** figure / baseline: a cost relative to its baseline (times, bytes). */
        FIGURE_OVER_BASELINE,
        /** baseline / figure: a speed-up of the figure over the baseline (both times). */
        BASELINE_OVER_FIGURE
    }

    static final String NOT_BUILT = "not built yet";

    final String id;
    final String title;
    final String unit;
    final String figureLabel;
    final Samples figure;
    final String baselineLabel;
    final Samples baseline;
    final RatioKind ratioKind;
    /** {@code "<="}, {@code ">="} or null when there is no goal. */
    final String goalOp;
    final double goal;
    final String note;
    /** The measured feature does not exist yet: the row holds the goal only. */
    final boolean notBuilt;

    private Row(Builder b) {
        this.id = b.id;
        this.title = b.title;
        this.unit = b.unit;
        this.figureLabel = b.figureLabel;
        this.figure = b.figure;
        this.baselineLabel = b.baselineLabel;
        this.baseline = b.baseline;
        this.ratioKind = b.ratioKind;
        this.goalOp = b.goalOp;
        this.goal = b.goal;
        this.note = b.note;
        this.notBuilt = b.notBuilt;
    }

    static Builder builder(String id, String title, String unit) {
        return new Builder(id, title, unit);
    }

    /** The ratio of the medians, or NaN when the figure or baseline is missing. */
    double ratio() {
        if (figure == null || baseline == null) {
            return Double.NaN;
        }
        double f = figure.median();
        double b = baseline.median();
        return ratioKind == RatioKind.FIGURE_OVER_BASELINE ? f / b : b / f;
    }

    /** PASS, MISS, n/a (something missing), info (no goal) or "not built yet". */
    String status() {
        if (notBuilt) {
            return NOT_BUILT;
        }
        double r = ratio();
        if (Double.isNaN(r)) {
            return "n/a";
        }
        if (goalOp == null) {
            return "info";
        }
        boolean met = goalOp.equals("<=") ? r <= goal : r >= goal;
        return met ? "PASS" : "MISS";
    }

    String goalText() {
        return goalOp == null ? "-" : goalOp.replace("<=", "≤ ").replace(">=", "≥ ") + trim(goal);
    }

    String ratioText() {
        double r = ratio();
        return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2f", r);
    }

    String figureText() {
        return notBuilt ? NOT_BUILT : figure == null ? "n/a" : describe(figureLabel, figure);
    }

    String baselineText() {
        return baseline == null ? "n/a" + (baselineLabel == null ? "" : " (" + baselineLabel + ")") : describe(baselineLabel, baseline);
    }

    private String describe(String label, Samples s) {
        String value = Units.format(s.median(), unit);
        String spread = s.count() > 1 ? " [" + Units.format(s.min(), unit) + " – " + Units.format(s.max(), unit) + "]" : "";
        return (label == null || label.isEmpty() ? "" : label + ": ") + value + spread;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v);
    }

    /** The row as JSON-ready values (medians, spreads, sample counts, ratio, goal, status). */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("title", title);
        m.put("unit", unit);
        m.put("figure", samplesJson(figureLabel, figure));
        m.put("baseline", samplesJson(baselineLabel, baseline));
        m.put("ratio_kind", ratioKind == RatioKind.FIGURE_OVER_BASELINE ? "figure/baseline" : "baseline/figure");
        double r = ratio();
        m.put("ratio", Double.isNaN(r) ? null : r);
        m.put("goal", goalOp == null ? null : goalOp + " " + goal);
        m.put("status", status());
        m.put("note", note);
        return m;
    }

    private static Map<String, Object> samplesJson(String label, Samples s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        if (s != null) {
            m.put("median", s.median());
            m.put("min", s.min());
            m.put("max", s.max());
            m.put("count", s.count());
        }
        return m;
    }

    /** Builds a {@link Row}. */
    static final class Builder {
        private final String id;
        private final String title;
        private final String unit;
        private String figureLabel;
        private Samples figure;
        private String baselineLabel;
        private Samples baseline;
        private RatioKind ratioKind = RatioKind.FIGURE_OVER_BASELINE;
        private String goalOp;
        private double goal;
        private String note;
        private boolean notBuilt;

        private Builder(String id, String title, String unit) {
            this.id = id;
            this.title = title;
            this.unit = unit;
        }

        Builder figure(String label, Samples s) {
            this.figureLabel = label;
            this.figure = s;
            return this;
        }

        Builder baseline(String label, Samples s) {
            this.baselineLabel = label;
            this.baseline = s;
            return this;
        }

        Builder speedup() {
            this.ratioKind = RatioKind.BASELINE_OVER_FIGURE;
            return this;
        }

        Builder atMost(double ratio) {
            this.goalOp = "<=";
            this.goal = ratio;
            return this;
        }

        Builder atLeast(double ratio) {
            this.goalOp = ">=";
            this.goal = ratio;
            return this;
        }

        Builder note(String text) {
            this.note = text;
            return this;
        }

        /** The feature this row would measure does not exist yet: no figure, no baseline, the goal printed for the record. */
        Builder notBuilt() {
            this.notBuilt = true;
            this.figure = null;
            this.baseline = null;
            return this;
        }

        Row build() {
            return new Row(this);
        }
    }
}
