package org.jpkl.s3;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of a server that answers the next {@link #failNext} requests with a
 * 503 SlowDown of its own and forwards the others unchanged (one request per connection:
 * it answers {@code Connection: close}). Counts the requests it sees and the bytes it forwards each way.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final URI target;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger toFail = new AtomicInteger();
    private volatile String onlyMatching = "";
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();

    public FaultProxy(URI target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** {@code http://127.0.0.1:PORT} of the proxy. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Answers the next {@code n} requests with 503. */
    void failNext(int n) {
        failNext(n, "");
    }

    /** Answers the next {@code n} requests whose request line contains {@code matching} with 503. */
    void failNext(int n, String matching) {
        onlyMatching = matching;
        toFail.set(n);
    }

    /** Requests seen so far. */
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

    /** Requests answered with 503 so far. */
    int failed() {
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
        try (client) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            long length = 0;
            StringBuilder forwarded = new StringBuilder();
            for (String line : text.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                }
                if (lower.startsWith("connection:") || line.isEmpty()) {
                    continue;
                }
                forwarded.append(line).append("\r\n");
            }
            forwarded.append("Connection: close\r\n\r\n");
            byte[] body = in.readNBytes((int) length);
            requests.incrementAndGet();
            OutputStream out = client.getOutputStream();
            String requestLine = text.substring(0, text.indexOf("\r\n"));
            if (requestLine.contains(onlyMatching) && toFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                failed.incrementAndGet();
                byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                        + "<Message>injected by FaultProxy</Message></Error>").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + xml.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(xml);
                out.flush();
                return;
            }
            try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
                OutputStream up = upstream.getOutputStream();
                byte[] requestHead = forwarded.toString().getBytes(StandardCharsets.ISO_8859_1);
                up.write(requestHead);
                up.write(body);
                up.flush();
                sent.addAndGet(requestHead.length + body.length);
                received.addAndGet(upstream.getInputStream().transferTo(out));
                out.flush();
            }
        } catch (IOException e) {
            // The client gave up or the server closed: nothing to answer.
        }
    }

    /** The request line and headers up to the blank line (included), or null at end of stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
