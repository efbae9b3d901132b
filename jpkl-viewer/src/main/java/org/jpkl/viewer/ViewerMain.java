package org.jpkl.viewer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jpkl.Jpkl;

/**
 * {@code java -cp ... org.jpkl.viewer.ViewerMain FILE... [--port N] [--bind ADDR] [--allow-host HOST]...}: serves the
 * files until the process is stopped (Ctrl-C), printing the page's URL. The same as
 * {@code jpkl view}, for use without the command-line tool.
 *
 * <p>Exit status: 0 after a normal stop, 2 for bad arguments, 1 when a file cannot be opened or the
 * port cannot be bound.
 */
public final class ViewerMain {
    private static final String USAGE = "usage: ViewerMain FILE... [--port N] [--bind ADDR] [--allow-host HOST]...\n"
            + "  Serves the jpkl containers to a web browser and prints the URL.\n"
            + "  --port N           TCP port (default 0: any free port)\n"
            + "  --bind ADDR        address to listen on (default 127.0.0.1; another address exposes the files to that network)\n"
            + "  --allow-host HOST  also answer requests for HOST (NAME or NAME:PORT); by default only localhost,\n"
            + "                     127.0.0.1, [::1] and the bind address, with the server's port (DNS rebinding defence)";

    private ViewerMain() {
    }

    /** Runs the viewer; see the class description. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, true));
    }

    /**
     * Parses {@code args}, starts the server and, when {@code block}, serves until the JVM stops.
     *
     * @return the exit status (when not blocking, the server is closed before returning)
     */
    static int run(String[] args, PrintStream out, PrintStream err, boolean block) {
        List<Path> files = new ArrayList<>();
        int port = 0;
        String bind = "127.0.0.1";
        List<String> allowHosts = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    out.println(USAGE);
                    return 0;
                } else if (a.equals("--port")) {
                    port = parsePort(value(args, i++, a));
                } else if (a.equals("--bind")) {
                    bind = value(args, i++, a);
                } else if (a.equals("--allow-host")) {
                    allowHosts.add(value(args, i++, a));
                } else if (a.startsWith("--")) {
                    throw new IllegalArgumentException("unknown option " + a + "; options: --port, --bind, --allow-host, --help");
                } else {
                    files.add(Path.of(a));
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("give at least one jpkl file");
            }
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    throw new IllegalArgumentException("file " + f + " does not exist or is not a regular file");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        ViewerServer server;
        try {
            server = ViewerServer.builder(Jpkl.create()).files(files).bindAddress(bind).port(port)
                    .allowHosts(allowHosts).build();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        try {
            URI url = server.start();
            out.println("Serving " + files.size() + (files.size() == 1 ? " file" : " files") + " at " + url);
            if (!java.net.InetAddress.getByName(bind).isLoopbackAddress()) {
                err.println("warning: listening on " + bind + ": anyone who can reach this address can read the files");
                if (java.net.InetAddress.getByName(bind).isAnyLocalAddress() && allowHosts.isEmpty()) {
                    err.println("warning: only requests for localhost are answered; give the names other machines use with --allow-host");
                }
            }
            out.println("Press Ctrl-C to stop.");
            out.flush();
            if (block) {
                awaitShutdown(server);
            }
            return 0;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            if (!block) {
                try {
                    server.close();
                } catch (IOException e) {
                    err.println("warning: closing: " + e.getMessage());
                }
            }
        }
    }

    private static void awaitShutdown(ViewerServer server) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (IOException e) {
                System.err.println("warning: closing: " + e.getMessage());
            }
            stopped.countDown();
        }, "jpkl-viewer-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i + 1];
    }

    private static int parsePort(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException("--port (" + text + ") must be an integer in [0, 65535]");
    }
}
