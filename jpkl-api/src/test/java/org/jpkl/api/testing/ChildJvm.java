package org.jpkl.api.testing;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Commands that start a child JVM running a test's {@code main} class, for tests that need a
 * process of their own (a small heap, a file size limit, a process to kill).
 *
 * <p>Tests run either on the class path or patched into their module on the module path. The
 * child always runs on the class path, with everything this JVM sees: the code source of the main
 * class (the test classes, which on the module path are patched in and on neither path), this JVM's
 * module path and its class path, in that order.
 *
 * <p>Stateless.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** The {@code java} launcher of this JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The class path for a child JVM that runs {@code main} (see the class comment). */
    public static String classPath(Class<?> main) {
        Set<String> entries = new LinkedHashSet<>();
        try {
            entries.add(Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("code source of " + main.getName() + " is not a file: " + e.getMessage(), e);
        }
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null) {
                for (String entry : value.split(File.pathSeparator)) {
                    if (!entry.isEmpty()) {
                        entries.add(entry);
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** {@code java JVM_OPTIONS -cp CLASS_PATH MAIN ARGS}: the command that runs {@code main} with {@code args} in a child JVM. */
    public static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath(main), main.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
