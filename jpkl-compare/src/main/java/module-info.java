/** The codec comparison harness: size, speed and error of codecs on one array ({@code org.jpkl.compare}). */
module org.jpkl.compare {
    requires transitive org.jpkl.core;
    requires com.google.gson;

    exports org.jpkl.compare;
}
