package org.jpkl.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code jpkl --version}: the jar's Implementation-Version and the Java runtime. Stateless. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"jpkl " + (v == null ? "(development build)" : v),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
