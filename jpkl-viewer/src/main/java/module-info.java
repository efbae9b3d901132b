/** The local web viewer: an HTTP server ({@code jdk.httpserver}) over jpkl files ({@code org.jpkl.viewer}). */
module org.jpkl.viewer {
    requires transitive org.jpkl.core;
    requires jdk.httpserver;
    requires com.google.gson;

    exports org.jpkl.viewer;
}
