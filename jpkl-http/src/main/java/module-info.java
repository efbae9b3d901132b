/**
 * The {@code http} storage provider: containers at {@code http://} and {@code https://} URIs read with
 * ranged GETs through the JDK's {@code java.net.http.HttpClient}. Its package is exported to the
 * benchmark only (for {@code LocalNginx}); programs use the provider through {@code Jpkl.open(URI)}.
 */
module org.jpkl.http {
    requires org.jpkl.api;
    requires java.net.http;

    // LocalNginx: the benchmark's remote rows run against a real server, as the tests do.
    exports org.jpkl.http to org.jpkl.bench;

    provides org.jpkl.api.spi.StorageProvider with org.jpkl.http.HttpStorageProvider;
}
