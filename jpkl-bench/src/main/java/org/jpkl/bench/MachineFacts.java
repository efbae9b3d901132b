package org.jpkl.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;

/** What the figures were measured on: CPU, memory, OS, JVM and flags, codecs, Python. Stateless. */
final class MachineFacts {
    private MachineFacts() {
    }

    static Map<String, Object> collect(SliceCodecs codecs, PythonPeer python) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        m.put("processors", Runtime.getRuntime().availableProcessors());
        m.put("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
        m.put("os", osName());
        m.put("kernel", System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")");
        m.put("jvm_flags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        List<String> gcs = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs.add(gc.getName());
        }
        m.put("gc", gcs);
        m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        Map<String, String> c = new LinkedHashMap<>();
        for (SliceCodec codec : codecs.all()) {
            try {
                String implementation = JpegImplementations.reportedImplementation(codec);
                c.put(codec.id(), codec.availability() + "; " + (implementation != null ? implementation
                        : codec.capabilities().description()));
            } catch (RuntimeException | LinkageError e) {
                c.put(codec.id(), "availability() failed: " + e);
            }
        }
        m.put("codecs", c);
        m.put("python", python == null ? "not probed (--no-python)"
                : python.available() ? python.interpreter() + " " + python.versions() : python.unavailableReason().orElse(""));
        m.put("git_commit", gitCommit());
        return m;
    }

    /** Short text of the facts for the top of the printed table. */
    static String summary(Map<String, Object> m) {
        return "Machine: " + m.get("cpu") + ", " + m.get("processors") + " processors, " + m.get("memory") + " RAM; " + m.get("os")
                + ", kernel " + m.get("kernel") + "\nJVM: " + m.get("java") + ", flags " + m.get("jvm_flags") + ", GC " + m.get("gc")
                + "\nPython: " + m.get("python") + "\nCodecs: " + ((Map<?, ?>) m.get("codecs")).keySet() + "; commit "
                + m.get("git_commit") + "; " + m.get("date");
    }

    private static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // not Linux, or no os-release: fall back to the JVM's name
        }
        return System.getProperty("os.name");
    }

    private static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
