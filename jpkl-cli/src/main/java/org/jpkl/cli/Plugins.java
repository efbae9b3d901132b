package org.jpkl.cli;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Third-party codec and serializer jars: every {@code *.jar} in the folders given with
 * {@code --plugins DIR} and in the {@code JPKL_PLUGINS} environment variable (folders or jar files
 * separated by the platform's path separator, {@code :} on Unix), loaded by one class loader whose
 * parent holds the built-in codecs. Their {@code META-INF/services} entries are then found like the
 * built-in ones.
 *
 * <p>Stateless.
 */
final class Plugins {
    /** The environment variable naming plugin folders or jars. */
    static final String ENV = "JPKL_PLUGINS";

    private Plugins() {
    }

    /**
     * The jars to load, in order: {@code --plugins} folders first, then {@code JPKL_PLUGINS}.
     *
     * @throws CliException (usage) for a folder or file that does not exist
     */
    static List<Path> jars(List<Path> dirs, String envValue) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (Path d : dirs) {
            add(d, "--plugins " + d, jars);
        }
        if (envValue != null) {
            for (String entry : envValue.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    add(Path.of(entry.strip()), ENV + " entry " + entry.strip(), jars);
                }
            }
        }
        return jars;
    }

    private static void add(Path p, String what, List<Path> jars) throws IOException {
        if (Files.isDirectory(p)) {
            List<Path> found = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(p, "*.jar")) {
                entries.forEach(found::add);
            }
            found.sort(null);
            jars.addAll(found);
        } else if (Files.isRegularFile(p) && p.toString().toLowerCase(Locale.ROOT).endsWith(".jar")) {
            jars.add(p);
        } else {
            throw CliException.usage(what + ": no such folder or .jar file; plugin folders hold codec and serializer jars");
        }
    }

    /** A loader over {@code jars} with {@code parent} as parent; {@code parent} itself when there are none. */
    static ClassLoader loader(List<Path> jars, ClassLoader parent) {
        if (jars.isEmpty()) {
            return parent;
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw CliException.usage("plugin jar " + jars.get(i) + ": " + e.getMessage(), e);
            }
        }
        return new URLClassLoader("jpkl-plugins", urls, parent);
    }
}
