package org.jpkl.tests.plugins;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.container.HeaderJson;

/**
 * Builds the example third-party plugins the way their authors would, outside the library's
 * modules: the sources under {@code plugins/NAME/src} of the test resources are compiled against
 * jpkl-api alone (a codec) or jpkl-api and jpkl-core (a serializer that stores the standard JSON
 * header with {@code org.jpkl.container.HeaderJson}: its {@code plugins/NAME/compile-against} file
 * says so) and packed, with {@code plugins/NAME/META-INF}, into {@code NAME.jar}. The classes are
 * not on the test class path; only a class loader over the jar sees them.
 */
final class PluginJars {
    private static final String COMPILE_AGAINST = "compile-against";

    private PluginJars() {
    }

    /**
     * Compiles and jars plugin {@code name} into {@code outDir}.
     *
     * @return the jar
     * @throws IllegalStateException if no Java compiler is available or the sources do not compile
     *     cleanly (warnings are errors), with the compiler's messages
     */
    static Path build(String name, Path outDir) throws IOException {
        Path root = resource("plugins/" + name);
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root.resolve("src"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
        Path classes = Files.createDirectories(outDir.resolve(name + "-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("building the plugin jars needs a JDK (javax.tools has no system compiler)");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-Xlint:all", "-Werror", "-d", classes.toString(),
                    "-classpath", compileClasspath(root));
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
            if (!ok || !diagnostics.getDiagnostics().isEmpty()) {
                throw new IllegalStateException("plugin '" + name + "' does not compile cleanly:\n" + diagnostics.getDiagnostics()
                        .stream().map(PluginJars::format).collect(Collectors.joining("\n")));
            }
        }
        Path jar = outDir.resolve(name + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_TITLE, "example " + name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            addTree(out, classes);
            addTree(out, root);
        }
        return jar;
    }

    /**
     * jpkl-api, plus jpkl-core when the plugin's {@code compile-against} file names {@code jpkl-core}
     * (no other name is accepted, so a typo fails the build rather than compiling against less).
     */
    private static String compileClasspath(Path root) throws IOException {
        List<String> entries = new ArrayList<>(List.of(codeLocation(SliceCodec.class).toString()));
        Path declared = root.resolve(COMPILE_AGAINST);
        if (Files.exists(declared)) {
            for (String module : Files.readAllLines(declared, StandardCharsets.UTF_8)) {
                switch (module.strip()) {
                    case "", "jpkl-api" -> { }
                    case "jpkl-core" -> entries.add(codeLocation(HeaderJson.class).toString());
                    default -> throw new IllegalStateException(declared + " names '" + module.strip()
                            + "'; allowed: jpkl-api, jpkl-core");
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** A fresh class loader over {@code jars} whose parent is this test's loader (which has jpkl-api). */
    static URLClassLoader loader(Path... jars) throws IOException {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        return new URLClassLoader("plugins", urls, PluginJars.class.getClassLoader());
    }

    /** Adds every file under {@code dir} except the sources, named relative to {@code dir}. */
    private static void addTree(JarOutputStream out, Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(dir.resolve("src")))
                    .filter(p -> !p.equals(dir.resolve(COMPILE_AGAINST))).sorted()
                    .collect(Collectors.toList());
        }
        for (Path f : files) {
            List<String> parts = new ArrayList<>();
            dir.relativize(f).forEach(p -> parts.add(p.toString()));
            out.putNextEntry(new JarEntry(String.join("/", parts)));
            Files.copy(f, out);
            out.closeEntry();
        }
    }

    private static Path resource(String name) {
        URL url = PluginJars.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource '" + name + "' is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test resource '" + name + "' is not a folder: " + url, e);
        }
    }

    /** The jar or classes folder a class was loaded from. */
    static Path codeLocation(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + type.getName(), e);
        }
    }

    private static String format(Diagnostic<? extends JavaFileObject> d) {
        return d.getKind() + " " + (d.getSource() == null ? "" : new File(d.getSource().toUri()).getName() + ":" + d.getLineNumber() + ": ")
                + d.getMessage(Locale.ROOT);
    }
}
