package org.jpkl.tests.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.jpkl.api.testing.ChildJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's modules as a module-path user gets them: every {@code org.jpkl.*} module of this
 * build (found on the test class path as jars or class directories with a {@code module-info.class},
 * whichever the reactor hands over) resolves with its third-party dependencies into a module layer
 * of its own; each exports exactly its API packages; ServiceLoader in that layer finds every codec
 * and serializer through the modules' {@code provides}; and the command line runs from the module
 * path ({@code java -p ... -m org.jpkl.cli}).
 */
class ModuleLayerTest {
    // jpkl-spark is not listed: it has no module-info (Spark's jars are not modules) and this module does not depend on it.
    /** Each module's exports; a module that is only a service provider or an application exports nothing (to everyone). */
    private static final Map<String, List<String>> EXPORTS = new TreeMap<>(Map.ofEntries(
            Map.entry("org.jpkl.api", List.of("org.jpkl.api", "org.jpkl.api.io", "org.jpkl.api.spi", "org.jpkl.api.spi.support")),
            Map.entry("org.jpkl.core", List.of("org.jpkl", "org.jpkl.container")),
            Map.entry("org.jpkl.npy", List.of("org.jpkl.npy")),
            Map.entry("org.jpkl.compare", List.of("org.jpkl.compare")),
            Map.entry("org.jpkl.tiff", List.of("org.jpkl.tiff")),
            Map.entry("org.jpkl.zarr", List.of("org.jpkl.zarr")),
            Map.entry("org.jpkl.viewer", List.of("org.jpkl.viewer")),
            Map.entry("org.jpkl.jpeg", List.of("org.jpkl.jpeg to [org.jpkl.bench]")),
            Map.entry("org.jpkl.png", List.of()),
            Map.entry("org.jpkl.deflate", List.of("org.jpkl.deflate", "org.jpkl.deflate.pipeline to [org.jpkl.lz4, org.jpkl.zstd]")),
            Map.entry("org.jpkl.zstd", List.of()),
            Map.entry("org.jpkl.sqrt", List.of("org.jpkl.sqrt")),
            Map.entry("org.jpkl.lz4", List.of()),
            Map.entry("org.jpkl.zfp", List.of()),
            Map.entry("org.jpkl.lerc", List.of()),
            Map.entry("org.jpkl.jpegls", List.of()),
            Map.entry("org.jpkl.jpegxl", List.of()),
            Map.entry("org.jpkl.pickle", List.of()),
            Map.entry("org.jpkl.zip", List.of()),
            Map.entry("org.jpkl.http", List.of("org.jpkl.http to [org.jpkl.bench]")),
            Map.entry("org.jpkl.s3", List.of("org.jpkl.s3")),
            Map.entry("org.jpkl.cli", List.of()),
            Map.entry("org.jpkl.bench", List.of()),
            Map.entry("org.jpkl.examples", List.of())));

    @TempDir
    static Path dir;

    /** The org.jpkl modules of this build (explicit modules), by name. */
    private static Map<String, Path> jpklModules;
    /** Every other jar of the test class path except test-jars: candidates for automatic modules. */
    private static List<Path> libraries;
    private static ModuleLayer layer;

