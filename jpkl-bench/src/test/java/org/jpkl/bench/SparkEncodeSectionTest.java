package org.jpkl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkEncodeSectionTest {
    @TempDir
    Path dir;

    @Test
    void theChildsLinesAreSeriesByName() {
        assertEquals(Map.of("wall_local1", List.of(1.5, 1.25), "cpu_local1", List.of(2.0)),
                SparkEncodeSection.parse(List.of("wall_local1 1.5 1.25", "", "cpu_local1 2.0000")));
    }

    @Test
    void aModuleNotBuiltIsNamedInTheReasonTheRowsGive() throws IOException {
        Path module = dir.resolve("jpkl-spark");
        assertEquals(Optional.of(module.resolve("target/bench.classpath").toAbsolutePath()
                + " is missing (build jpkl-spark: bin/bench does, with mvn install)"), SparkEncodeSection.problem(module));
        Files.createDirectories(module.resolve("target/classes"));
        Files.createDirectories(module.resolve("target/test-classes"));
        Files.writeString(module.resolve("target/bench.classpath"), "a.jar");
        assertEquals(Optional.of(module.resolve("target/spark-jvm.options").toAbsolutePath()
                + " is missing (build jpkl-spark: bin/bench does, with mvn install)"), SparkEncodeSection.problem(module));
        Files.writeString(module.resolve("target/spark-jvm.options"), "--add-opens=java.base/java.nio=ALL-UNNAMED");
        assertEquals(Optional.empty(), SparkEncodeSection.problem(module));
    }
}
