package org.jpkl.http;

import java.io.IOException;
import java.nio.file.Path;
import org.jpkl.api.testing.OptionalPieces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests whose containers are served by Debian's nginx on loopback: {@link #served} is the folder,
 * {@link #nginx} the server, one per test class; without nginx the class is skipped with a message
 * (failed under {@code CI=true}).
 */
abstract class ServedByNginx {
    @TempDir
    static Path served;
    static LocalNginx nginx;

    @BeforeAll
    static void startNginx() throws IOException {
        OptionalPieces.require("nginx", LocalNginx.problem(), "nginx-light");
        nginx = LocalNginx.start(served);
    }

    @AfterAll
    static void stopNginx() throws IOException {
        if (nginx != null) {
            nginx.close();
            nginx = null;
        }
    }
}
