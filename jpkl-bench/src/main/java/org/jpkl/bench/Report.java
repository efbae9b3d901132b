package org.jpkl.bench;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects rows and facts; prints the table (Markdown, so it can be pasted into
 * docs/PERFORMANCE.md as it is) and writes everything as JSON.
 *
 * <p>Thread safety: not thread-safe.
 */
final class Report {
    private final boolean recording;
    private final boolean printing;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();

    /** @param recording false for the warm-up pass, whose rows are dropped */
    Report(boolean recording) {
        this(recording, recording);
    }

    private Report(boolean recording, boolean printing) {
        this.recording = recording;
        this.printing = printing;
    }

    /** A report for one attempt at a section: records silently until {@link #absorb}ed. */
    Report attempt() {
        return new Report(recording, false);
    }

    /** Takes over the rows and details of an accepted attempt. */
    void absorb(Report attempt) {
        for (Row r : attempt.rows) {
            add(r);
        }
        attempt.details.forEach(this::detail);
    }

    void add(Row row) {
        if (recording) {
            rows.add(row);
            if (printing) {
                System.out.println("  " + row.title + ": " + row.figureText() + " | baseline " + row.baselineText() + " | ratio "
                        + row.ratioText() + " " + row.status());
            }
        }
    }

    /** Extra facts of a section (sizes, versions, per-implementation figures) for the JSON. */
    void detail(String key, Object value) {
        if (recording) {
            details.put(key, value);
        }
    }

    List<Row> rows() {
        return rows;
    }

    void printTable(PrintStream out) {
        out.println(table());
    }

    /** The rows as a Markdown table. */
    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| # | measurement | figure | baseline (same run) | ratio | goal | result |\n");
        sb.append("|--:|---|---|---|--:|---|---|\n");
        int i = 1;
        for (Row r : rows) {
            sb.append("| ").append(i++).append(" | ").append(r.title).append(" | ").append(r.figureText()).append(" | ")
                    .append(r.baselineText()).append(" | ").append(r.ratioText()).append(" | ").append(r.goalText()).append(" | ")
                    .append(r.status()).append(" |\n");
        }
        List<String> notes = new ArrayList<>();
        i = 1;
        for (Row r : rows) {
            if (r.note != null) {
                notes.add("- #" + i + ": " + r.note);
            }
            i++;
        }
        if (!notes.isEmpty()) {
            sb.append("\nNotes:\n").append(String.join("\n", notes)).append('\n');
        }
        return sb.toString();
    }

    void writeJson(Path file, Map<String, Object> machine, Map<String, Object> config) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", machine);
        root.put("config", config);
        List<Object> r = new ArrayList<>();
        for (Row row : rows) {
            r.add(row.toJson());
        }
        root.put("rows", r);
        root.put("details", details);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(root));
    }
}
