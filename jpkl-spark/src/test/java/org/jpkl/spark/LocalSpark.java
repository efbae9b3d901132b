package org.jpkl.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of this module's tests, on this machine: loopback only, no web UI. Starting one
 * costs seconds, so the test classes share one ({@link #shared()}); Spark's shutdown hook stops it
 * when the test JVM exits.
 */
final class LocalSpark {
    /** 2 threads; a task may fail 3 times (local mode's default is once), so a retried attempt can succeed. */
    static final String MASTER = "local[2,3]";

    private LocalSpark() {
    }

    /** A session on {@code master}; a session already running (of any master) is returned as it is. */
    static SparkSession session(String master) {
        return SparkSession.builder().master(master).appName("jpkl-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                // The tests' few small queries run faster interpreted than compiled (Janino) on a busy machine.
                .config("spark.sql.codegen.wholeStage", "false")
                .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
                .getOrCreate();
    }

    /** The shared session on {@link #MASTER}. */
    static SparkSession shared() {
        SparkSession s = session(MASTER);
        if (!s.sparkContext().master().equals(MASTER)) {
            throw new IllegalStateException("a Spark session on " + s.sparkContext().master() + " is running; the tests need " + MASTER);
        }
        return s;
    }

    /** The shared session's context. */
    static JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(shared().sparkContext());
    }
}
