package org.jpkl.api.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A loopback HTTP/1.1 proxy in front of a server on a loopback port, for tests of remote storage
 * (HTTP, S3) that inject faults: the next {@link #fail} requests (all, or those whose request line
 * contains a given text) are answered with a status and body of the test's choosing without reaching
 * the server, the next {@link #cut} responses are cut after their head and a few body bytes (a dropped
 * connection), the next {@link #rewriteHeads} response heads are changed, and the next {@link #delay}
 * matching requests reach the server only after a pause (even if the client gave up meanwhile, as a
 * request already sent to a real store is still carried out). Other requests, with a body
 * of {@code Content-Length} bytes if any (uploads), are forwarded unchanged but for their
 * {@code Connection}, {@code Upgrade} and {@code HTTP2-Settings} headers; an {@code Expect: 100-continue}
 * is answered by the proxy ({@code 100 Continue}) and not forwarded. Every request gets its own
 * connection to the server and the client's connection closes after each response
 * ({@code Connection: close}), so each request is seen and counted here. Needs only the JDK.
 *
 * <p>Thread safety: the fault settings may be changed from any thread; each takes effect for the
 * requests that arrive after it.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private final AtomicInteger rewritesLeft = new AtomicInteger();
    private volatile Answer failure = new Answer(503, "", "", "");
    private volatile UnaryOperator<String> rewrite = UnaryOperator.identity();
    private final AtomicInteger delaysLeft = new AtomicInteger();
    private final AtomicInteger abandoned = new AtomicInteger();
    private volatile String delayMatching = "";
    private volatile long delayMillis;

    /** What injected failures answer, to requests whose request line contains {@code matching}. */
    private record Answer(int status, String matching, String contentType, String body) {
    }

    /** Starts the proxy on a free loopback port, in front of the server on loopback port {@code upstreamPort}. */
    public FaultProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** {@code http://127.0.0.1:PORT} of the proxy (e.g. an S3 endpoint). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** {@code http://127.0.0.1:PORT/path} of the proxy. */
    public URI uri(String path) {
        return URI.create(endpoint() + "/" + path);
    }

    /** The next {@code n} requests are answered {@code status} with an empty body. */
    public void fail(int n, int status) {
        fail(n, status, "", "", "");
    }

    /**
     * The next {@code n} requests whose request line (e.g. {@code PUT /bucket/key?partNumber=1&... HTTP/1.1})
     * contains {@code matching} are answered {@code status} with {@code body} (UTF-8) of type
     * {@code contentType} (none when empty); other requests are forwarded.
     */
    public void fail(int n, int status, String matching, String contentType, String body) {
        failure = new Answer(status, matching, contentType, body);
        failuresLeft.set(n);
    }

    /** The next {@code n} responses are cut a few bytes into their body. */
    public void cut(int n) {
        cutsLeft.set(n);
    }

    /** The next {@code n} response heads (status line and headers, without the final blank line) are changed by {@code change}. */
    public void rewriteHeads(int n, UnaryOperator<String> change) {
        rewrite = change;
        rewritesLeft.set(n);
    }

    /**
     * The next {@code n} requests whose request line contains {@code matching} are forwarded to the
     * server {@code millis} ms after they arrived whole, whatever the client does meanwhile.
     */
    public void delay(int n, String matching, long millis) {
        delayMatching = matching;
        delayMillis = millis;
        delaysLeft.set(n);
    }

    /**
     * Delayed requests ({@link #delay}) whose client closed its connection before the pause ended,
     * i.e. gave up on a request the store still carries out.
     */
    public int abandoned() {
        return abandoned.get();
    }

    /** Requests received so far. */
    public int requests() {
        return requests.get();
    }

    /** Bytes of requests (request lines, headers and bodies) forwarded to the server so far. */
    public long bytesSent() {
        return sent.get();
    }

    /** Bytes of responses (status lines, headers and bodies) forwarded from the server so far. */
    public long bytesReceived() {
        return received.get();
    }

    /** Requests answered with an injected failure so far. */
    public int failed() {
        return failed.get();
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
            long length = 0;
            boolean expectsContinue = false;
            StringBuilder forwarded = new StringBuilder();
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring("content-length:".length()).trim());
                }
                if (lower.startsWith("expect:") && lower.contains("100-continue")) {
                    expectsContinue = true;
                    continue; // answered here; the server gets the body at once
                }
                if (!lower.startsWith("connection:") && !lower.startsWith("upgrade:") && !lower.startsWith("http2-settings:")) {
                    forwarded.append(line).append("\r\n");
                }
            }
            forwarded.append("Connection: close\r\n\r\n");
            if (expectsContinue) {
                // as a server does: without it, the JDK's client waits seconds before sending an upload's body
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            byte[] body = in.readNBytes(Math.toIntExact(length));
            Answer answer = failure;
            String requestLine = head.lines().findFirst().orElse("");
            if (requestLine.contains(answer.matching())
                    && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                failed.incrementAndGet();
                byte[] text = answer.body().getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + answer.status() + " Injected\r\n"
                        + (answer.contentType().isEmpty() ? "" : "Content-Type: " + answer.contentType() + "\r\n")
                        + "Content-Length: " + text.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(text);
                out.flush();
                return;
            }
            if (requestLine.contains(delayMatching) && delaysLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (closedByClient(client, in)) {
                    abandoned.incrementAndGet();
                }
            }
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                 InputStream fromServer = upstream.getInputStream()) {
                OutputStream toServer = upstream.getOutputStream();
                byte[] requestHead = forwarded.toString().getBytes(StandardCharsets.ISO_8859_1);
                toServer.write(requestHead);
                toServer.write(body);
                toServer.flush();
                sent.addAndGet(requestHead.length + body.length);
                if (cutsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    out.write((readHead(fromServer) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(fromServer.readNBytes(3));
                    out.flush();
                    client.setSoLinger(true, 0); // reset, not a clean end
                    return;
                }
                if (rewritesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    out.write((rewrite.apply(readHead(fromServer)) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                received.addAndGet(fromServer.transferTo(out));
                out.flush();
            }
        } catch (IOException e) {
            // the client gave up or the server closed: nothing to answer (the client's read reports it)
        }
    }

    /** Whether the client closed its side (it sends nothing after a request: end of stream means closed). */
    private static boolean closedByClient(Socket client, InputStream in) throws IOException {
        int timeout = client.getSoTimeout();
        client.setSoTimeout(50);
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            client.setSoTimeout(timeout);
        }
    }

    /** The request or response head without its final blank line, or null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                String s = head.toString(StandardCharsets.ISO_8859_1);
                return s.substring(0, s.length() - 4);
            }
        }
        return null;
    }

    /** Stops accepting and ends the connections in progress. */
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
