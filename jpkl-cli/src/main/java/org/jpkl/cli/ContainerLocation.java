package org.jpkl.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.OpenOptions;
import org.jpkl.api.io.RandomAccessSource;

/**
 * A container named on the command line: a local path, or a URI with a scheme ({@code https://...},
 * {@code s3://bucket/key}, {@code file:/...}) read through the storage provider of that scheme. An
 * argument is a URI when it starts with {@code SCHEME://} or {@code file:}; anything else is a path
 * (so {@code C:\data} and names with colons stay paths). The containers that {@code encode} and
 * {@code convert} write are locations too ({@link OutputOptions#check(Jpkl, String, ContainerLocation,
 * String, java.util.Collection)}); the other outputs are local paths.
 *
 * <p>Thread safety: immutable.
 *
 * @param text the argument as given, for messages
 * @param path the local file, or null for a remote URI
 * @param uri the remote object, or null for a local file
 */
record ContainerLocation(String text, Path path, URI uri) {
    private static final Pattern REMOTE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);

    /** Picocli's converter: {@link #parse}. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<ContainerLocation> {
        @Override
        public ContainerLocation convert(String value) {
            try {
                return parse(value);
            } catch (CliException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * The location an argument names.
     *
     * @throws CliException (usage) for a malformed URI, naming it
     */
    static ContainerLocation parse(String argument) {
        Objects.requireNonNull(argument, "argument");
        boolean file = argument.regionMatches(true, 0, "file:", 0, 5);
        if (!file && !looksRemote(argument)) {
            return new ContainerLocation(argument, Path.of(argument), null);
        }
        URI uri;
        try {
            uri = new URI(argument);
        } catch (URISyntaxException e) {
            throw CliException.usage("'" + argument + "' is not a valid URI: " + e.getMessage()
                    + " (escape spaces and other special characters as %XX, or give a local path)", e);
        }
        if (file) {
            try {
                return new ContainerLocation(argument, Path.of(uri), null);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("'" + argument + "' is not a file URI of this system: " + e.getMessage(), e);
            }
        }
        return new ContainerLocation(argument, null, uri);
    }

    /** Whether {@link #parse} takes {@code argument} for a remote URI (it may still be malformed). */
    static boolean looksRemote(String argument) {
        return !argument.regionMatches(true, 0, "file:", 0, 5) && REMOTE.matcher(argument).matches();
    }

    /** A local file, named as given. */
    static ContainerLocation local(Path path) {
        return new ContainerLocation(path.toString(), path, null);
    }

    /**
     * The last part of the name (the file name, or the URI path's last segment), whose extension
     * decides the output's type; empty when there is none.
     */
    String fileName() {
        if (!isRemote()) {
            return path.getFileName() == null ? "" : path.getFileName().toString();
        }
        String p = uri.getPath() == null ? "" : uri.getPath();
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** Whether this is a remote object. */
    boolean isRemote() {
        return uri != null;
    }

    /** Opens the container (the local file, or the object through {@code jpkl}'s storage providers). */
    JpklArray open(Jpkl jpkl) throws IOException {
        return isRemote() ? jpkl.open(uri) : jpkl.open(path);
    }

    /** As {@link #open(Jpkl)}, with options. */
    JpklArray open(Jpkl jpkl, OpenOptions options) throws IOException {
        return isRemote() ? jpkl.open(uri, options) : jpkl.open(path, options);
    }

    /** The bytes: the local file, or the object through {@code jpkl}'s storage providers (the caller closes them). */
    RandomAccessSource openSource(Jpkl jpkl) throws IOException {
        return isRemote() ? jpkl.storage().open(uri) : RandomAccessSource.open(path);
    }

    /**
     * A streaming writer of a new container here: the local file (replaced atomically on commit), or
     * the object through {@code jpkl}'s storage providers (published on commit; closing without a
     * commit leaves no object).
     */
    JpklWriter newWriter(Jpkl jpkl, DType dtype, int[] shape, WriteOptions options) throws IOException {
        return isRemote() ? jpkl.newWriter(uri, dtype, shape, options) : jpkl.newWriter(path, dtype, shape, options);
    }

    /** The size in bytes (of a remote object: one request). */
    long size(Jpkl jpkl) throws IOException {
        if (!isRemote()) {
            return java.nio.file.Files.size(path);
        }
        try (RandomAccessSource source = openSource(jpkl)) {
            return source.size();
        }
    }

    /** The argument as given. */
    @Override
    public String toString() {
        return text;
    }
}
