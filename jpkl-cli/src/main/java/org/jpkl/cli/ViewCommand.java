package org.jpkl.cli;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jpkl.viewer.ViewerServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jpkl view FILE... [--port N] [--bind ADDR] [--allow-host HOST]...}: serves the files to a browser viewer (see
 * docs/VIEWER.md) until Ctrl-C. Loopback only unless {@code --bind} says otherwise.
 */
@Command(name = "view", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Open containers in the browser viewer: scrub every axis, window 16-bit data (linear, gamma, log, asinh),"
                + " composite channels; tiled planes with levels are fetched by the tiles in view at the level that fits the zoom;"
                + " a scale bar from metadata pixel_size_um."
                + " Serves only the given files, on loopback unless --bind says otherwise; Ctrl-C stops it.",
        footerHeading = "%nExamples:%n",
        footer = {"  jpkl view stack.jpkl", "  jpkl view a.jpkl b.jpkl --port 8080"})
final class ViewCommand implements Callable<Integer> {
    @ParentCommand
    JpklCommand root;

    @Parameters(arity = "1..*", paramLabel = "FILE", converter = ContainerLocation.Converter.class,
            description = "Container files (or URIs such as https://host/stack.jpkl) to serve.")
    List<ContainerLocation> files;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default: any free port).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind = "127.0.0.1";

    @Option(names = "--allow-host", paramLabel = "HOST", description = "Also answer requests for HOST (NAME or NAME:PORT);"
            + " by default only localhost, 127.0.0.1, [::1] and the bind address, with the server's port. Repeatable.")
    List<String> allowHosts = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw CliException.usage("--port " + port + ": must be in [0, 65535] (0: any free port)");
        }
        ViewerServer.Builder builder = ViewerServer.builder(root.jpkl());
        for (ContainerLocation f : files) {
            if (f.isRemote()) {
                builder.uri(f.uri());
            } else if (!Files.isRegularFile(f.path())) {
                throw CliException.data(f + ": no such file");
            } else {
                builder.file(f.path());
            }
        }
        ViewerServer server;
        try {
            server = builder.bindAddress(bind).port(port).allowHosts(allowHosts).build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage(), e);
        }
        URI url = server.start();
        root.io().out().println("Serving " + files.size() + (files.size() == 1 ? " file" : " files") + " at " + url);
        if (!InetAddress.getByName(bind).isLoopbackAddress()) {
            root.io().err().println("jpkl view: warning: listening on " + bind + ": anyone who can reach it can read these files");
            if (InetAddress.getByName(bind).isAnyLocalAddress() && allowHosts.isEmpty()) {
                root.io().err().println("jpkl view: warning: only requests for localhost are answered; give the names other"
                        + " machines use with --allow-host");
            }
        }
        root.io().out().println("Press Ctrl-C to stop.");
        root.io().out().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (java.io.IOException e) {
                root.io().err().println("jpkl view: closing: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "jpkl-view-stop"));
        stopped.await();
        return 0;
    }
}
