package org.jpkl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jpkl view}'s arguments that fail before a server starts (serving itself: {@code ViewCommandIT}). */
class ViewCommandTest {
    @TempDir
    Path dir;

    @Test
    void aMalformedAllowedHostIsAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("any.jpkl"), "never opened");
        Cli.fails(Cli.run("view", file.toString(), "--allow-host", "evil/x"), 2, "jpkl view: ",
                "allowed host (evil/x) must be a host name, an IPv4 address or a bracketed IPv6 address");
        Cli.fails(Cli.run("view", file.toString(), "--allow-host", "viewer.example:0"), 2,
                "allowed host (viewer.example:0): the port must be an integer in [1, 65535]");
    }
}
