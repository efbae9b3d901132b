/**
 * The {@code jpkl} command line (main class {@code org.jpkl.cli.Main}); it exports no package.
 * Picocli reads the annotated command classes reflectively, hence the package opened to it.
 * Codecs and serializers are found as services at run time.
 */
module org.jpkl.cli {
    requires org.jpkl.core;
    requires org.jpkl.npy;
    requires org.jpkl.compare;
    requires org.jpkl.tiff;
    requires org.jpkl.zarr;
    requires org.jpkl.viewer;
    requires info.picocli;
    requires com.google.gson;
    requires java.desktop;
    requires java.logging;

    opens org.jpkl.cli to info.picocli;
}
