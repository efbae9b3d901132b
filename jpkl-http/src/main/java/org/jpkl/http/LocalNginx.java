package org.jpkl.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jpkl.api.io.TempFolder;
import java.util.stream.Stream;

/**
 * Debian's nginx (package {@code nginx-light}) serving a folder on a loopback port, started as this
 * user with a temporary config and prefix (pid, logs and temp files in a temporary folder): a real
 * HTTP server for the tests and benchmarks of remote reading (exported to {@code org.jpkl.bench}
 * only). Besides plain files it serves two special paths: {@code /denied/...} answers 403
 * ({@code deny all}), {@code /norange/...} ignores {@code Range} ({@code max_ranges 0}: 200 with
 * the whole file) and {@code /noetag/...} sends no ETag ({@code etag off}: Last-Modified only).
 *
 * <p>Tests skip when {@link #problem()} says nginx is missing (or fail under {@code CI=true}).
 *
 * <p>Thread safety: start and close from one thread; {@link #uri} from any.
 */
public final class LocalNginx implements AutoCloseable {
    /** Where Debian installs nginx. */
    public static final Path NGINX = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final TempFolder temp;
    private final Path folder;
    private final int port;

    private LocalNginx(Process process, TempFolder temp, int port) {
        this.process = process;
        this.temp = temp;
        this.folder = temp.path();
        this.port = port;
    }

    /** Why nginx cannot run here, or empty when it can. */
    public static Optional<String> problem() {
        return Files.isExecutable(NGINX) ? Optional.empty() : Optional.of(NGINX + " is not installed");
    }

    /**
     * Starts nginx serving {@code root}.
     *
     * @throws IOException if nginx is missing or does not start (with its error log)
     */
    public static LocalNginx start(Path root) throws IOException {
        if (problem().isPresent()) {
            throw new IOException(problem().get() + " (apt-get install nginx-light)");
        }
        TempFolder temp = TempFolder.create("jpkl-nginx");
        Path folder = temp.path();
        String failure = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path conf = folder.resolve("nginx.conf");
            Files.writeString(conf, config(root.toAbsolutePath(), folder, port), StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(NGINX.toString(), "-p", folder + "/", "-c", conf.toString(), "-e", folder.resolve("error.log").toString())
                    .redirectErrorStream(true).redirectOutput(folder.resolve("stdout.log").toFile()).start();
            if (awaitPort(p, port)) {
                return new LocalNginx(p, temp, port);
            }
            p.destroyForcibly();
            failure = read(folder.resolve("error.log")) + read(folder.resolve("stdout.log"));
        }
        temp.close();
        throw new IOException("nginx did not start on a loopback port: " + failure.strip());
    }

    private static String config(Path root, Path folder, int port) {
        return "daemon off;\nmaster_process off;\nworker_processes 1;\n"
                + "pid " + folder.resolve("nginx.pid") + ";\n"
                + "error_log " + folder.resolve("error.log") + " warn;\n"
                + "events { worker_connections 256; }\n"
                + "http {\n"
                + "  access_log " + folder.resolve("access.log") + ";\n"
                + "  client_body_temp_path " + folder.resolve("body") + ";\n"
                + "  proxy_temp_path " + folder.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + folder.resolve("fastcgi") + ";\n"
                + "  uwsgi_temp_path " + folder.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + folder.resolve("scgi") + ";\n"
                + "  default_type application/octet-stream;\n"
                + "  keepalive_requests 100000;\n"
                + "  server {\n"
                + "    listen 127.0.0.1:" + port + ";\n"
                + "    root " + root + ";\n"
                + "    location /denied/ { deny all; }\n"
                + "    location /norange/ { max_ranges 0; }\n"
                + "    location /noetag/ { etag off; }\n"
                + "  }\n"
                + "}\n";
    }

    private static boolean awaitPort(Process p, int port) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting nginx", e);
                }
            }
        }
        return false;
    }

    /** The loopback port. */
    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT/} + {@code path} (relative to the served folder, '/'-separated). */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + "/" + path);
    }

    /** Requests logged so far (lines of the access log; nginx writes each when the response is done). */
    public long loggedRequests() throws IOException {
        Path log = folder.resolve("access.log");
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.count();
        }
    }

    /** Stops nginx and deletes its temporary folder (not the served one). */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        temp.close();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "LocalNginx[127.0.0.1:" + port + "]";
    }
}
