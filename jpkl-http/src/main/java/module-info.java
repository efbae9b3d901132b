/**
 * The {@code http} storage provider: containers at {@code http://} and {@code https://} URIs read with
 * ranged GETs through the JDK's {@code java.net.http.HttpClient}; it exports no package.
 */
module org.jpkl.http {
    requires org.jpkl.api;
    requires java.net.http;

    provides org.jpkl.api.spi.StorageProvider with org.jpkl.http.HttpStorageProvider;
}
