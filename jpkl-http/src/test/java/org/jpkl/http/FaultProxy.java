package org.jpkl.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A loopback HTTP/1.1 proxy in front of a server that injects faults: the next {@link #fail} requests
 * are answered with a status (e.g. 503) without reaching the server, the next {@link #cut} responses
 * are cut after their headers and a few body bytes (a dropped connection), the next
 * {@link #rewriteHeads} response heads are changed. Every request gets its own
 * connection to the server and the client's connection closes after each response
 * ({@code Connection: close}), so each request is seen here. GET requests without a body only.
 */
final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger rewritesLeft = new AtomicInteger();
    private volatile int failStatus = 503;
    private volatile UnaryOperator<String> rewrite = UnaryOperator.identity();

    FaultProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** The next {@code n} requests are answered {@code status} with an empty body. */
    void fail(int n, int status) {
        failStatus = status;
        failuresLeft.set(n);
    }

    /** The next {@code n} responses are cut a few bytes into their body. */
    void cut(int n) {
        cutsLeft.set(n);
    }

    /** The next {@code n} response heads (status line and headers) are changed by {@code change}. */
    void rewriteHeads(int n, UnaryOperator<String> change) {
        rewrite = change;
        rewritesLeft.set(n);
    }

    /** Requests received so far. */
    int requests() {
        return requests.get();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/" + path);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            String head = readHead(in);
            if (head == null) {
                return;
            }
            requests.incrementAndGet();
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                out.write(("HTTP/1.1 " + failStatus + " Injected\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            StringBuilder forwarded = new StringBuilder();
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                if (!lower.startsWith("connection:") && !lower.startsWith("upgrade:") && !lower.startsWith("http2-settings:")) {
                    forwarded.append(line).append("\r\n");
                }
            }
            forwarded.append("Connection: close\r\n\r\n");
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                 InputStream fromServer = upstream.getInputStream()) {
                upstream.getOutputStream().write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                upstream.getOutputStream().flush();
                if (cutsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    String responseHead = readHead(fromServer);
                    out.write((responseHead + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(fromServer.readNBytes(3));
                    out.flush();
                    client.setSoLinger(true, 0); // reset, not a clean end
                    return;
                }
                if (rewritesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    out.write((rewrite.apply(readHead(fromServer)) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                fromServer.transferTo(out);
            }
        } catch (SocketException e) {
            // the client went away
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The request or response head without its final blank line, or null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
            if (matched == 4) {
                String s = head.toString(StandardCharsets.ISO_8859_1);
                return s.substring(0, s.length() - 4);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
