/**
 * The benchmark (main class {@code org.jpkl.bench.BenchMain}); it exports no package. The codecs it
 * measures are found as services.
 */
module org.jpkl.bench {
    requires org.jpkl.core;
    requires org.jpkl.compare;
    // LocalNginx and the http storage provider: the remote open rows.
    requires org.jpkl.http;
    // The S3 storage provider with fixed credentials: the remote read rows (S3Proxy itself runs in a child JVM).
    requires org.jpkl.s3;
    requires com.google.gson;
    requires java.desktop;
    // com.sun.management.ThreadMXBean: per-thread allocation counts (HotSpot).
    requires jdk.management;
}
