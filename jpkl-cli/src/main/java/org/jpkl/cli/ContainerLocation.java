package org.jpkl.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.OpenOptions;
import org.jpkl.api.io.RandomAccessSource;

/**
 * A container named on the command line: a local path, or a URI with a scheme ({@code https://...},
 * {@code s3://bucket/key}, {@code file:/...}) read through the storage provider of that scheme. An
 * argument is a URI when it starts with {@code SCHEME://} or {@code file:}; anything else is a path
 * (so {@code C:\data} and names with colons stay paths). Only inputs are locations: outputs are
 * always local paths.
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
        if (!file && !REMOTE.matcher(argument).matches()) {
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

    /** The argument as given. */
    @Override
    public String toString() {
        return text;
    }
}
