package org.jpkl.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.jpkl.Jpkl;
import org.jpkl.api.spi.ProviderOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code jpkl}: the top-level command. Holds the options every subcommand accepts (anywhere on the
 * line) and the session: the streams, and the {@link Jpkl} instance with the built-in and plugin
 * codecs, created on first use.
 *
 * <p>Thread safety: not thread-safe; one command line at a time.
 */
@Command(name = "jpkl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Stores huge image stacks (y, x plus z / time / channel axes) as one file of per-plane encoded images,"
            + " and reads any NumPy-style selection back decoding only the planes it touches."},
        subcommands = {CodecsCommand.class, EncodeCommand.class, InfoCommand.class, GetCommand.class, ConvertCommand.class, PyramidCommand.class,
            ZarrCommand.class, CompareCommand.class, VerifyCommand.class, ViewCommand.class},
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nExamples:%n",
        footer = {"  jpkl encode sample:512,512,40 -o sample.jpkl --codec png",
            "  jpkl encode stack.npy --axes t,z,y,x -o stack.jpkl --codec jpeg --param quality=95",
            "  jpkl info stack.jpkl --json",
            "  jpkl get stack.jpkl '0, 10:20, ...' -o part.npy",
            "",
            "Exit codes: 0 ok, 1 bad or damaged data (missing file, damaged container), 2 bad usage (options, ids, expressions).",
            "Plugin jars: --plugins DIR, or JPKL_PLUGINS=DIR:DIR2 (; on Windows). Details: docs/CLI.md."})
public final class JpklCommand implements Callable<Integer>, Closeable {
    @Option(names = "--plugins", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Also load codec and serializer jars from this folder (repeatable; adds to JPKL_PLUGINS).")
    List<Path> pluginDirs = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Say more on stderr: what is read and how, timings; stack traces with errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Print nothing on stderr but errors.")
    boolean quiet;

    @Option(names = "--codec-option", paramLabel = "KEY=VALUE", scope = ScopeType.INHERIT,
            description = "How a codec runs here, e.g. jpeg.backend=imageio (repeatable; see 'Provider options' in docs/CLI.md)."
                + " Overrides -Djpkl.jpeg.backend and -Djpkl.jpeg.turbojpeg.library.")
    Map<String, String> codecOptions = new LinkedHashMap<>();

    /**
     * The system properties the command line still honours, as defaults of the provider options they
     * name (the library itself reads no system property): property name to option key.
     */
    static final Map<String, String> PROPERTY_OPTIONS = Map.of(
            "jpkl.jpeg.backend", "jpeg.backend",
            "jpkl.jpeg.turbojpeg.library", "jpeg.turbojpeg.library");

    @Option(names = "--storage-option", paramLabel = "KEY=VALUE", scope = ScopeType.INHERIT,
            description = "How remote containers (URIs) are read and written, e.g. http.retries=8, s3.endpoint=http://host:9000"
                + " (repeatable; see docs/REMOTE.md).")
    Map<String, String> storageOptions = new LinkedHashMap<>();

    @Option(names = "--threads", paramLabel = "N", scope = ScopeType.INHERIT,
            description = "Encode and decode with at most N threads (default: the number of processors).")
    int threads;

    @Spec
    CommandSpec spec;

    private final CliIo io;
    private Jpkl jpkl;
    private ClassLoader pluginLoader;

    private java.util.logging.Logger libraryLog;

    /** The command over these streams. */
    public JpklCommand(CliIo io) {
        this.io = io;
    }

    /** Without a subcommand: the usage, and exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(io.err());
        return CliException.USAGE;
    }

    /** The streams. */
    CliIo io() {
        return io;
    }

    /** The library with the built-in codecs and those of the plugin jars; created once. */
    Jpkl jpkl() throws IOException {
        if (jpkl == null) {
            if (threads < 0) {
                throw CliException.usage("--threads " + threads + ": must be 1 or more (0 or absent: the number of processors)");
            }
            List<Path> jars = Plugins.jars(pluginDirs, io.env().get(Plugins.ENV));
            pluginLoader = Plugins.loader(jars, JpklCommand.class.getClassLoader());
            if (!jars.isEmpty()) {
                verbose("plugin jars: " + jars);
            }
            if (!verbose) {
                // Library INFO lines (e.g. which JPEG backend runs) are for --verbose; warnings still show.
                // The field keeps the configured logger reachable (JUL holds loggers weakly).
                libraryLog = java.util.logging.Logger.getLogger("org.jpkl");
                libraryLog.setLevel(java.util.logging.Level.WARNING);
            }
            Jpkl.Builder b = Jpkl.builder().classLoader(pluginLoader);
            if (threads > 0) {
                b.parallelism(threads);
            }
            ProviderOptions options = providerOptions(System::getProperty, codecOptions);
            if (!options.isEmpty()) {
                verbose("codec options: " + options);
            }
            b.providerOptions(options);
            for (Map.Entry<String, String> e : storageOptions.entrySet()) {
                try {
                    b.storageOption(e.getKey(), e.getValue());
                } catch (IllegalArgumentException bad) {
                    throw CliException.usage("--storage-option " + e.getKey() + "=" + e.getValue() + ": " + bad.getMessage(), bad);
                }
            }
            try {
                jpkl = b.build();
            } catch (IllegalStateException e) {
                throw CliException.usage(e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw CliException.usage((String.valueOf(e.getMessage()).startsWith("storage option") ? ""
                        : "codec options " + options + ": ") + e.getMessage(), e);
            }
            for (String problem : jpkl.codecs().problems()) {
                note("warning: a codec could not be loaded: " + problem);
            }
            for (String problem : jpkl.serializers().problems()) {
                note("warning: a serializer could not be loaded: " + problem);
            }
        }
        return jpkl;
    }

    /**
     * The provider options of this command line: the system properties of {@link #PROPERTY_OPTIONS}
     * (non-blank ones), then {@code --codec-option}s, which replace them key by key.
     *
     * @throws CliException (usage) for a malformed {@code --codec-option} key
     */
    static ProviderOptions providerOptions(UnaryOperator<String> properties, Map<String, String> given) {
        ProviderOptions.Builder b = ProviderOptions.builder();
        new java.util.TreeMap<>(PROPERTY_OPTIONS).forEach((property, key) -> {
            String value = properties.apply(property);
            if (value != null && !value.isBlank()) {
                b.put(key, value);
            }
        });
        for (Map.Entry<String, String> e : given.entrySet()) {
            try {
                b.put(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw CliException.usage("--codec-option " + e.getKey() + "=" + e.getValue() + ": " + ex.getMessage(), ex);
            }
        }
        return b.build();
    }

    /** Whether --verbose was given. */
    boolean verbose() {
        return verbose;
    }

    /** Whether --quiet was given. */
    boolean quiet() {
        return quiet;
    }

    /** A line on stderr unless --quiet. */
    void note(String line) {
        if (!quiet) {
            io.err().println(line);
        }
    }

    /** A line on stderr with --verbose (and not --quiet). */
    void verbose(String line) {
        if (verbose && !quiet) {
            io.err().println(line);
        }
    }

    /** Closes the plugin class loader, if any. */
    @Override
    public void close() throws IOException {
        if (pluginLoader instanceof Closeable) {
            ((Closeable) pluginLoader).close();
        }
    }
}