    @BeforeAll
    static void resolveTheModulesIntoALayer() throws IOException {
        jpklModules = new TreeMap<>();
        libraries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (isExplicitModule(p)) {
                ModuleReference m = ModuleFinder.of(p).findAll().iterator().next();
                if (m.descriptor().name().startsWith("org.jpkl.")) {
                    jpklModules.put(m.descriptor().name(), p);
                    continue;
                }
            }
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar") && !p.getFileName().toString().endsWith("-tests.jar")) {
                libraries.add(p);
            }
        }
        assertEquals(EXPORTS.keySet(), jpklModules.keySet(), "the org.jpkl modules on the test class path");
        List<Path> path = new ArrayList<>(jpklModules.values());
        path.addAll(libraries);
        Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(ModuleFinder.of(path.toArray(Path[]::new)),
                ModuleFinder.of(), jpklModules.keySet());
        layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    private static boolean isExplicitModule(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            return Files.isRegularFile(p.resolve("module-info.class"));
        }
        if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
            try (JarFile jar = new JarFile(p.toFile())) {
                return jar.getEntry("module-info.class") != null;
            }
        }
        return false;
    }

    @Test
    void everyModuleResolvesFromItsOwnLocationNotTheClassPath() {
        for (String name : jpklModules.keySet()) {
            Module module = layer.findModule(name).orElseThrow();
            assertTrue(module.isNamed(), name);
            ResolvedModule resolved = layer.configuration().findModule(name).orElseThrow();
            assertEquals(jpklModules.get(name).toUri(), resolved.reference().location().orElseThrow(), name);
        }
    }

    @Test
    void eachModuleExportsExactlyItsApiPackagesToEveryone() {
        Map<String, List<String>> actual = new TreeMap<>();
        for (String name : jpklModules.keySet()) {
            ModuleDescriptor d = layer.findModule(name).orElseThrow().getDescriptor();
            actual.put(name, d.exports().stream().map(e -> e.source() + (e.isQualified() ? " to " + new TreeSet<>(e.targets()) : ""))
                    .sorted().collect(Collectors.toList()));
            assertTrue(d.opens().stream().allMatch(ModuleDescriptor.Opens::isQualified), name + " opens a package to everyone: " + d.opens());
        }
        assertEquals(EXPORTS, actual);
    }

    @Test
    void serviceLoaderInTheLayerFindsEveryCodecAndSerializer() throws Exception {
        assertEquals(Set.of("deflate", "jpeg", "jpegls", "jpegxl", "lerc", "lz4", "png", "sqrt", "zfp", "zstd"),
                ids("org.jpkl.api.spi.SliceCodec"));
        assertEquals(Set.of("jpkl", "jpkl-pickle", "zip"), ids("org.jpkl.api.spi.ContainerSerializer"));
        // The registries of the api module itself (its `uses` clauses), over the layer's class loader.
        ClassLoader loader = layer.findLoader("org.jpkl.api");
        for (String registry : List.of("org.jpkl.api.spi.SliceCodecs", "org.jpkl.api.spi.ContainerSerializers")) {
            Object loaded = loader.loadClass(registry).getMethod("load", ClassLoader.class).invoke(null, loader);
            Object ids = loaded.getClass().getMethod("ids").invoke(loaded);
            Object problems = loaded.getClass().getMethod("problems").invoke(loaded);
            assertEquals(List.of(), problems, registry);
            assertEquals(registry.endsWith("SliceCodecs")
                    ? List.of("deflate", "jpeg", "jpegls", "jpegxl", "lerc", "lz4", "png", "sqrt", "zfp", "zstd")
                    : List.of("jpkl", "jpkl-pickle", "zip"),
                    ids, registry);
        }
    }

    private static Set<String> ids(String service) throws ReflectiveOperationException {
        Class<?> type = layer.findLoader("org.jpkl.api").loadClass(service);
        assertEquals("org.jpkl.api", type.getModule().getName());
        Set<String> ids = new TreeSet<>();
        for (Object provider : ServiceLoader.load(layer, type)) {
            assertTrue(provider.getClass().getModule().isNamed(), provider.getClass() + " comes from a module of the layer");
            ids.add((String) type.getMethod("id").invoke(provider));
        }
        return ids;
    }

    @Test
    void theCommandLineRunsFromTheModulePath() throws Exception {
        Path file = dir.resolve("module-path.jpkl");
        String encoded = cli("encode", "sample:24,32,3", "-o", file.toString(), "--codec", "jpeg");
        assertTrue(Files.isRegularFile(file), encoded);
        // JSON through Gson, options through picocli's reflection on the opened command package.
        String codecs = cli("codecs", "--json");
        for (String id : List.of("deflate", "jpeg", "jpegls", "jpegxl", "lerc", "lz4", "png", "sqrt", "zfp", "zstd")) {
            assertTrue(codecs.contains("\"id\": \"" + id + "\""), codecs);
        }
        assertTrue(codecs.contains("\"available\": true"), codecs);
        String info = cli("info", file.toString(), "--json");
        assertTrue(info.contains("\"id\": \"jpeg\""), info);
    }

    /** Runs {@code jpkl ARGS} as {@code java -p MODULES -m org.jpkl.cli/org.jpkl.cli.Main}; its standard output, after checking exit 0. */
    private static String cli(String... args) throws IOException, InterruptedException {
        List<Path> path = new ArrayList<>(jpklModules.values());
        path.addAll(libraries);
        List<String> command = new ArrayList<>(List.of(ChildJvm.java(), "-p",
                path.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)), "-m", "org.jpkl.cli/org.jpkl.cli.Main"));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jpkl " + String.join(" ", args) + " finished");
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "jpkl " + String.join(" ", args) + "\n" + stdout + Files.readString(err, StandardCharsets.UTF_8));
        return stdout;
    }
}
