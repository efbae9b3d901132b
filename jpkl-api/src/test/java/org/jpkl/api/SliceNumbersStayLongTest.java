package org.jpkl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A guard over every module's main sources: a slice number or slice count is never narrowed to
 * {@code int} by a cast or held in an {@code int}; where a Java array needs an int, the code checks
 * the count and calls {@link Math#toIntExact}. (A cast made slice 2^32 + 5 read slice 5.)
 */
class SliceNumbersStayLongTest {
    /** {@code (int) ...sliceNumber...}, {@code (int) x.sliceCount()}, and the like, up to the end of the expression. */
    private static final Pattern CAST = Pattern.compile("\\(int\\)\\s*\\(?[\\w.]*\\bslice(Number|Count)", Pattern.CASE_INSENSITIVE);
    /** An int variable, field or parameter named sliceNumber(s) or sliceCount. */
    private static final Pattern DECLARATION = Pattern.compile("\\bint\\s+slice(Number|Count)s?\\b");
    private static final Pattern CHECKED_BY_INT = Pattern.compile("\\b(readChecked|storedLength|readSlice|sliceLength|writeSlice|claim)"
            + "\\(\\s*int\\b");

    @Test
    void noMainSourceNarrowsASliceNumberToInt() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        Assumptions.assumeTrue(root != null && Files.isRegularFile(root.resolve("pom.xml"))
                && Files.isDirectory(root.resolve("jpkl-api/src/main/java")), "run from a module folder of the source tree");
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
                try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
                    for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                        files++;
                        List<String> lines = Files.readAllLines(source);
                        for (int i = 0; i < lines.size(); i++) {
                            String line = lines.get(i);
                            if (CAST.matcher(line).find() || DECLARATION.matcher(line).find() || CHECKED_BY_INT.matcher(line).find()) {
                                found.add(root.relativize(source) + ":" + (i + 1) + ": " + line.strip());
                            }
                        }
                    }
                }
            }
        }
        assertTrue(files > 100, "scanned " + files + " source files under " + root);
        assertEquals(List.of(), found, "slice numbers narrowed to int (use long, or check and Math.toIntExact)");
    }

    @Test
    void thePatternsCatchTheNarrowingsThatWereFixed() {
        assertTrue(CAST.matcher("        return (int) sliceNumber;").find());
        assertTrue(CAST.matcher("            int n = (int) keys.sliceNumber(key);").find());
        assertTrue(CAST.matcher("            this.slices = (int) keys.sliceCount();").find());
        assertTrue(CHECKED_BY_INT.matcher("    protected abstract ByteBuffer readChecked(int sliceNumber, boolean verify)").find());
        assertTrue(DECLARATION.matcher("    long storedLength(int sliceNumber) {").find());
        assertTrue(!CAST.matcher("            int n = Math.toIntExact(keys.sliceNumber(key));").find());
        assertTrue(!DECLARATION.matcher("    private final int sliceReads;").find());
    }
}
